import { DateTime, Duration } from 'luxon';
import type { ClockBackwardError, LocalClock } from '../shared/adapters/local/local-clock';
import type { ClockTravel } from './clock-travel';
import { clockMoveBody, parseInstant } from './local-clock.schema';

type LocalResponse = { status: number; body: unknown };

const validationFailed = (details: { path: string; message: string }[]): LocalResponse => ({
  status: 400,
  body: {
    error: {
      code: 'VALIDATION_FAILED',
      message: details.map((d) => `${d.path}: ${d.message}`).join('; '),
      details,
    },
    requestId: 'local',
  },
});

/** `GET /local/clock`: what the stack's clock reads, and how far it runs from the machine's. */
export function readClock(clock: LocalClock): LocalResponse {
  return { status: 200, body: { now: clock.now().toISOString(), offsetMs: Math.round(clock.offset) } };
}

/**
 * `POST /local/clock`: moves the clock forward, firing what falls due on the way, in order, and answers once the
 * stack has settled at the new time. 400 for a body it does not know, 409 for a time before the clock's reading.
 */
export async function moveClock(travel: ClockTravel, body: unknown): Promise<LocalResponse> {
  const parsed = clockMoveBody.safeParse(body ?? {});
  if (!parsed.success) {
    return validationFailed(
      parsed.error.issues.map((issue) => ({
        path: issue.path.length > 0 ? issue.path.join('.') : '(body)',
        message: issue.message,
      })),
    );
  }
  const { advance, to } = parsed.data;
  try {
    const result = await travel.advanceTo((nowMs) =>
      advance !== undefined
        ? DateTime.fromMillis(nowMs, { zone: 'utc' }).plus(Duration.fromISO(advance)).toMillis()
        : (parseInstant(to as string) as number),
    );
    return { status: 200, body: result };
  } catch (error) {
    // By name: the clock may come from another module instance (a test that re-imports the stack).
    if (!(error instanceof Error) || error.name !== 'ClockBackwardError') throw error;
    const backward = error as ClockBackwardError;
    return {
      status: 409,
      body: {
        error: {
          code: 'CLOCK.BACKWARD',
          message: backward.message,
          details: [{ path: advance !== undefined ? 'advance' : 'to', message: 'must not be before the clock' }],
          now: backward.now.toISOString(),
        },
        requestId: 'local',
      },
    };
  }
}
