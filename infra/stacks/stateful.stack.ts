import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import {
  AttributeType,
  BillingMode,
  type ITable,
  ProjectionType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyDocument, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { resourceName, type StageConfig } from '../config';
import { AlarmTopic } from '../constructs/alarm-topic';
import { CarrierFilteringAlarm } from '../constructs/carrier-filtering-alarm';
import { DeliveryFailureRateAlarm } from '../constructs/delivery-failure-rate-alarm';
import { InboundUnroutedAlarm } from '../constructs/inbound-unrouted-alarm';
import { TenantUserPool } from '../constructs/tenant-user-pool';
import { DeadLetterQueue, WorkQueue } from '../constructs/work-queue';
import {
  consumerTimeouts,
  forEachQueue,
  type QueueName,
  queueNames,
  type SchedulingResources,
  type SmsConfigurationSet,
} from '../messaging';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

/** Every SMS event type of End User Messaging (`TEXT_ALL` covers pending to delivered, failures and blocks). */
export const smsEventTypes = ['TEXT_ALL'];

/** A global secondary index as `shared/adapters/aws/dynamo/table-definitions.ts` defines it (string keys). */
interface IndexSpec {
  indexName: string;
  partitionKey: string;
  sortKey?: string;
  /** @default ALL */
  projection?: ProjectionType;
}

/** The house index of every table: `gsi1pk`/`gsi1sk`, everything projected. */
const gsi1: IndexSpec = { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' };
/**
 * Finds a ledger entry by the carrier's message id (receipts that lost their context). Sparse
 * (only entries with a `messageId` are in it) and keys only: one index write when the message id
 * is first set, none on later status changes.
 */
const campaignsGsi2: IndexSpec = { indexName: 'gsi2', partitionKey: 'messageId', projection: ProjectionType.KEYS_ONLY };
/**
 * A contact's sent texts in time order (its conversation). Sparse and keys only: one index write when a text goes out,
 * none on its receipts and replies; the conversation reads the items back by key.
 */
const campaignsGsi3: IndexSpec = {
  indexName: 'gsi3',
  partitionKey: 'tlpk',
  sortKey: 'tlsk',
  projection: ProjectionType.KEYS_ONLY,
};

/**
 * Everything that holds state or must exist before any function runs, in a stack of its own:
 * data outlives deployments of the functions and the API, and a mistake in a stateless stack
 * can never replace or delete it. Every partition key starts with the tenant
 * (`T#<tenantId>#...`); the key schemas equal `shared/adapters/aws/dynamo/table-definitions.ts`,
 * which the infra tests check.
 *
 * Messaging: one queue per stage of the pipeline (launch, send, receipts, inbound, events, workflows), each
 * with a DLQ and an alarm; the configuration set publishes every SMS event to an SNS topic, and the
 * two-way channel of the phone numbers publishes inbound SMS to another, each delivered raw to
 * its queue. One-time schedules live in the app's schedule group and deliver to the launch and
 * workflows queues through a role that can do nothing else. The delivery failure-rate alarm and the
 * unrouted-inbound alarm live here next to the DLQ alarms, and every one of them notifies the stage's
 * alarm topic (see {@link AlarmTopic}).
 *
 * Users: the Cognito user pool holds the only mapping of users to tenants, so it is state too (retained,
 * and passed to the API stack, whose JWT authorizer trusts it).
 */
export class StatefulStack extends Stack {
  /** Contacts, their phone claims, tag memberships, consent history and the tenant's settings. */
  readonly contactsTable: ITable;
  /** Campaigns, their per-recipient ledger and aggregate counters. */
  readonly campaignsTable: ITable;
  /** Workflow definitions and versions, enrollments, per-contact locks, step counters and timer indexes. */
  readonly workflowsTable: ITable;
  /**
   * The operator's registry of sender numbers: which tenant or pool holds each number, its AWS
   * ids, pool members, and inbound texts no tenant could be found for (`UNROUTED#...`).
   */
  readonly numbersTable: ITable;
  /** The tenants' users (`custom:tenantId`) and the web client the API's JWT authorizer trusts. */
  readonly users: TenantUserPool;
  /** Where every alarm of the stage publishes; emails `alarmEmail` when the stage has one. */
  readonly alarmTopic: AlarmTopic;
  readonly queues: Record<QueueName, IQueue>;
  /** Each queue's DLQ, plus `schedules`, where EventBridge Scheduler dead-letters. */
  readonly deadLetterQueues: Record<QueueName | 'schedules', IQueue>;
  readonly deadLetterAlarms: Alarm[];
  /** Share of failed SMS delivery receipts, account-wide (see {@link DeliveryFailureRateAlarm}). */
  readonly deliveryFailureRateAlarm: Alarm;
  /** Any inbound text for a number no tenant holds (see {@link InboundUnroutedAlarm}). */
  readonly inboundUnroutedAlarm: Alarm;
  /** A campaign paused by the carrier-filtering breaker (see {@link CarrierFilteringAlarm}). */
  readonly carrierFilteringAlarm: Alarm;
  /** SNS topic the configuration set publishes delivery events to. */
  readonly smsEventsTopic: ITopic;
  /** SNS topic the phone numbers' two-way channel publishes inbound SMS to (set on the numbers). */
  readonly inboundSmsTopic: ITopic;
  readonly configurationSet: SmsConfigurationSet;
  readonly scheduling: SchedulingResources;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.contactsTable = this.table('ContactsTable', 'contacts', config, [gsi1]);
    // expiresAt: a contact's uncapped message-log items go once the reply-attribution window is over.
    this.campaignsTable = this.table(
      'CampaignsTable',
      'campaigns',
      config,
      [gsi1, campaignsGsi2, campaignsGsi3],
      'expiresAt',
    );
    this.workflowsTable = this.table('WorkflowsTable', 'workflows', config, [gsi1]);
    this.numbersTable = this.table('NumbersTable', 'numbers', config, [gsi1]);

    this.users = new TenantUserPool(this, 'Users', { config });

    this.alarmTopic = new AlarmTopic(this, 'Alarms', {
      stage: config.stage,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
      retainKey: config.deletionProtection,
    });

    // Queues
    const workQueues = forEachQueue(
      (name) =>
        new WorkQueue(this, `${name[0]!.toUpperCase()}${name.slice(1)}Queue`, {
          stage: config.stage,
          name,
          consumerTimeout: consumerTimeouts[name],
        }),
    );
    const schedulesDeadLetters = new DeadLetterQueue(this, 'SchedulesDeadLetterQueue', {
      stage: config.stage,
      name: 'schedules-dlq',
      serviceDeadLetterReason:
        'This queue is the dead-letter queue of the one-time EventBridge schedules (DeadLetterConfig of each schedule, set at runtime), not of another queue, so no RedrivePolicy points at it; it has its own alarm.',
    });
    this.queues = forEachQueue((name) => workQueues[name].queue);
    this.deadLetterQueues = {
      ...forEachQueue((name): IQueue => workQueues[name].deadLetterQueue),
      schedules: schedulesDeadLetters.queue,
    };
    this.deadLetterAlarms = [...queueNames.map((name) => workQueues[name].alarm), schedulesDeadLetters.alarm];
    this.deliveryFailureRateAlarm = new DeliveryFailureRateAlarm(this, 'DeliveryFailureRate', {
      stage: config.stage,
    }).alarm;
    this.inboundUnroutedAlarm = new InboundUnroutedAlarm(this, 'InboundUnrouted', { stage: config.stage }).alarm;
    // Every alarm reaches a person; test/infra checks that no alarm of any stack is left without the topic.
    this.carrierFilteringAlarm = new CarrierFilteringAlarm(this, 'CarrierFiltering', { stage: config.stage }).alarm;
    this.alarmTopic.notify(
      ...this.deadLetterAlarms,
      this.deliveryFailureRateAlarm,
      this.inboundUnroutedAlarm,
      this.carrierFilteringAlarm,
    );

    // SMS events and inbound SMS: SNS topics the SMS service publishes to, delivered raw to the queues.
    // A customer managed key: End User Messaging can only publish to an encrypted topic whose key
    // policy lets it, which the AWS managed SNS key cannot.
    const topicsKey = new Key(this, 'TopicsKey', {
      alias: `alias/${resourceName(config.stage, 'topics')}`,
      description: 'Encrypts the SMS event and inbound SMS topics (phone numbers and message text at rest)',
      enableKeyRotation: true,
      removalPolicy: config.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    topicsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'EndUserMessagingPublishesToEncryptedTopics',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'sms-voice', resource: '*' }) },
        },
      }),
    );

    const configurationSetName = resourceName(config.stage, 'messages');
    this.configurationSet = { name: configurationSetName };
    const smsEventsTopic = new Topic(this, 'SmsEventsTopic', {
      topicName: resourceName(config.stage, 'delivery-events'),
      displayName: 'SMS delivery events of the configuration set',
      masterKey: topicsKey,
      enforceSSL: true,
    });
    smsEventsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'ConfigurationSetPublishes',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [smsEventsTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': this.formatArn({
              service: 'sms-voice',
              resource: 'configuration-set',
              resourceName: configurationSetName,
            }),
          },
        },
      }),
    );
    const inboundSmsTopic = new Topic(this, 'InboundSmsTopic', {
      topicName: resourceName(config.stage, 'inbound-messages'),
      displayName: 'Inbound SMS (two-way channel of the phone numbers)',
      masterKey: topicsKey,
      enforceSSL: true,
    });
    inboundSmsTopic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'TwoWayChannelPublishes',
        principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [inboundSmsTopic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: { 'aws:SourceArn': this.formatArn({ service: 'sms-voice', resource: '*' }) },
        },
      }),
    );
    // Raw delivery: the queue body is the event itself. SNS puts what it cannot deliver into the
    // queue's own DLQ, where it has the same shape as a message the processor gave up on.
    smsEventsTopic.addSubscription(
      new SqsSubscription(workQueues.receipts.queue, {
        rawMessageDelivery: true,
        deadLetterQueue: workQueues.receipts.deadLetterQueue,
      }),
    );
    inboundSmsTopic.addSubscription(
      new SqsSubscription(workQueues.inbound.queue, {
        rawMessageDelivery: true,
        deadLetterQueue: workQueues.inbound.deadLetterQueue,
      }),
    );
    this.smsEventsTopic = smsEventsTopic;
    this.inboundSmsTopic = inboundSmsTopic;

    const configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName,
      eventDestinations: [
        {
          eventDestinationName: 'sms-events-to-sns',
          enabled: true,
          matchingEventTypes: smsEventTypes,
          snsDestination: { topicArn: smsEventsTopic.topicArn },
        },
      ],
    });
    // The service checks that it may publish when the destination is created.
    for (const dependency of [smsEventsTopic.node.tryFindChild('Policy'), topicsKey]) {
      if (dependency) configurationSet.node.addDependency(dependency);
    }

    // One-time schedules: the group, its dead letters and the role the schedules deliver as.
    const scheduleGroupName = resourceName(config.stage, 'schedules');
    const scheduleGroup = new CfnScheduleGroup(this, 'ScheduleGroup', { name: scheduleGroupName });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      description:
        'Assumed by the EventBridge schedules of the SMS engine to deliver campaign launches and workflow timers',
      // Confused-deputy guard: only schedules of this account's group. EventBridge Scheduler names
      // the schedule group as the source (its documented form); the group's schedules are listed
      // too, so the guard holds whichever of the two a delivery presents.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': this.account },
          ArnLike: {
            'aws:SourceArn': [
              this.formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: scheduleGroupName }),
              this.formatArn({ service: 'scheduler', resource: 'schedule', resourceName: `${scheduleGroupName}/*` }),
            ],
          },
        },
      }),
      inlinePolicies: {
        DeliverScheduledMessages: new PolicyDocument({
          statements: [
            // The targets, and the DLQ (EventBridge Scheduler writes dead letters with this role too).
            new PolicyStatement({
              actions: ['sqs:SendMessage'],
              resources: [
                workQueues.launch.queue.queueArn,
                workQueues.workflows.queue.queueArn,
                schedulesDeadLetters.queue.queueArn,
              ],
            }),
          ],
        }),
      },
    });
    schedulerRole.node.addDependency(scheduleGroup);
    this.scheduling = {
      groupName: scheduleGroupName,
      role: schedulerRole,
      launchQueue: workQueues.launch.queue,
      workflowsQueue: workQueues.workflows.queue,
      deadLetterQueue: schedulesDeadLetters.queue,
    };

    new CfnOutput(this, 'InboundSmsTopicArn', {
      value: inboundSmsTopic.topicArn,
      description: 'Set as the two-way channel (TwoWayChannelArn) of every phone number that receives replies',
    });
    new CfnOutput(this, 'ConfigurationSetName', { value: configurationSetName });
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.webClient.userPoolClientId });
    new CfnOutput(this, 'HostedSignInUrl', {
      value: this.users.domain.baseUrl(),
      description: "Cognito's hosted sign-in, where the web console sends people (authorization code + PKCE)",
    });
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.alarmTopic.topic.topicArn,
      description: 'Subscribe a pager or chat integration here; -c alarmEmail=... subscribes an email address',
    });
  }

  /** A pay-per-request table with the house key schema (`pk`/`sk`) and `indexes`, PITR, and RETAIN. */
  private table(
    id: string,
    name: string,
    config: StageConfig,
    indexes: readonly IndexSpec[],
    timeToLiveAttribute?: string,
  ): ITable {
    const table = new Table(this, id, {
      ...(timeToLiveAttribute ? { timeToLiveAttribute } : {}),
      tableName: resourceName(config.stage, name),
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: config.deletionProtection,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        ...(index.sortKey ? { sortKey: { name: index.sortKey, type: AttributeType.STRING } } : {}),
        projectionType: index.projection ?? ProjectionType.ALL,
      });
    }
    return table;
  }
}
