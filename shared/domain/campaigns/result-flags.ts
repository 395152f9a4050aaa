/**
 * When a campaign's rates are worth a warning. A rate over a handful of messages says nothing, and nobody has
 * answered a text seconds after it arrived: each flag waits for a sample, and the response flag for time to answer.
 */
export const FLAG_RULES = {
  /** Final outcomes (delivered or failed) before the delivery rate is judged. */
  minFinalOutcomes: 20,
  /** Delivered messages before the opt-out and response rates are judged. */
  minDelivered: 20,
  /** Hours after the launch before the response rate is judged. */
  responseWindowHours: 24,
} as const;

/** The rule as the results state it. */
export const FLAG_RULE = `Rates are judged once ${FLAG_RULES.minFinalOutcomes} messages have a final outcome (delivery rate under 90%) or ${FLAG_RULES.minDelivered} were delivered (opt-outs over 1%); responses under 2% only ${FLAG_RULES.responseWindowHours} hours after the launch, once people have had time to answer.`;

export interface FlagInput {
  delivered: number;
  failed: number;
  replies: number;
  optOuts: number;
  /** When sending began; no flag on responses before it is known. */
  launchedAt: string | null | undefined;
  now: Date;
}

export interface Flag {
  code: 'LOW_DELIVERY' | 'LOW_RESPONSE' | 'HIGH_OPT_OUT';
  message: string;
}

/** The flags users are taught to read (below 90% delivered, below 2% responses, above 1% opt-outs), by the rule above. */
export function campaignFlags(input: FlagInput): Flag[] {
  const flags: Flag[] = [];
  const finals = input.delivered + input.failed;
  if (finals >= FLAG_RULES.minFinalOutcomes && input.delivered / finals < 0.9) {
    flags.push({ code: 'LOW_DELIVERY', message: 'Under 90% delivered: clean the list or check carrier filtering.' });
  }
  const answerTimeOver =
    input.launchedAt !== null &&
    input.launchedAt !== undefined &&
    input.now.getTime() - Date.parse(input.launchedAt) >= FLAG_RULES.responseWindowHours * 3_600_000;
  if (input.delivered >= FLAG_RULES.minDelivered && answerTimeOver && input.replies / input.delivered < 0.02) {
    flags.push({ code: 'LOW_RESPONSE', message: 'Under 2% responded: the message or the audience is not right.' });
  }
  if (input.delivered >= FLAG_RULES.minDelivered && input.optOuts / input.delivered > 0.01) {
    flags.push({ code: 'HIGH_OPT_OUT', message: 'Over 1% opted out: too frequent, not opted in, or not relevant.' });
  }
  return flags;
}
