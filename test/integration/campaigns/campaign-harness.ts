import { monotonicFactory } from 'ulid';
import { createDocumentClient } from '../../../shared/adapters/aws/dynamo/document-client';
import { DynamoCampaignStore } from '../../../shared/adapters/aws/dynamo/dynamo-campaign-store';
import { DynamoContactStore } from '../../../shared/adapters/aws/dynamo/dynamo-contact-store';
import { DynamoInboundStore } from '../../../shared/adapters/aws/dynamo/dynamo-inbound-store';
import { DynamoLinkStore } from '../../../shared/adapters/aws/dynamo/dynamo-link-store';
import { DynamoNumberRegistry } from '../../../shared/adapters/aws/dynamo/dynamo-number-registry';
import { DynamoSettingsStore } from '../../../shared/adapters/aws/dynamo/dynamo-settings-store';
import { DynamoSmartListStore } from '../../../shared/adapters/aws/dynamo/dynamo-smart-list-store';
import type { LaunchMessage, SendBatchMessage, SendDeps } from '../../../shared/app/campaigns/campaign-deps';
import { launchCampaign } from '../../../shared/app/campaigns/launch-campaign.use-case';
import { sendCampaignBatch } from '../../../shared/app/campaigns/send-batch.use-case';
import { importContacts } from '../../../shared/app/contacts/import-contacts.use-case';
import { changeConsent } from '../../../shared/app/contacts/set-consent.use-case';
import { assignNumber } from '../../../shared/app/numbers/sender-numbers.use-case';
import { recordReceipts } from '../../../shared/app/receipts/record-receipts.use-case';
import { updateSettings } from '../../../shared/app/settings/settings.use-case';
import type { LedgerEntry } from '../../../shared/domain/campaigns/ledger.schema';
import type { Contact } from '../../../shared/domain/contacts/contact.schema';
import type { SmsEventRecord } from '../../../shared/domain/receipts/sms-event.schema';
import type { SettingsPatch } from '../../../shared/domain/settings/settings.schema';
import type { Clock } from '../../../shared/ports/clock.port';
import type { InboundStore } from '../../../shared/ports/inbound-store.port';
import type { Queue, QueueMessage, QueueName } from '../../../shared/ports/queue.port';
import type { OneTimeSchedule, Scheduler } from '../../../shared/ports/scheduler.port';
import type { OutboundSms, SendOutcome, SmsGateway } from '../../../shared/ports/sms-gateway.port';
import { startTestDynamo, type TestDynamo } from '../../support/dynalite';
import { ManualClock } from '../../support/manual-clock';

export { ManualClock };

export interface HeldMessage {
  queue: QueueName;
  body: unknown;
  visibleAt: number;
  sequence: number;
}

/**
 * The Queue port in memory: messages wait until the injected clock reaches their delay. `failOnCall` makes the n-th
 * `sendMessages` call (1-based) throw before accepting anything, as an SQS outage would.
 */
export class FakeQueue implements Queue {
  readonly held: HeldMessage[] = [];
  calls = 0;
  failOnCall: number | undefined;
  private sequence = 0;

  constructor(private readonly clock: Clock) {}

  async sendMessages(queue: QueueName, messages: QueueMessage[]): Promise<void> {
    this.calls++;
    if (this.failOnCall === this.calls) throw new Error(`simulated SQS outage on call ${this.calls}`);
    const now = this.clock.now().getTime();
    for (const message of messages) {
      this.held.push({
        queue,
        body: JSON.parse(JSON.stringify(message.body)),
        visibleAt: now + (message.delaySeconds ?? 0) * 1000,
        sequence: ++this.sequence,
      });
    }
  }

  /** Removes and returns the messages of `queue` visible now, oldest first. */
  takeVisible(queue: QueueName): unknown[] {
    const now = this.clock.now().getTime();
    const visible = this.held.filter((m) => m.queue === queue && m.visibleAt <= now);
    for (const message of visible) this.held.splice(this.held.indexOf(message), 1);
    return visible.sort((a, b) => a.sequence - b.sequence).map((m) => m.body);
  }

  /** When the next message of `queue` becomes visible, if any waits. */
  nextVisibleAt(queue: QueueName): number | undefined {
    const times = this.held.filter((m) => m.queue === queue).map((m) => m.visibleAt);
    return times.length ? Math.min(...times) : undefined;
  }

  /** Every recipient id named by the send messages held (duplicates included). */
  queuedRecipients(): string[] {
    return this.held
      .filter((m) => m.queue === 'send')
      .flatMap((m) => (m.body as SendBatchMessage).contactIds)
      .sort();
  }
}

export class FakeScheduler implements Scheduler {
  readonly schedules = new Map<string, OneTimeSchedule>();
  async createSchedule(schedule: OneTimeSchedule): Promise<void> {
    this.schedules.set(schedule.name, schedule);
  }
  async deleteSchedule(name: string): Promise<void> {
    this.schedules.delete(name);
  }
}

