import { ConcurrentModificationError, ConflictError } from '../domain/errors';

/**
 * Re-runs a read-modify-write when a conditional write lost to a concurrent change, so two
 * simultaneous edits of one contact both land; after `attempts` losses it reports a 409.
 */
export async function retryOnConflict<T>(operation: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!(error instanceof ConcurrentModificationError)) throw error;
      if (attempt >= attempts) {
        throw new ConflictError('CONCURRENT_MODIFICATION', 'The resource kept changing during this request; try again');
      }
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
