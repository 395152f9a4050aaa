import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { AlarmBase } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { resourceName } from '../config';

export interface AlarmTopicProps {
  stage: string;
  /** Subscribed by email when given (`-c alarmEmail=...`); the address confirms the subscription. */
  email?: string;
  /** Whether the topic's key outlives the stack (production). */
  retainKey: boolean;
}

/**
 * The one place a stage's alarms reach a person: an SNS topic every CloudWatch alarm of the app
 * publishes to (see {@link AlarmTopic.notify}), with an optional email subscription.
 *
 * Encrypted with a key of its own: CloudWatch can only publish to a topic encrypted with a
 * customer managed key whose policy lets it (the AWS managed SNS key cannot), and a separate key
 * keeps CloudWatch out of the key that protects phone numbers and message texts. Both the key
 * and the topic admit CloudWatch only for this account's alarms named `${stage}-sms-*` (the
 * confused-deputy guard), which is every alarm this app creates.
 */
export class AlarmTopic extends Construct {
  readonly topic: ITopic;
  /** `arn:...:cloudwatch:<region>:<account>:alarm:<stage>-sms-*`: the alarms that may publish. */
  readonly alarmArnPattern: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.alarmArnPattern = stack.formatArn({
      service: 'cloudwatch',
      resource: 'alarm',
      resourceName: resourceName(props.stage, '*'),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const fromAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': this.alarmArnPattern },
    };
    const key = new Key(this, 'Key', {
      alias: `alias/${resourceName(props.stage, 'alarms')}`,
      description: 'Encrypts the alarm topic of the SMS engine (alarm notifications)',
      enableKeyRotation: true,
      removalPolicy: props.retainKey ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: fromAlarms,
      }),
    );
    const topic = new Topic(this, 'Topic', {
      topicName: resourceName(props.stage, 'alarms'),
      displayName: `SMS engine alarms (${props.stage})`,
      masterKey: key,
      enforceSSL: true,
    });
    // A topic policy replaces SNS's default one, so the alarms' publisher must be allowed here.
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromAlarms,
      }),
    );
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }

  /** Makes each alarm publish to the topic when it goes into ALARM. */
  notify(...alarms: AlarmBase[]): void {
    const action = new SnsAction(this.topic);
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