export interface GatewayCall {
  message: OutboundSms;
  at: string;
}

/**
 * The SMS port in memory: records every message handed to it, and answers `sent` unless `answer` says otherwise
 * for that call (e.g. throttle the first attempt to one number). `afterSend` runs once the message is handed over,
 * before the answer goes back (to cancel, or to crash, "while the carrier has it").
 */
export class FakeGateway implements SmsGateway {
  readonly calls: GatewayCall[] = [];
  answer: (message: OutboundSms, attempt: number) => SendOutcome | undefined = () => undefined;
  afterSend: ((message: OutboundSms) => Promise<void>) | undefined;
  private ids = 0;

  constructor(private readonly clock: Clock) {}

  async send(message: OutboundSms): Promise<SendOutcome> {
    const attempt = this.calls.filter(
      (c) => c.message.destinationPhoneNumber === message.destinationPhoneNumber,
    ).length;
    this.calls.push({ message: structuredClone(message), at: this.clock.now().toISOString() });
    await this.afterSend?.(message);
    return this.answer(message, attempt + 1) ?? { kind: 'sent', messageId: `msg-${++this.ids}` };
  }

  /** Messages handed over per destination phone. */
  countsByPhone(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const call of this.calls) {
      const phone = call.message.destinationPhoneNumber;
      counts.set(phone, (counts.get(phone) ?? 0) + 1);
    }
    return counts;
  }
}

export interface CampaignHarness {
  dynamo: TestDynamo;
  clock: ManualClock;
  queue: FakeQueue;
  scheduler: FakeScheduler;
  gateway: FakeGateway;
  campaigns: DynamoCampaignStore;
  deps: SendDeps & { inbound: InboundStore };
  newTenant(label: string): string;
  stop(): Promise<void>;
}

/** Dynalite with the real DynamoDB stores; queue, scheduler and carrier are in-memory fakes; time is manual. */
export async function startCampaignHarness(start = '2026-11-26T17:00:00.000Z'): Promise<CampaignHarness> {
  const dynamo = await startTestDynamo();
  const client = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const clock = new ManualClock(start);
  const queue = new FakeQueue(clock);
  const scheduler = new FakeScheduler();
  const gateway = new FakeGateway(clock);
  const campaigns = new DynamoCampaignStore(client, dynamo.tableNames.campaigns);
  const nextId = monotonicFactory();
  let tenants = 0;
  const deps: SendDeps & { inbound: InboundStore } = {
    campaigns,
    contacts: new DynamoContactStore(client, dynamo.tableNames.contacts),
    settings: new DynamoSettingsStore(client, dynamo.tableNames.contacts),
    inbound: new DynamoInboundStore(client, dynamo.tableNames.contacts),
    numbers: new DynamoNumberRegistry(client, dynamo.tableNames.numbers),
    smartLists: new DynamoSmartListStore(client, dynamo.tableNames.contacts),
    queue,
    scheduler,
    clock,
    ids: { next: () => nextId() },
    gateway,
    pacer: { acquire: async () => true },
    links: new DynamoLinkStore(client, dynamo.tableNames.campaigns),
    shortLinkBaseUrl: () => 'http://127.0.0.1:3000/l/',
  };
  return {
    dynamo,
    clock,
    queue,
    scheduler,
    gateway,
    campaigns,
    deps,
    newTenant: (label) => `${label}-${++tenants}`,
    async stop() {
      client.destroy();
      await dynamo.stop();
    },
  };
}

let numbersAssigned = 0;

/** Assigns the tenant a sender number of its own (`number`, or a fresh one), as an operator would; returns it. */
export async function assignTestNumber(h: CampaignHarness, tenantId: string, given?: string): Promise<string> {
  const number = given ?? `+1844555${String(1000 + ++numbersAssigned).slice(-4)}`;
  await assignNumber({ tenantId, number, mps: 100 }, h.deps);
  return number;
}

