import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileScheduleStore } from '../../../shared/adapters/local/file-schedule-store';
import { LocalScheduler, type LocalSchedulerOptions } from '../../../shared/adapters/local/local-scheduler';
import { localTimeToInstant } from '../../../shared/adapters/local/local-time';
import { MemoryScheduleStore } from '../../../shared/adapters/local/memory-schedule-store';
import type { ScheduleStore, StoredSchedule } from '../../../shared/adapters/local/schedule-store';
import type { OneTimeSchedule, ScheduleTarget } from '../../../shared/ports/scheduler.port';
import { ManualTime } from './manual-time';

interface Fire {
  target: ScheduleTarget;
  payload: Record<string, unknown>;
  at: string;
}

function schedule(overrides: Partial<OneTimeSchedule> = {}): OneTimeSchedule {
  return {
    name: 'campaign-01JX',
    at: '2025-06-02T10:00:00',
    timeZone: 'America/New_York',
    target: 'launcher',
    payload: { tenantId: 't-1', campaignId: '01JX' },
    ...overrides,
  };
}

/** A scheduler on manual time that records what it fires. */
function startScheduler(time: ManualTime, store: ScheduleStore, options: Partial<LocalSchedulerOptions> = {}) {
  const fires: Fire[] = [];
  const scheduler = new LocalScheduler({
    store,
    clock: time,
    timers: time,
    invokeTarget: async (target, payload) => {
      fires.push({ target, payload, at: time.now().toISOString() });
    },
    ...options,
  });
  return { scheduler, fires };
}

describe('localTimeToInstant', () => {
  it.each([
    ['2025-06-02T10:00:00', 'America/New_York', '2025-06-02T14:00:00.000Z'],
    ['2025-06-02T10:00:00', 'Asia/Kolkata', '2025-06-02T04:30:00.000Z'],
    ['2025-06-02T10:00:00', 'Australia/Sydney', '2025-06-02T00:00:00.000Z'],
    ['2025-06-02T10:00:00', 'UTC', '2025-06-02T10:00:00.000Z'],
    // Spring forward: the missing local time moves forward by the gap.
    ['2025-03-09T02:30:00', 'America/New_York', '2025-03-09T07:30:00.000Z'],
    ['2025-03-30T02:00:00', 'Europe/Paris', '2025-03-30T01:00:00.000Z'],
    // Fall back: a local time that happens twice is its first occurrence.
    ['2025-11-02T01:30:00', 'America/New_York', '2025-11-02T05:30:00.000Z'],
    ['2025-04-06T01:45:00', 'Australia/Lord_Howe', '2025-04-05T14:45:00.000Z'],
  ])('reads %s in %s as %s', (at, zone, instant) => {
    expect(localTimeToInstant(at, zone).toISOString()).toBe(instant);
  });

  it.each([
    ['2025-06-02 10:00:00', 'UTC'],
    ['2025-06-02T10:00', 'UTC'],
    ['2025-02-30T10:00:00', 'UTC'],
    ['2025-06-02T24:00:00', 'UTC'],
    ['2025-06-02T10:00:00', 'Mars/Olympus_Mons'],
  ])('refuses %s in %s', (at, zone) => {
    expect(() => localTimeToInstant(at, zone)).toThrow(RangeError);
  });
});

