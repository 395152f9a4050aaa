/**
 * Key schemas of the DynamoDB tables, used to create them locally (dynalite) and checked
 * against the CDK stacks by the infra tests, so local and AWS tables cannot drift apart.
 */
export interface TableDefinition {
  /** Logical name; the physical name comes from configuration. */
  logicalName: 'contacts' | 'campaigns' | 'workflows' | 'numbers';
  partitionKey: 'pk';
  sortKey: 'sk';
  globalSecondaryIndexes: readonly {
    indexName: string;
    partitionKey: string;
    sortKey?: string;
    /** What the index holds besides its keys; ALL by default. */
    projection?: 'ALL' | 'KEYS_ONLY';
  }[];
}

export const contactsTableDefinition: TableDefinition = {
  logicalName: 'contacts',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
};

/**
 * Campaigns, their per-recipient message records and aggregate metrics. gsi2 finds a ledger entry
 * by the carrier's message id (receipts that lost their context): sparse and keys only, so it costs
 * one index write when a message id is first set and nothing on later status changes. gsi3 is a contact's sent texts
 * in time order (its conversation): sparse and keys only too, so a receipt or a reply that updates a text already in
 * it writes no index (an everything-projected index would be rewritten on every status change of every recipient).
 */
export const campaignsTableDefinition: TableDefinition = {
  logicalName: 'campaigns',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'gsi2', partitionKey: 'messageId', projection: 'KEYS_ONLY' },
    { indexName: 'gsi3', partitionKey: 'tlpk', sortKey: 'tlsk', projection: 'KEYS_ONLY' },
  ],
};

/**
 * Workflow definitions and their versions, enrollments (in their workflow's partition), per-contact enrollment locks,
 * step counters and the timer indexes (minute buckets of far wake-ups, date-trigger plans). gsi1 lists a tenant's
 * workflows.
 */
export const workflowsTableDefinition: TableDefinition = {
  logicalName: 'workflows',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
};

/**
 * The operator's registry of sender numbers: which tenant (or pool of tenants) each number belongs to, the aliases
 * AWS knows it by (phone-number id, ARN), pool memberships, and inbound texts no tenant could be found for. Written
 * only by the operator's admin path (and the inbound processor, for unrouted texts); tenants only read it.
 * gsi1 lists what a tenant holds (its numbers and its pools) and what a pool holds.
 */
export const numbersTableDefinition: TableDefinition = {
  logicalName: 'numbers',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
};

export const tableDefinitions = [
  contactsTableDefinition,
  campaignsTableDefinition,
  workflowsTableDefinition,
  numbersTableDefinition,
] as const;
