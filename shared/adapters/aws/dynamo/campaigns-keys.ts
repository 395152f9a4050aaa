/** Keys of the campaigns table, built only here; every partition key starts with the tenant. */
const tenantPrefix = (tenantId: string) => `T#${tenantId}`;

export const campaignsKeys = {
  tenantPrefix,
  campaign: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#CMP#${id}`, sk: '#CAMPAIGN' }),
  /** GSI1: a tenant's campaigns, newest first when read backwards. */
  campaignListing: (tenantId: string, id: string, createdAt: string) => ({
    gsi1pk: `${tenantPrefix(tenantId)}#CAMPAIGNS`,
    gsi1sk: `${createdAt}#${id}`,
  }),
  campaignListingPartition: (tenantId: string) => `${tenantPrefix(tenantId)}#CAMPAIGNS`,
  launch: (tenantId: string, id: string) => ({ pk: `${tenantPrefix(tenantId)}#CMP#${id}`, sk: '#LAUNCH' }),
  ledger: (tenantId: string, campaignId: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CMP#${campaignId}`,
    sk: `R#${contactId}`,
  }),
  ledgerPrefix: 'R#',
  /**
   * A counted click on a campaign link, one item per click (append-only, written in batches), beside the ledger in
   * the campaign's partition and in the order of its recipients: `K#<contactId>#C#<clickId>` (with an empty click id,
   * the prefix of the recipient's clicks). Putting the same click again changes nothing, so a redelivered click cannot
   * count twice.
   */
  click: (tenantId: string, campaignId: string, contactId: string, clickId: string) => ({
    pk: `${tenantPrefix(tenantId)}#CMP#${campaignId}`,
    sk: `K#${contactId}#C#${clickId}`,
  }),
  /**
   * That a recipient's first click on a campaign link (`K#<contactId>#F#<index>`), or on any of its links
   * (`K#<contactId>#F`), was decided: what makes clicks racing for "first" (the `link_clicked` trigger) get one answer.
   */
  clickMark: (tenantId: string, campaignId: string, contactId: string, index?: number) => ({
    pk: `${tenantPrefix(tenantId)}#CMP#${campaignId}`,
    sk: index === undefined ? `K#${contactId}#F` : `K#${contactId}#F#${index}`,
  }),
  /** The recipient a click item's sort key names. */
  clickOwner: (sk: string) => sk.slice(2, sk.lastIndexOf('#C#')),
  /** The click items of the recipients from `firstContactId` to `lastContactId` lie between these sort keys. */
  clickRange: (firstContactId: string, lastContactId: string) => ({
    from: `K#${firstContactId}#`,
    to: `K#${lastContactId}#\uffff`,
  }),
  /** The tenant, campaign and contact of a ledger item's keys (undefined for any other item). */
  parseLedgerKey: (pk: string, sk: string) => {
    const match = /^T#(.+)#CMP#([^#]+)$/.exec(pk);
    if (!match || !sk.startsWith('R#')) return undefined;
    return { tenantId: match[1] as string, campaignId: match[2] as string, contactId: sk.slice(2) };
  },
  sendLog: (tenantId: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#SENDLOG#${contactId}`,
    sk: '#LOG',
  }),
  /** An uncapped message in the contact's log, in time order after the log item (`#` < `M`). */
  sentMessage: (tenantId: string, contactId: string, at: string, source: string) => ({
    pk: `${tenantPrefix(tenantId)}#SENDLOG#${contactId}`,
    sk: `M#${at}#${source}`,
  }),
  /** The carrier-filtering breaker's minute tallies of one sender of texts (`CMP#<id>` or `WF#<id>`). */
  filteringTally: (tenantId: string, scope: string) => ({
    pk: `${tenantPrefix(tenantId)}#FILTER#${scope}`,
    sk: '#TALLY',
  }),
  /** The tenant's own totals, its baseline. */
  filteringBaseline: (tenantId: string) => ({ pk: `${tenantPrefix(tenantId)}#FILTER`, sk: '#BASELINE' }),
  /**
   * A tracked link, found by its public code alone: the one partition key that cannot start with the tenant (the
   * redirect knows nothing else). The code is unguessable; the item names its tenant, and every write a click makes
   * is keyed by that tenant.
   */
  link: (code: string) => ({ pk: `LINK#${code}`, sk: '#LINK' }),
  /** A counted click on a workflow text's link, beside the link (what makes a redelivered click count once). */
  linkClick: (code: string, clickId: string) => ({ pk: `LINK#${code}`, sk: `C#${clickId}` }),
} as const;

export const campaignEntityTypes = {
  campaign: 'Campaign',
  launch: 'LaunchCheckpoint',
  ledger: 'LedgerEntry',
  sendLog: 'SendLog',
  sentMessage: 'SentMessage',
  filteringTally: 'FilteringTally',
  filteringBaseline: 'FilteringBaseline',
  link: 'TrackedLink',
  click: 'LinkClick',
  clickMark: 'ClickMark',
} as const;
