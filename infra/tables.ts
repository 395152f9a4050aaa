import type { ApiFunctionSpec } from '../functions/routes';

/**
 * The application's tables, by logical name. Taken from `functions/routes.ts`, so a table a
 * route asks for that infra cannot provide (no env var, no table) fails the typecheck.
 */
export type TableName = keyof ApiFunctionSpec['tables'];

/** The env var through which each table's physical name reaches the handlers. */
export const tableEnvVars: Record<TableName, string> = {
  contacts: 'CONTACTS_TABLE_NAME',
  campaigns: 'CAMPAIGNS_TABLE_NAME',
  workflows: 'WORKFLOWS_TABLE_NAME',
  numbers: 'NUMBERS_TABLE_NAME',
};

/** Access a function gets to each table it uses. */
export type TableGrants = Partial<Record<TableName, 'read' | 'readWrite'>>;

/**
 * Tables a function reads whole but may write only under a partition-key prefix (an IAM
 * `dynamodb:LeadingKeys` condition; see `AppFunction.bindTable`).
 */
export type TableWritePrefixes = Partial<Record<TableName, string>>;

/**
 * Partition-key prefix of the inbound texts no tenant could be found for, in the numbers table:
 * the only numbers items the inbound processor may write (the registry itself is the operator's).
 * `test/infra/worker-bundle.test.ts` checks that the inbound bundle writes nothing else there.
 */
export const UNROUTED_KEY_PREFIX = 'UNROUTED#';

/**
 * Partition-key prefix of the sender numbers' rate budgets (`BUDGET#<number>`), in the numbers table beside the
 * numbers they pace: the only numbers items the senders may write. Kept equal to the adapter's (a test checks it).
 */
export const BUDGET_KEY_PREFIX = 'BUDGET#';
