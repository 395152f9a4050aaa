import { z } from 'zod';
import { smsEventRecordSchema as receivedSmsEventRecordSchema } from '../../domain/receipts/sms-event.schema';

/**
 * One AWS End User Messaging SMS (v2) event record as the simulated carrier emits it: the receipt processor's own
 * record schema, with every documented attribute AWS always sends made required (`mcc`, `mnc` and `carrierName` are
 * optional on AWS and left out here). See
 * https://docs.aws.amazon.com/sms-voice/latest/userguide/configuration-sets-event-format.html.
 */
export const smsEventRecordSchema = receivedSmsEventRecordSchema.strip().extend({
  eventVersion: z.string(),
  eventTimestamp: z.number().int(),
  originationPhoneNumber: z.string(),
  destinationPhoneNumber: z.string(),
  isoCountryCode: z.string().length(2),
  isInternationalSend: z.boolean(),
  mcc: z.string().optional(),
  mnc: z.string().optional(),
  carrierName: z.string().optional(),
  messageRequestTimestamp: z.number().int(),
  messageEncoding: z.enum(['GSM', 'UNICODE']),
  messageType: z.enum(['PROMOTIONAL', 'TRANSACTIONAL']),
  messageStatus: z.string(),
  messageStatusDescription: z.string(),
  totalMessageParts: z.number().int().positive(),
  totalMessagePrice: z.number().nonnegative(),
  totalCarrierFee: z.number().nonnegative(),
});
export type SmsEventRecord = z.infer<typeof smsEventRecordSchema>;

/** How a simulated message ends. */
export type SimulatedOutcome = 'delivered' | 'failed';

/** The final event of each outcome: a delivery, or the failure AWS's failure simulator numbers produce. */
const FINAL_EVENTS: Record<
  SimulatedOutcome,
  { eventType: string; messageStatus: string; messageStatusDescription: string }
> = {
  delivered: {
    eventType: 'TEXT_DELIVERED',
    messageStatus: 'DELIVERED',
    messageStatusDescription: 'Message has been accepted by phone',
  },
  failed: {
    eventType: 'TEXT_CARRIER_UNREACHABLE',
    messageStatus: 'CARRIER_UNREACHABLE',
    messageStatusDescription: 'Phone carrier is currently unreachable/unavailable',
  },
};

export interface FinalEventInput {
  outcome: SimulatedOutcome;
  /** A failure of this type (the blocking control); by default the failure simulator number's. */
  failureType?: CarrierFailureType | undefined;
  messageId: string;
  from: string;
  to: string;
  isoCountryCode: string;
  isInternationalSend: boolean;
  encoding: 'GSM-7' | 'UCS-2';
  messageType: 'PROMOTIONAL' | 'TRANSACTIONAL';
  context: Record<string, string>;
  parts: number;
  requestedAt: number;
  reportedAt: number;
  pricePerPartUsd: number;
  carrierFeePerPartUsd: number;
}

/** Prices are reported with five decimals, as AWS does. */
function usd(amount: number): number {
  return Math.round(amount * 100_000) / 100_000;
}

/** The failure types a carrier may report (AWS's `TEXT_<type>` event types), for the local blocking control. */
export const CARRIER_FAILURE_TYPES = [
  'BLOCKED',
  'CARRIER_BLOCKED',
  'SPAM',
  'UNREACHABLE',
  'CARRIER_UNREACHABLE',
  'TTL_EXPIRED',
  'INVALID',
  'INVALID_MESSAGE',
  'PROTECT_BLOCKED',
  'UNKNOWN',
] as const;
export type CarrierFailureType = (typeof CARRIER_FAILURE_TYPES)[number];

/** The final event of a failure of a given type, as AWS reports it. */
function failureEvent(type: CarrierFailureType) {
  return {
    eventType: `TEXT_${type}`,
    messageStatus: type,
    messageStatusDescription: `The carrier reported ${type.toLowerCase().replaceAll('_', ' ')} (simulated)`,
  };
}

/** The final event record of a simulated message, shaped exactly as AWS publishes it. */
export function finalEventRecord(input: FinalEventInput): SmsEventRecord {
  const event =
    input.outcome === 'failed' && input.failureType ? failureEvent(input.failureType) : FINAL_EVENTS[input.outcome];
  return {
    eventType: event.eventType,
    eventVersion: '1.0',
    eventTimestamp: input.reportedAt,
    isFinal: true,
    originationPhoneNumber: input.from,
    destinationPhoneNumber: input.to,
    isoCountryCode: input.isoCountryCode,
    isInternationalSend: input.isInternationalSend,
    messageId: input.messageId,
    messageRequestTimestamp: input.requestedAt,
    messageEncoding: input.encoding === 'GSM-7' ? 'GSM' : 'UNICODE',
    messageType: input.messageType,
    messageStatus: event.messageStatus,
    messageStatusDescription: event.messageStatusDescription,
    context: { ...input.context },
    totalMessageParts: input.parts,
    totalMessagePrice: usd(input.pricePerPartUsd * input.parts),
    totalCarrierFee: input.outcome === 'delivered' ? usd(input.carrierFeePerPartUsd * input.parts) : 0,
  };
}
