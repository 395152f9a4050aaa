import type { Clock } from '../ports/clock.port';
import type { RateBudget } from '../ports/rate-budget.port';

/**
 * Paces calls to a rate shared by every caller in this process: `acquire` resolves when a token is
 * free. Tokens refill continuously at `ratePerSecond`, with a burst of one second's worth (at least one message), so a
 * sender never exceeds its messages-per-second budget and keeps the pipe full when work is waiting.
 */
export class TokenBucketPacer implements RateBudget {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; queue: Promise<void> }>();

  constructor(private readonly clock: Pick<Clock, 'now' | 'sleep'>) {}

  acquire(key: string, ratePerSecond: number, notAfter = Number.POSITIVE_INFINITY): Promise<boolean> {
    const now = () => this.clock.now().getTime();
    const bucket = this.buckets.get(key) ?? { tokens: ratePerSecond, updatedAt: now(), queue: Promise.resolve() };
    this.buckets.set(key, bucket);
    // Callers take tokens one after another, in arrival order.
    const turn = bucket.queue.then(async () => {
      for (;;) {
        const at = now();
        // At least one token fits, or a rate under 1 a second would never reach a whole one.
        bucket.tokens = Math.min(
          Math.max(1, ratePerSecond),
          bucket.tokens + (Math.max(0, at - bucket.updatedAt) / 1000) * ratePerSecond,
        );
        bucket.updatedAt = at;
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return true;
        }
        const wait = Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000);
        // No token before the caller's deadline: it takes none, and says so at once.
        if (at + wait > notAfter) return false;
        await this.clock.sleep(wait);
      }
    });
    bucket.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }
}
