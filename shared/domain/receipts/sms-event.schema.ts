import { z } from 'zod';
import { type FailureReason, failureReasonOf } from './failure-reasons';

/**
 * One AWS End User Messaging SMS event record, as a configuration set publishes it to SNS. Only
 * the fields this system uses are required; everything else passes through. The local stack's
 * simulated carrier emits records through this same schema.
 */
export const smsEventRecordSchema = z
  .object({
    eventType: z.string().regex(/^TEXT_[A-Z_]+$/, 'must be a TEXT_* event type'),
    eventVersion: z.string().optional(),
    eventTimestamp: z.number(),
    isFinal: z.boolean(),
    originationPhoneNumber: z.string().optional(),
    messageId: z.string().min(1),
    messageRequestTimestamp: z.number().optional(),
    destinationPhoneNumber: z.string().optional(),
    isoCountryCode: z.string().optional(),
    messageEncoding: z.string().optional(),
    messageType: z.string().optional(),
    messageStatus: z.string().optional(),
    messageStatusDescription: z.string().optional(),
    context: z.record(z.string(), z.string()).optional(),
    totalMessageParts: z.number().optional(),
    totalMessagePrice: z.number().optional(),
    totalCarrierFee: z.number().optional(),
  })
  .passthrough();
export type SmsEventRecord = z.infer<typeof smsEventRecordSchema>;

const DELIVERED = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);
const PROGRESS = new Set(['TEXT_QUEUED', 'TEXT_PENDING']);

export type ReceiptOutcome =
  | { kind: 'delivered'; rankKey: string }
  | { kind: 'failed'; reason: FailureReason; rankKey: string }
  | { kind: 'progress' };

/**
 * What a record means for the recipient. `TEXT_DELIVERED`/`TEXT_SUCCESSFUL` with `isFinal` are
 * delivered; queued, pending and non-final records are progress (proof the carrier has it); every
 * other final type is a failure with its category. Two final records of one message (rare, but
 * carriers do correct themselves) are ordered by `rankKey` (event time, then type), so the outcome
 * does not depend on the order they arrive in.
 */
export function receiptOutcome(record: SmsEventRecord): ReceiptOutcome {
  if (!record.isFinal || PROGRESS.has(record.eventType)) return { kind: 'progress' };
  const rankKey = `${String(record.eventTimestamp).padStart(15, '0')}#${record.eventType}`;
  if (DELIVERED.has(record.eventType)) return { kind: 'delivered', rankKey };
  return { kind: 'failed', reason: failureReasonOf(record.eventType), rankKey };
}

/** The carrier's price of the message (price plus carrier fee), when the record carries it. */
export function recordPriceUsd(record: SmsEventRecord): number | undefined {
  if (record.totalMessagePrice === undefined && record.totalCarrierFee === undefined) return undefined;
  return Math.round(((record.totalMessagePrice ?? 0) + (record.totalCarrierFee ?? 0)) * 1e10) / 1e10;
}
