import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { resourceName } from '../config';

/**
 * The figure the inbound processor logs as a CloudWatch embedded metric
 * (`functions/sms-inbound/`) each time a text arrives for a number no tenant holds: one namespace,
 * no dimensions. Infra may not import that code; `test/infra/messaging.stack.test.ts` checks the
 * metric the alarm watches.
 */
export const inboundMetrics = {
  namespace: 'SmsEngine',
  unrouted: 'InboundUnrouted',
} as const;

/** The window unrouted texts are summed over. */
export const INBOUND_UNROUTED_PERIOD = Duration.minutes(5);

export interface InboundUnroutedAlarmProps {
  stage: string;
}

/**
 * Alarms as soon as one inbound text in five minutes could not be routed to a tenant: someone
 * texted a number the registry does not assign (a number bought but not yet registered, a
 * registration mistake), and their reply, or their STOP, waits as an `UNROUTED#` item until an
 * operator assigns the number or routes the text through the admin API. A STOP left unrouted is
 * an opt-out nobody honours, so a single one is worth a person's attention. No datapoint (no
 * unrouted text) is not breaching.
 */
export class InboundUnroutedAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: InboundUnroutedAlarmProps) {
    super(scope, id);
    this.alarm = new Alarm(this, 'Alarm', {
      alarmName: resourceName(props.stage, 'inbound-unrouted'),
      alarmDescription:
        'Inbound SMS arrived for a number no tenant is assigned: list them with GET /admin/unrouted, then assign the number (POST /admin/numbers) or route each text (POST /admin/unrouted/{inboundMessageId}/route). An unrouted STOP is an opt-out not yet applied.',
      metric: new Metric({
        namespace: inboundMetrics.namespace,
        metricName: inboundMetrics.unrouted,
        statistic: Stats.SUM,
        period: INBOUND_UNROUTED_PERIOD,
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
