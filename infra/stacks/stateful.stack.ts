import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { resourceName, type StageConfig } from '../config';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/**
 * The tables, in a stack of their own: data outlives deployments of the functions and the API,
 * and a mistake in a stateless stack can never replace or delete it. Every partition key
 * starts with the tenant (`T#<tenantId>#...`); the key schema equals
 * `shared/adapters/aws/dynamo/table-definitions.ts`, which the infra tests check.
 */
export class StatefulStack extends Stack {
  /** Contacts, their phone claims, tag memberships, consent history and the tenant's settings. */
  readonly contactsTable: ITable;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    const contactsTable = new Table(this, 'ContactsTable', {
      tableName: resourceName(config.stage, 'contacts'),
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    contactsTable.addGlobalSecondaryIndex({
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: AttributeType.STRING },
      sortKey: { name: 'gsi1sk', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    this.contactsTable = contactsTable;
  }
}
