/**
 * Paces calls to a rate shared by every caller in this process: `acquire` resolves when a token is
 * free. Tokens refill continuously at `ratePerSecond`, with a burst of one second's worth, so a
 * sender never exceeds its messages-per-second budget and keeps the pipe full when work is waiting.
 */
export class TokenBucketPacer {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number; queue: Promise<void> }>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  acquire(key: string, ratePerSecond: number): Promise<void> {
    const bucket = this.buckets.get(key) ?? { tokens: ratePerSecond, updatedAt: this.now(), queue: Promise.resolve() };
    this.buckets.set(key, bucket);
    // Callers take tokens one after another, in arrival order.
    const turn = bucket.queue.then(async () => {
      for (;;) {
        const now = this.now();
        bucket.tokens = Math.min(ratePerSecond, bucket.tokens + ((now - bucket.updatedAt) / 1000) * ratePerSecond);
        bucket.updatedAt = now;
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000)));
      }
    });
    bucket.queue = turn;
    return turn;
  }
}
