import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoContact } from '../local/demo-contacts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../local/local-stack';
import { mapConcurrent } from '../shared/lib/map-concurrent';

export interface BenchStack {
  stack: LocalStack;
  /** Calls the API as `tenantId`; throws on a non-2xx answer. */
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
  importContacts(
    contacts: readonly Partial<DemoContact>[] & object[],
    onProgress?: (done: number) => void,
  ): Promise<void>;
  stop(): Promise<void>;
}

/** A fresh local stack (dynalite on disk in a temp folder, unless `inMemory`) and a client for one tenant. */
export async function startBenchStack(
  tenantId: string,
  inMemory = false,
  options: Omit<LocalStackOptions, 'port' | 'dataDir'> = {},
): Promise<BenchStack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'sms-bench-'));
  const stack = await startLocalStack({ ...options, port: 0, dataDir: inMemory ? undefined : dataDir });
  const token = await stack.auth.sign(tenantId);
  // What a first `/local/token` does: the tenant gets a simulated sender number of its own.
  await stack.numbers.ensureNumber(tenantId);
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    stack,
    call,
    async importContacts(contacts, onProgress) {
      const batches: object[][] = [];
      for (let i = 0; i < contacts.length; i += 1000) batches.push(contacts.slice(i, i + 1000));
      let done = 0;
      await mapConcurrent(batches, 4, async (batch) => {
        const result = await call<{ rejected: unknown[] }>('POST', '/v1/contacts/import', { contacts: batch });
        if (result.rejected.length > 0) throw new Error(`import rejected rows: ${JSON.stringify(result.rejected[0])}`);
        done += batch.length;
        onProgress?.(done);
      });
    },
    async stop() {
      await stack.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The p-th percentile (0-100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? 0;
}
