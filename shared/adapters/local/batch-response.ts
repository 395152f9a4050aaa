/** How a consumer's answer to a batch reads: which records failed, or the whole batch. */
export type BatchVerdict =
  | { kind: 'allSucceeded' }
  | { kind: 'allFailed'; reason: string }
  | { kind: 'someFailed'; messageIds: Set<string> };

/**
 * Reads a consumer's return value the way Lambda reads a partial batch response (ReportBatchItemFailures): nothing,
 * `{}` or an empty or null `batchItemFailures` is a complete success; a listed message id fails that record; a
 * response Lambda cannot read (not an object, `batchItemFailures` not a list, an item without a known message id) fails
 * the whole batch. The batch's message ids are asked for only when a failure is listed.
 */
export function readBatchResponse(result: unknown, batchMessageIds: () => ReadonlySet<string>): BatchVerdict {
  if (result === undefined || result === null) return { kind: 'allSucceeded' };
  if (typeof result !== 'object' || Array.isArray(result)) {
    return { kind: 'allFailed', reason: 'the batch response is not an object' };
  }
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'allSucceeded' };
  if (!Array.isArray(failures)) return { kind: 'allFailed', reason: 'batchItemFailures is not a list' };
  if (failures.length === 0) return { kind: 'allSucceeded' };
  const known = batchMessageIds();
  const messageIds = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !known.has(id)) {
      return { kind: 'allFailed', reason: `batchItemFailures names an unknown itemIdentifier: ${JSON.stringify(id)}` };
    }
    messageIds.add(id);
  }
  return { kind: 'someFailed', messageIds };
}
