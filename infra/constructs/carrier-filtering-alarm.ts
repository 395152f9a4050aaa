import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, Metric, Stats, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { resourceName } from '../config';

/**
 * The figure the receipt processor logs as a CloudWatch embedded metric each time a guard pauses a campaign
 * (`shared/app/campaigns/campaign-pause.use-case.ts`): namespace `SmsEngine`, one dimension, the pause reason. Infra
 * may not import that code; `test/infra/alarms.test.ts` checks the metric the alarm watches.
 */
export const guardPauseMetrics = {
  namespace: 'SmsEngine',
  paused: 'CampaignsPausedByGuard',
  dimension: 'PauseReason',
  carrierFiltering: 'carrierFiltering',
} as const;

export interface CarrierFilteringAlarmProps {
  stage: string;
}

/**
 * Alarms as soon as the carrier-filtering breaker pauses one campaign in five minutes: carriers are blocking a
 * tenant's texts as spam, and its number is at risk of suspension. The campaign is already paused; a person checks
 * the evidence in its results before anyone resumes it. No datapoint is not breaching.
 */
export class CarrierFilteringAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: CarrierFilteringAlarmProps) {
    super(scope, id);
    this.alarm = new Alarm(this, 'Alarm', {
      alarmName: resourceName(props.stage, 'carrier-filtering'),
      alarmDescription:
        'A campaign paused itself because carriers blocked or filtered too many of its texts (pauseReason carrierFiltering): read the evidence in GET /v1/campaigns/{id}/results (pauseEvidence) and the log line "campaign paused by a guard" before it is resumed.',
      metric: new Metric({
        namespace: guardPauseMetrics.namespace,
        metricName: guardPauseMetrics.paused,
        dimensionsMap: { [guardPauseMetrics.dimension]: guardPauseMetrics.carrierFiltering },
        statistic: Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
