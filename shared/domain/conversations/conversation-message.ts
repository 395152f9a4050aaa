import { z } from 'zod';
import { type LedgerEntry, publicLedgerStatus } from '../campaigns/ledger.schema';
import type { InboundMessageRecord } from '../inbound/inbound-message';
import { inboundKindSchema } from '../inbound/inbound-message';
import type { ReceiptOutcome } from '../receipts/sms-event.schema';

/** Why a text outside campaigns went out: a workflow step, or the automatic answer to a keyword. */
export const messagePurposeSchema = z.enum(['workflow', 'optOutReply', 'optInReply', 'helpReply']);
export type MessagePurpose = z.infer<typeof messagePurposeSchema>;

/**
 * The ledger-like record of a text sent outside a campaign (a workflow text, a STOP/START confirmation, a HELP
 * answer): what went to whom, and what its receipts said. A campaign text's record is its ledger entry.
 */
export const messageRecordSchema = z.object({
  messageId: z.string(),
  contactId: z.string().optional(),
  purpose: z.string(),
  at: z.iso.datetime(),
  body: z.string().optional(),
  segments: z.number().int().optional(),
  workflowId: z.string().optional(),
  status: z.enum(['sent', 'delivered', 'failed']).default('sent'),
  deliveredAt: z.iso.datetime().optional(),
  reason: z.string().optional(),
  /** The final receipt that decided the status (event time, then type): a later-ranked one may overrule it. */
  finalRank: z.string().optional(),
});
export type MessageRecord = z.infer<typeof messageRecordSchema>;

/** What a final receipt changes on a message record; progress receipts change nothing (it is `sent` already). */
export type MessageReceiptChange = Pick<MessageRecord, 'status' | 'finalRank' | 'deliveredAt' | 'reason'>;

export function messageReceiptChange(
  outcome: ReceiptOutcome,
  eventTimestamp: number,
): MessageReceiptChange | undefined {
  if (outcome.kind === 'progress') return undefined;
  if (outcome.kind === 'delivered') {
    return { status: 'delivered', finalRank: outcome.rankKey, deliveredAt: new Date(eventTimestamp).toISOString() };
  }
  return { status: 'failed', finalRank: outcome.rankKey, reason: outcome.reason };
}

export const conversationMessageKindSchema = z.enum([
  'campaign',
  'workflow',
  'optOutConfirmation',
  'optInConfirmation',
  'helpAnswer',
  ...inboundKindSchema.options,
]);

/** One text in a contact's conversation, either way. */
export const conversationMessageSchema = z.object({
  id: z.string().meta({ description: 'The carrier’s message id (inbound: its inbound id; a campaign text: cmp:<id>)' }),
  direction: z.enum(['outbound', 'inbound']),
  kind: conversationMessageKindSchema.meta({
    description:
      'outbound: campaign, workflow, optOutConfirmation, optInConfirmation, helpAnswer; inbound: how it was read (reply, optOut, optIn, help, revocation)',
  }),
  at: z.iso.datetime().meta({ description: 'When it was sent or received' }),
  body: z.string().nullable(),
  status: z
    .enum(['queued', 'sent', 'delivered', 'failed', 'unknown', 'skipped', 'cancelled', 'received'])
    .meta({ description: 'Outbound: the carrier’s latest word (from receipts); inbound: received' }),
  segments: z.number().int().nullable(),
  reason: z.string().nullable().meta({ description: 'Why it failed (a failure category)' }),
  deliveredAt: z.iso.datetime().nullable(),
  campaignId: z.string().nullable(),
  workflowId: z.string().nullable(),
});
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;

const PURPOSE_KINDS: Record<string, ConversationMessage['kind']> = {
  workflow: 'workflow',
  optOutReply: 'optOutConfirmation',
  optInReply: 'optInConfirmation',
  helpReply: 'helpAnswer',
};

const nothing = { reason: null, deliveredAt: null, campaignId: null, workflowId: null } as const;

/** A campaign text, from its ledger entry (only entries that went out are in a conversation). */
export function messageOfLedgerEntry(entry: LedgerEntry): ConversationMessage {
  return {
    ...nothing,
    id: `cmp:${entry.campaignId}`,
    direction: 'outbound',
    kind: 'campaign',
    at: entry.sentAt ?? entry.queuedAt,
    body: entry.body ?? null,
    status: publicLedgerStatus(entry.status) as ConversationMessage['status'],
    segments: entry.segments ?? null,
    reason: entry.status === 'failed' ? (entry.reason ?? null) : null,
    deliveredAt: entry.deliveredAt ?? null,
    campaignId: entry.campaignId,
  };
}

/** A workflow text, confirmation or HELP answer, from its message record. */
export function messageOfRecord(record: MessageRecord): ConversationMessage {
  return {
    ...nothing,
    id: record.messageId,
    direction: 'outbound',
    kind: PURPOSE_KINDS[record.purpose] ?? 'workflow',
    at: record.at,
    body: record.body ?? null,
    status: record.status,
    segments: record.segments ?? null,
    reason: record.reason ?? null,
    deliveredAt: record.deliveredAt ?? null,
    workflowId: record.workflowId ?? null,
  };
}

/** A text the contact sent, as it was read. */
export function messageOfInbound(record: InboundMessageRecord): ConversationMessage {
  return {
    ...nothing,
    id: record.inboundMessageId,
    direction: 'inbound',
    kind: record.kind,
    at: record.receivedAt,
    body: record.body,
    status: 'received',
    segments: null,
    campaignId: record.answers?.kind === 'campaign' ? record.answers.campaignId : null,
    workflowId: record.answers?.kind === 'workflow' ? record.answers.workflowId : null,
  };
}

/** A contact's conversation in the conversations list: its latest inbound text and how many are unread. */
export const conversationSchema = z.object({
  contactId: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  phone: z.string(),
  lastInboundAt: z.iso.datetime(),
  unread: z.number().int().min(0).meta({ description: 'Inbound texts received since the conversation was last read' }),
  lastReadAt: z.iso.datetime().nullable(),
});
export type Conversation = z.infer<typeof conversationSchema>;
