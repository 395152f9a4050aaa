import { z } from 'zod';

/**
 * One AWS End User Messaging SMS event record, as a configuration set publishes it to SNS. Only
 * the fields this system uses are required; everything else passes through.
 */
export const smsEventRecordSchema = z
  .object({
    eventType: z.string().regex(/^TEXT_[A-Z_]+$/, 'must be a TEXT_* event type'),
    eventTimestamp: z.number(),
    isFinal: z.boolean(),
    messageId: z.string().min(1),
    destinationPhoneNumber: z.string().optional(),
    messageStatus: z.string().optional(),
    messageStatusDescription: z.string().optional(),
    context: z.record(z.string(), z.string()).optional(),
    totalMessageParts: z.number().optional(),
    totalMessagePrice: z.number().optional(),
    totalCarrierFee: z.number().optional(),
  })
  .passthrough();
export type SmsEventRecord = z.infer<typeof smsEventRecordSchema>;

/** Final outcomes; anything not listed and not final is progress (queued, pending, ...). */
const DELIVERED = new Set(['TEXT_DELIVERED', 'TEXT_SUCCESSFUL']);

export type ReceiptOutcome = { kind: 'delivered' } | { kind: 'failed'; reason: string } | { kind: 'progress' };

/** What a record means for the recipient: delivered and failed only when the record is final. */
export function receiptOutcome(record: SmsEventRecord): ReceiptOutcome {
  if (!record.isFinal) return { kind: 'progress' };
  if (DELIVERED.has(record.eventType)) return { kind: 'delivered' };
  if (record.eventType === 'TEXT_QUEUED' || record.eventType === 'TEXT_PENDING') return { kind: 'progress' };
  return { kind: 'failed', reason: record.eventType.replace(/^TEXT_/, '').toLowerCase() };
}
