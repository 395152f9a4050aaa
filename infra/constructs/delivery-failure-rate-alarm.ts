import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, MathExpression, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { resourceName } from '../config';

/**
 * The figures the receipts function logs per batch as CloudWatch embedded metrics
 * (`functions/sms-receipts/sms-receipts.handler.ts`): one namespace, no dimensions. Infra may
 * not import that code; `test/infra/messaging.stack.test.ts` checks the handler still logs them.
 */
export const receiptMetrics = {
  namespace: 'SmsEngine',
  delivered: 'ReceiptsDelivered',
  failed: 'ReceiptsFailed',
} as const;

/** Share of failed receipts above which the alarm fires. */
export const DELIVERY_FAILURE_RATE_THRESHOLD = 0.1;
/** Receipts a period needs before its failure rate counts: below that, a handful of bad numbers would alarm. */
export const DELIVERY_FAILURE_RATE_MIN_RECEIPTS = 100;
/** The window the rate is computed over, as one period. */
export const DELIVERY_FAILURE_RATE_PERIOD = Duration.minutes(15);

export interface DeliveryFailureRateAlarmProps {
  stage: string;
}

/**
 * Alarms when more than 10 % of the SMS delivery receipts of a 15-minute period are failures,
 * once at least 100 receipts arrived in it: `failed / (delivered + failed)` as metric math,
 * forced to 0 below that volume, so a quiet stage or a small test send never alarms. No
 * receipts at all (no datapoint) is not breaching.
 *
 * Account-wide (one stage, every tenant and campaign), not per campaign, on purpose: a
 * per-campaign (or per-tenant) dimension would create one custom metric series per campaign,
 * an unbounded and ever-growing cardinality that CloudWatch bills per series and that no alarm
 * could be defined on in advance anyway. This alarm answers "is sending broken" (a carrier
 * outage, a blocked origination number, a bad registration) for the operators; whether one
 * campaign went badly is answered per campaign by the results API, which flags a campaign whose
 * failure rate is too high from the ledger counters.
 */
export class DeliveryFailureRateAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeliveryFailureRateAlarmProps) {
    super(scope, id);
    const period = DELIVERY_FAILURE_RATE_PERIOD;
    const sum = (metricName: string) =>
      new Metric({ namespace: receiptMetrics.namespace, metricName, statistic: Stats.SUM, period });
    const failureRate = new MathExpression({
      expression: `IF((delivered + failed) >= ${DELIVERY_FAILURE_RATE_MIN_RECEIPTS}, failed / (delivered + failed), 0)`,
      usingMetrics: { delivered: sum(receiptMetrics.delivered), failed: sum(receiptMetrics.failed) },
      label: 'Delivery failure rate',
      period,
    });
    const alarmName = resourceName(props.stage, 'delivery-failure-rate');
    this.alarm = new Alarm(this, 'Alarm', {
      alarmName,
      alarmDescription: `More than ${DELIVERY_FAILURE_RATE_THRESHOLD * 100}% of the SMS delivery receipts of the last ${period.toMinutes()} minutes are failures (counted only from ${DELIVERY_FAILURE_RATE_MIN_RECEIPTS} receipts on): check the carrier status, the origination identities and their registration, then the failure reasons in the receipts function's logs.`,
      metric: failureRate,
      threshold: DELIVERY_FAILURE_RATE_THRESHOLD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
