/**
 * Key schemas of the DynamoDB tables, used to create them locally (dynalite) and checked
 * against the CDK stacks by the infra tests, so local and AWS tables cannot drift apart.
 */
export interface TableDefinition {
  /** Logical name; the physical name comes from configuration. */
  logicalName: 'contacts' | 'campaigns';
  partitionKey: 'pk';
  sortKey: 'sk';
  globalSecondaryIndexes: readonly { indexName: string; partitionKey: string; sortKey: string }[];
}

export const contactsTableDefinition: TableDefinition = {
  logicalName: 'contacts',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
};

/** Campaigns, their per-recipient message records and aggregate metrics. */
export const campaignsTableDefinition: TableDefinition = {
  logicalName: 'campaigns',
  partitionKey: 'pk',
  sortKey: 'sk',
  globalSecondaryIndexes: [{ indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
};

export const tableDefinitions = [contactsTableDefinition, campaignsTableDefinition] as const;
