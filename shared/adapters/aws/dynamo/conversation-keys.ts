/**
 * Keys of a contact's conversation, built only here. Texts either way carry gsi1 keys in their own table (a campaign
 * text's ledger entry and the message records of other texts in the campaigns table, inbound texts in the contacts
 * table) under one partition per tenant and contact, sorted by time: a contact's conversation is one Query per table.
 * The conversations list is a summary item per contact under one gsi1 partition per tenant, sorted by latest inbound.
 */
const tenantPrefix = (tenantId: string) => `T#${tenantId}`;

export const conversationKeys = {
  tenantPrefix,
  /** The gsi1 partition of one contact's texts (in both tables). */
  timelinePartition: (tenantId: string, contactId: string) => `${tenantPrefix(tenantId)}#C#${contactId}#MSGS`,
  /** gsi1 keys of one text: its time first, then what it is (unique per contact). */
  timelineEntry: (tenantId: string, contactId: string, at: string, what: string) => ({
    gsi1pk: conversationKeys.timelinePartition(tenantId, contactId),
    gsi1sk: `${at}#${what}`,
  }),
  /**
   * The same position of a sent text in the campaigns table, on its keys-only timeline index (gsi3): receipts and
   * replies that update the text then write no index.
   */
  sentTimelineEntry: (tenantId: string, contactId: string, at: string, what: string) => ({
    tlpk: conversationKeys.timelinePartition(tenantId, contactId),
    tlsk: `${at}#${what}`,
  }),
  campaignText: (campaignId: string) => `CMP#${campaignId}`,
  recordedText: (messageId: string) => `MSG#${messageId}`,
  inboundText: (inboundMessageId: string) => `IN#${inboundMessageId}`,
  /** A text sent outside a campaign, by the carrier's id (campaigns table). */
  messageRecord: (tenantId: string, messageId: string) => ({
    pk: `${tenantPrefix(tenantId)}#MSG#${messageId}`,
    sk: '#MSG',
  }),
  /** A contact's conversation summary (contacts table, in the contact's partition). */
  summary: (tenantId: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#C#${contactId}`,
    sk: '#CONVERSATION',
  }),
  /** gsi1 keys of the summary: the tenant's conversations, by latest inbound text. */
  summaryListing: (tenantId: string, contactId: string, lastInboundAt: string) => ({
    gsi1pk: conversationKeys.summaryPartition(tenantId),
    gsi1sk: `${lastInboundAt}#${contactId}`,
  }),
  summaryPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#CONVERSATIONS`,
} as const;

export const conversationEntityTypes = { messageRecord: 'MessageRecord', summary: 'ConversationSummary' } as const;
