/**
 * A token bucket: `ratePerSecond` tokens a second, at most `capacity` saved up. The simulated carrier takes one per
 * message, so it accepts a second's worth in a burst and then `ratePerSecond` a second, as an origination identity's
 * MPS limit does. Time is passed in, so an injected clock drives it.
 */
export class TokenBucket {
  private tokens: number;
  private refilledAt: number | undefined;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number = Math.max(1, ratePerSecond),
  ) {
    if (!(ratePerSecond > 0)) throw new RangeError(`the rate must be above 0, got ${ratePerSecond}`);
    this.tokens = capacity;
  }

  /** Takes a token if one is there at `nowMs`. */
  tryTake(nowMs: number): boolean {
    if (this.refilledAt !== undefined && nowMs > this.refilledAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.refilledAt) * this.ratePerSecond) / 1000);
    }
    if (this.refilledAt === undefined || nowMs > this.refilledAt) this.refilledAt = nowMs;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
