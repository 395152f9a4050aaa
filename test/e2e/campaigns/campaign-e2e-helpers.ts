import { DateTime } from 'luxon';
import type { OutboxRecord } from '../../../shared/adapters/local/outbox-record';
import type { Campaign } from '../../../shared/domain/campaigns/campaign.schema';
import type { HttpClient } from '../../support/http-client';
import type { TestStack } from '../../support/local-stack';
import type { ImportResult, Page } from '../helpers/api';

export type { Campaign, OutboxRecord };

export interface Results {
  status: string;
  audience: number;
  skipped: Record<string, number>;
  sent: number;
  delivered: number;
  failed: number;
  failedByReason: Record<string, number>;
  unknown: number;
  cancelled: number;
  pending: number;
  segments: number;
}

export interface LedgerItem {
  contactId: string;
  phone: string;
  status: string;
  reason?: string;
  segments: number;
  sentAt?: string;
  deliveredAt?: string;
}

export const EVERY_DAY = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** What the helpers read time from: the test stack's own clock, never the machine's. */
type StackClock = Pick<TestStack, 'now'>;

/**
 * The UTC offset (hours, -11 to +12) at which the stack's clock reads `hour`:xx now, so a test can put contacts where
 * it is afternoon (or night) whatever instant the stack's clock started at.
 */
export function offsetAtHour(stack: StackClock, hour: number): number {
  const utcHour = DateTime.fromJSDate(stack.now(), { zone: 'utc' }).hour;
  return ((hour - utcHour + 36) % 24) - 12;
}

/** A fixed-offset zone where the stack's clock reads `hour`:xx now. `Etc/GMT-3` is UTC+3. */
export function zoneAtHour(stack: StackClock, hour: number): string {
  return fixedOffsetZone(offsetAtHour(stack, hour));
}

/** A zone where the stack's clock reads 14:xx: an 08:00-21:00 window is open there for hours. */
export function afternoonZone(stack: StackClock): string {
  return zoneAtHour(stack, 14);
}

/**
 * Moves the stack's clock forward to the next 14:00 in `zone`, unless it already reads between 12:00 and 16:00 there:
 * for tests of numbers whose zone comes from their prefix (AWS's simulator numbers are in the Pacific zone).
 */
export async function advanceToAfternoonIn(test: TestStack, zone: string): Promise<void> {
  const local = DateTime.fromJSDate(test.now(), { zone });
  if (local.hour >= 12 && local.hour < 16) return;
  let target = local.set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
  if (target <= local) target = target.plus({ days: 1 });
  await test.advance({ to: target.toUTC().toISO() as string });
}

/** The IANA name of a whole-hour UTC offset: `Etc/GMT-3` is UTC+3 (the sign is POSIX's, reversed). */
export function fixedOffsetZone(offsetHours: number): string {
  if (offsetHours === 0) return 'Etc/GMT';
  return offsetHours > 0 ? `Etc/GMT-${offsetHours}` : `Etc/GMT+${-offsetHours}`;
}

/**
 * A valid US toll-free number per index. Its prefix has no time zone of its own, so the contact's stored zone alone
 * decides its quiet hours: that keeps the suite independent of the hour it runs at.
 */
export const tollFree = (index: number) => `+1855${2_000_000 + index}`;

/** The settings every campaign e2e tenant starts with: 08:00-21:00 every day in the afternoon zone. */
export function openWindowSettings(zone: string, mps = 1000) {
  return { defaultTimeZone: zone, sendWindow: { start: '08:00', end: '21:00', days: EVERY_DAY }, mps };
}

/**
 * Polls `read` until `done` holds, for at least `timeoutMs` (counted in polls, never by reading a clock); fails with
 * the last value seen.
 */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  { timeoutMs = 20_000, intervalMs = 50, what = 'the condition' } = {},
): Promise<T> {
  let last: T = await read();
  for (let polls = Math.ceil(timeoutMs / intervalMs); !done(last); polls--) {
    if (polls <= 0) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}

/** What the carrier accepted for a campaign (its own record, not the pipeline's counters). */
export function outboxOf(test: TestStack, campaignId: string): OutboxRecord[] {
  return test.stack.messaging.carrier.outbox().filter((record) => record.context.campaignId === campaignId);
}

/** Outbox records per destination phone. */
export function perPhone(records: OutboxRecord[]): Map<string, OutboxRecord[]> {
  const byPhone = new Map<string, OutboxRecord[]>();
  for (const record of records) byPhone.set(record.to, [...(byPhone.get(record.to) ?? []), record]);
  return byPhone;
}

export async function importAll(api: HttpClient, rows: unknown[]): Promise<ImportResult> {
  const total: ImportResult = { created: 0, updated: 0, rejected: [] };
  for (let i = 0; i < rows.length; i += 1000) {
    const response = await api.post<ImportResult>('/v1/contacts/import', { contacts: rows.slice(i, i + 1000) });
    expect(response.status).toBe(200);
    total.created += response.body.created;
    total.updated += response.body.updated;
    total.rejected.push(...response.body.rejected.map((r) => ({ ...r, index: r.index + i })));
  }
  return total;
}

/** Every contact of the tenant, id by phone. */
export async function contactIdsByPhone(api: HttpClient): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<{ id: string; phone: string }>>('/v1/contacts', { query: { limit: 500, cursor } });
    expect(page.status).toBe(200);
    for (const contact of page.body.items) ids.set(contact.phone, contact.id);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return ids;
}

/** The whole per-recipient ledger, through the API's pages. */
export async function ledgerOf(api: HttpClient, campaignId: string, status?: string): Promise<LedgerItem[]> {
  const items: LedgerItem[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<Page<LedgerItem>>(`/v1/campaigns/${campaignId}/messages`, {
      query: { limit: 200, cursor, status },
    });
    expect(page.status).toBe(200);
    items.push(...page.body.items);
    cursor = page.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

export async function resultsOf(api: HttpClient, campaignId: string): Promise<Results> {
  const response = await api.get<Results>(`/v1/campaigns/${campaignId}/results`);
  expect(response.status).toBe(200);
  return response.body;
}

export async function createCampaign(api: HttpClient, body: Record<string, unknown>): Promise<Campaign> {
  const response = await api.post<Campaign>('/v1/campaigns', body);
  expect(response.status).toBe(201);
  return response.body;
}

/** A local date-time `seconds` after the stack's time now in `zone`, as a person would type it (with seconds). */
export function localTimeIn(zone: string, secondsFromNow: number, stack: StackClock): string {
  return DateTime.fromJSDate(stack.now(), { zone }).plus({ seconds: secondsFromNow }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}