/** Every day 08:00-21:00: whatever the clock says in the tests' zones, the window is open unless a test narrows it. */
export const OPEN_WINDOW: SettingsPatch = {
  sendWindow: { start: '08:00', end: '21:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
};

/** A valid, distinct Chicago (312) number for each index. */
export const chicagoPhone = (index: number) => `+1312${(5_000_000 + index).toString()}`;

export interface ContactSpec {
  phone: string;
  firstName?: string;
  consent?: 'opted_in' | 'unknown' | 'opted_out';
  tags?: string[];
  timeZone?: string;
}

/** Sets the tenant's settings and imports the contacts (opting out those that say so); returns them by phone. */
export async function seedTenant(
  h: CampaignHarness,
  tenantId: string,
  specs: ContactSpec[],
  settings: SettingsPatch = OPEN_WINDOW,
): Promise<Map<string, Contact>> {
  // The operator's part: the number the settings pick (or a fresh one) is assigned to the tenant first.
  await assignTestNumber(h, tenantId, settings.originationIdentity ?? undefined);
  await updateSettings(tenantId, settings, h.deps);
  for (let i = 0; i < specs.length; i += 1000) {
    const rows = specs.slice(i, i + 1000).map((s) => ({
      phone: s.phone,
      ...(s.firstName ? { firstName: s.firstName } : {}),
      tags: s.tags ?? ['all'],
      smsConsent: s.consent === 'unknown' ? 'unknown' : 'opted_in',
      ...(s.timeZone ? { timeZone: s.timeZone } : {}),
    }));
    const result = await importContacts(tenantId, rows, h.deps);
    expect(result.rejected).toEqual([]);
  }
  const byPhone = new Map<string, Contact>();
  let cursor: string | undefined;
  do {
    const page = await h.deps.contacts.listContacts(tenantId, { limit: 500, cursor });
    for (const contact of page.items) byPhone.set(contact.phone, contact);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  for (const spec of specs.filter((s) => s.consent === 'opted_out')) {
    const contact = byPhone.get(spec.phone) as Contact;
    byPhone.set(
      spec.phone,
      (await changeConsent(tenantId, contact.id, 'opted_out', 'api', 'asked to stop', h.deps)) as Contact,
    );
  }
  return byPhone;
}

/** Runs the launcher for every launch message visible now. */
export async function runLaunches(h: CampaignHarness, owner = 'launcher'): Promise<void> {
  for (const body of h.queue.takeVisible('launch')) {
    await launchCampaign(body as LaunchMessage, h.deps, { leaseOwner: owner });
  }
}

/**
 * Runs the send worker over the send messages visible now, `concurrency` at a time (several Lambda invocations), again
 * and again until none is visible. A message whose handler throws goes back as SQS would (visible again after
 * `visibilityMs`) when `redeliver` is set.
 */
export async function runSends(
  h: CampaignHarness,
  options: { redeliver?: boolean; visibilityMs?: number; deps?: SendDeps; concurrency?: number } = {},
): Promise<{ failures: unknown[] }> {
  const failures: unknown[] = [];
  const concurrency = options.concurrency ?? 4;
  for (let batch = h.queue.takeVisible('send'); batch.length > 0; batch = h.queue.takeVisible('send')) {
    const work = [...batch];
    const worker = async () => {
      for (let body = work.shift(); body !== undefined; body = work.shift()) {
        try {
          await sendCampaignBatch(body as SendBatchMessage, options.deps ?? h.deps);
        } catch (error) {
          failures.push(error);
          if (options.redeliver) {
            await h.queue.sendMessages('send', [
              { body, delaySeconds: Math.ceil((options.visibilityMs ?? 30_000) / 1000) },
            ]);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }
  return { failures };
}

/**
 * Moves the clock to each next delayed send message and runs it, until no message waits (or `limit` rounds). A worker
 * failure fails the test: use `runSends` with `redeliver` to simulate crashes.
 */
export async function runSendsUntilEmpty(h: CampaignHarness, limit = 200): Promise<void> {
  for (let round = 0; round < limit; round++) {
    const { failures } = await runSends(h);
    if (failures.length > 0) throw failures[0];
    const next = h.queue.nextVisibleAt('send');
    if (next === undefined) return;
    if (next > h.clock.now().getTime()) h.clock.set(new Date(next).toISOString());
  }
  throw new Error(`the send queue did not empty in ${limit} rounds`);
}

/** The whole ledger of a campaign, by contact id. */
export async function ledgerOf(h: CampaignHarness, tenantId: string, campaignId: string) {
  const entries = new Map<string, LedgerEntry>();
  let cursor: string | undefined;
  do {
    const page = await h.campaigns.listLedger(tenantId, campaignId, { limit: 500, cursor });
    for (const entry of page.items) {
      expect(entries.has(entry.contactId)).toBe(false);
      entries.set(entry.contactId, entry);
    }
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}

/** Ledger statuses, counted. */
export function statusCounts(ledger: Map<string, LedgerEntry>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of ledger.values()) counts[entry.status] = (counts[entry.status] ?? 0) + 1;
  return counts;
}

/** Records receipts as the receipts function does, one queue message each (throws when any must be retried). */
export async function recordReceiptsOnce(h: CampaignHarness, records: SmsEventRecord[]) {
  const summary = await recordReceipts(
    records.map((record, i) => ({ key: String(i), record })),
    h.deps,
  );
  if (summary.failedKeys.length > 0) throw new Error(`receipts to retry: ${summary.failedKeys.join(',')}`);
  return summary;
}
