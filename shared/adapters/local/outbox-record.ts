import { z } from 'zod';

/** A message the simulated carrier accepted, as `GET /local/outbox` lists it and its outbox file keeps it. */
export const outboxRecordSchema = z.object({
  messageId: z.string(),
  to: z.string(),
  from: z.string(),
  body: z.string(),
  segments: z.number().int().nonnegative(),
  /** ISO 8601, UTC. */
  acceptedAt: z.iso.datetime(),
  outcome: z.enum(['delivered', 'failed']),
  /** For a failure the blocking control caused: its AWS failure type (`SPAM`, `CARRIER_BLOCKED`...). */
  failureType: z.string().optional(),
  /** The map the send call carried (tenant, campaign or workflow, contact ids), echoed in the receipt. */
  context: z.record(z.string(), z.string()),
  /** As the send call gave it (records written before it was kept lack it). */
  messageType: z.enum(['TRANSACTIONAL', 'PROMOTIONAL']).optional(),
});
export type OutboxRecord = z.infer<typeof outboxRecordSchema>;
