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
