/** Milliseconds to wait before retry number `attempt` (1 for the first retry). */
export type Backoff = (attempt: number) => number;

export interface ExponentialBackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Source of randomness in [0, 1); injected by tests that want exact delays. */
  random?: () => number;
}

/**
 * Exponential backoff with "full jitter" (a random wait between 0 and the exponential cap), so
 * that the many workers refused at the same moment do not all come back at the same moment.
 */
export function exponentialBackoff({ baseMs, maxMs, random = Math.random }: ExponentialBackoffOptions): Backoff {
  return (attempt) => Math.floor(random() * Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1)));
}

/** Real waiting; adapters take a `sleep` option so tests can replace it. */
export const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
