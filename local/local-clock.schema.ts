import { DateTime, Duration } from 'luxon';
import { z } from 'zod';

/** An instant with its offset (or Z): a time without one would mean something else on every machine. */
const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO-8601 instant with its offset; undefined when it is not one. */
export function parseInstant(value: string): number | undefined {
  if (!INSTANT_WITH_OFFSET.test(value.trim())) return undefined;
  const parsed = DateTime.fromISO(value.trim(), { setZone: true });
  return parsed.isValid ? parsed.toMillis() : undefined;
}

/** `POST /local/clock`: exactly one of `advance` (an ISO-8601 duration) or `to` (an instant with its offset). */
export const clockMoveBody = z
  .strictObject({
    advance: z
      .string()
      .refine((value) => Duration.fromISO(value).isValid, 'must be an ISO-8601 duration such as PT2H or P1DT30M')
      .meta({
        description: 'Move forward by this ISO-8601 duration (calendar-aware: P1D is one day)',
        example: 'PT2H',
      }),
    to: z
      .string()
      .refine((value) => parseInstant(value) !== undefined, 'must be an ISO-8601 date-time with its offset')
      .meta({
        description: 'Move forward to this instant (with its offset or Z)',
        example: '2026-12-02T10:00:00-06:00',
      }),
  })
  .partial()
  .refine((body) => (body.advance === undefined) !== (body.to === undefined), {
    message: 'give exactly one of advance (a duration) or to (a date-time)',
    path: ['(body)'],
  });

/** `GET /local/clock`. */
export const clockReading = z.object({
  now: z.string().meta({ description: "The stack's time now (UTC)" }),
  offsetMs: z
    .number()
    .meta({ description: "How far the stack's clock runs ahead of the machine's (negative: behind)" }),
});

/** `POST /local/clock`: what the move did, answered once the stack has settled at the new time. */
export const clockAdvanceResult = z.object({
  from: z.string(),
  now: z.string(),
  fired: z.number().int().meta({ description: 'Timers that fell due on the way and fired' }),
  steps: z
    .number()
    .int()
    .meta({ description: 'Due instants stepped through, in order, the stack settling after each' }),
});
