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
  sendLog: (tenantId: string, contactId: string) => ({
    pk: `${tenantPrefix(tenantId)}#SENDLOG#${contactId}`,
    sk: '#LOG',
  }),
} as const;

export const campaignEntityTypes = {
  campaign: 'Campaign',
  launch: 'LaunchCheckpoint',
  ledger: 'LedgerEntry',
  sendLog: 'SendLog',
} as const;