describe('LocalScheduler', () => {
  let time: ManualTime;

  beforeEach(() => {
    time = new ManualTime('2025-06-02T00:00:00.000Z');
  });

  it('fires each schedule once, with exactly its payload, at the instant its local time names in its zone', async () => {
    // Arrange
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();
    const payload = { tenantId: 't-1', campaignId: 'c-ny', nested: { list: [1, 'two', null] } };

    // Act
    await scheduler.createSchedule(
      schedule({ name: 'ny', at: '2025-06-02T09:00:00', timeZone: 'America/New_York', payload }),
    );
    await scheduler.createSchedule(
      schedule({
        name: 'tokyo',
        at: '2025-06-02T10:00:00',
        timeZone: 'Asia/Tokyo',
        target: 'workflows',
        payload: { n: 1 },
      }),
    );
    await scheduler.createSchedule(
      schedule({ name: 'kolkata', at: '2025-06-02T09:00:00', timeZone: 'Asia/Kolkata', payload: { n: 2 } }),
    );
    await time.advanceTo('2025-06-02T12:59:59.999Z');
    await scheduler.idle();
    const beforeNewYork = fires.map((fire) => fire.at);
    await time.advanceTo('2025-06-03T00:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(beforeNewYork).toEqual(['2025-06-02T01:00:00.000Z', '2025-06-02T03:30:00.000Z']);
    expect(fires).toEqual([
      { target: 'workflows', payload: { n: 1 }, at: '2025-06-02T01:00:00.000Z' },
      { target: 'launcher', payload: { n: 2 }, at: '2025-06-02T03:30:00.000Z' },
      { target: 'launcher', payload, at: '2025-06-02T13:00:00.000Z' },
    ]);
    expect(await scheduler.pending()).toEqual([]);
    expect(time.pendingTimers).toBe(0);
    await scheduler.stop();
  });

  it('fires at once a schedule whose time passed while it was stopped, after a restart on the same file', async () => {
    // Arrange: a first run stores the schedule, then stops before its time
    const dataDir = await mkdtemp(join(tmpdir(), 'local-scheduler-'));
    try {
      const first = startScheduler(time, new FileScheduleStore(dataDir));
      await first.scheduler.start();
      await first.scheduler.createSchedule(schedule({ at: '2025-06-02T10:00:00', timeZone: 'America/New_York' }));
      await first.scheduler.createSchedule(schedule({ name: 'later', at: '2025-06-09T10:00:00' }));
      await first.scheduler.stop();
      const stored = JSON.parse(await readFile(join(dataDir, 'schedules.json'), 'utf8'));

      // Act: the stack comes back two hours after the first schedule's time
      time = new ManualTime('2025-06-02T16:00:00.000Z');
      const second = startScheduler(time, new FileScheduleStore(dataDir));
      await second.scheduler.start();
      await second.scheduler.idle();

      // Assert
      expect(stored.schedules.map((s: StoredSchedule) => [s.name, s.fireAt])).toEqual([
        ['campaign-01JX', '2025-06-02T14:00:00.000Z'],
        ['later', '2025-06-09T14:00:00.000Z'],
      ]);
      expect(first.fires).toEqual([]);
      expect(second.fires).toEqual([
        { target: 'launcher', payload: { tenantId: 't-1', campaignId: '01JX' }, at: '2025-06-02T16:00:00.000Z' },
      ]);
      const after = JSON.parse(await readFile(join(dataDir, 'schedules.json'), 'utf8'));
      expect(after.schedules.map((s: StoredSchedule) => s.name)).toEqual(['later']);
      expect(await readdir(dataDir)).toEqual(['schedules.json']);
      await second.scheduler.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('never fires a schedule deleted before its time', async () => {
    // Arrange
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();
    await scheduler.createSchedule(schedule());

    // Act
    await scheduler.deleteSchedule('campaign-01JX');
    await scheduler.deleteSchedule('never-existed');
    await time.advanceTo('2025-06-10T00:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(fires).toEqual([]);
    expect(time.pendingTimers).toBe(0);
    await scheduler.stop();
  });

  it('replaces a schedule created again under the same name', async () => {
    // Arrange
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();
    await scheduler.createSchedule(schedule({ at: '2025-06-02T10:00:00', payload: { version: 1 } }));

    // Act
    await scheduler.createSchedule(schedule({ at: '2025-06-02T11:00:00', payload: { version: 2 } }));
    await time.advanceTo('2025-06-02T14:30:00.000Z');
    await scheduler.idle();
    const atOldTime = [...fires];
    await time.advanceTo('2025-06-03T00:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(atOldTime).toEqual([]);
    expect(fires).toEqual([{ target: 'launcher', payload: { version: 2 }, at: '2025-06-02T15:00:00.000Z' }]);
    await scheduler.stop();
  });

  it('fires a local time lost to the spring-forward gap once, after the gap', async () => {
    // Arrange
    time = new ManualTime('2025-03-08T00:00:00.000Z');
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();

    // Act
    await scheduler.createSchedule(schedule({ at: '2025-03-09T02:30:00', timeZone: 'America/New_York' }));
    await time.advanceTo('2025-03-10T00:00:00.000Z');
    await scheduler.idle();

    // Assert: 02:30 does not exist that night; it fires at 03:30 EDT
    expect(fires.map((fire) => fire.at)).toEqual(['2025-03-09T07:30:00.000Z']);
    await scheduler.stop();
  });

  it('fires a schedule further away than a Node timer can wait', async () => {
    // Arrange
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();

    // Act
    await scheduler.createSchedule(schedule({ at: '2025-08-01T00:00:00', timeZone: 'UTC' }));
    await time.advanceTo('2025-07-31T23:59:59.999Z');
    await scheduler.idle();
    const early = [...fires];
    await time.advanceTo('2025-08-01T00:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(early).toEqual([]);
    expect(fires.map((fire) => fire.at)).toEqual(['2025-08-01T00:00:00.000Z']);
    await scheduler.stop();
  });

  it('retries a failing fire with backoff, then records it as dead-lettered', async () => {
    // Arrange
    const attempts: string[] = [];
    const deadLettered: StoredSchedule[] = [];
    const store = new MemoryScheduleStore();
    const scheduler = new LocalScheduler({
      store,
      clock: time,
      timers: time,
      retry: { maxAttempts: 3, baseDelayMs: 1_000 },
      invokeTarget: async () => {
        attempts.push(time.now().toISOString());
        throw new Error('launcher unavailable');
      },
      onDeadLetter: (dead) => {
        deadLettered.push(dead);
      },
    });
    await scheduler.start();

    // Act
    await scheduler.createSchedule(schedule({ at: '2025-06-02T00:10:00', timeZone: 'UTC' }));
    await time.advanceTo('2025-06-02T01:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(attempts).toEqual(['2025-06-02T00:10:00.000Z', '2025-06-02T00:10:01.000Z', '2025-06-02T00:10:03.000Z']);
    const [dead] = await scheduler.deadLetters();
    expect(dead).toMatchObject({
      name: 'campaign-01JX',
      state: 'deadLettered',
      attempts: 3,
      lastError: 'launcher unavailable',
    });
    expect(deadLettered).toEqual([dead]);
    expect(await scheduler.pending()).toEqual([]);
    expect(await store.list()).toEqual([dead]);
    await scheduler.stop();
  });

  it('deletes a schedule once a retry succeeds', async () => {
    // Arrange
    let calls = 0;
    const store = new MemoryScheduleStore();
    const scheduler = new LocalScheduler({
      store,
      clock: time,
      timers: time,
      invokeTarget: async () => {
        calls += 1;
        if (calls === 1) throw new Error('transient');
      },
    });
    await scheduler.start();

    // Act
    await scheduler.createSchedule(schedule({ at: '2025-06-02T00:10:00', timeZone: 'UTC' }));
    await time.advanceTo('2025-06-02T01:00:00.000Z');
    await scheduler.idle();

    // Assert
    expect(calls).toBe(2);
    expect(await store.list()).toEqual([]);
    await scheduler.stop();
  });

  it('refuses what EventBridge Scheduler would refuse', async () => {
    // Arrange
    const { scheduler } = startScheduler(time, new MemoryScheduleStore());

    // Act / Assert
    await expect(scheduler.createSchedule(schedule({ name: '' }))).rejects.toThrow(RangeError);
    await expect(scheduler.createSchedule(schedule({ at: '2025-06-02T10:00' }))).rejects.toThrow(RangeError);
    await expect(scheduler.createSchedule(schedule({ timeZone: 'Nowhere/Town' }))).rejects.toThrow(RangeError);
    await expect(scheduler.createSchedule(schedule({ target: 'mailer' as ScheduleTarget }))).rejects.toThrow(
      RangeError,
    );
    expect(await scheduler.pending()).toEqual([]);
  });

  it('takes any application name, as the AWS adapter maps names onto EventBridge itself', async () => {
    // Arrange
    const { scheduler, fires } = startScheduler(time, new MemoryScheduleStore());
    await scheduler.start();
    const name = `workflow#01JX:enrollment#${'x'.repeat(80)}`;

    // Act
    await scheduler.createSchedule(schedule({ name, at: '2025-06-02T00:05:00', timeZone: 'UTC' }));
    await time.advanceTo('2025-06-02T00:05:00.000Z');
    await scheduler.idle();

    // Assert
    expect(fires).toHaveLength(1);
    await scheduler.stop();
  });
});

describe('FileScheduleStore', () => {
  it('keeps every change made at once, through an atomic rewrite that leaves no temporary file', async () => {
    // Arrange
    const dataDir = await mkdtemp(join(tmpdir(), 'schedule-store-'));
    try {
      const store = new FileScheduleStore(dataDir);
      const base: StoredSchedule = {
        name: 's-0',
        at: '2025-06-02T10:00:00',
        timeZone: 'UTC',
        target: 'workflows',
        payload: { step: 1 },
        fireAt: '2025-06-02T10:00:00.000Z',
        dueAt: '2025-06-02T10:00:00.000Z',
        revision: 'r-1',
        attempts: 0,
        state: 'pending',
        createdAt: '2025-06-01T00:00:00.000Z',
      };

      // Act
      await Promise.all(Array.from({ length: 50 }, (_, n) => store.put({ ...base, name: `s-${n}` })));
      await Promise.all([store.delete('s-0'), store.delete('s-1'), store.delete('missing')]);

      // Assert
      const reread = await new FileScheduleStore(dataDir).list();
      expect(reread.map((s) => s.name).sort()).toEqual(Array.from({ length: 48 }, (_, n) => `s-${n + 2}`).sort());
      expect(reread[0]).toEqual({ ...base, name: reread[0]!.name });
      expect(await readdir(dataDir)).toEqual(['schedules.json']);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
