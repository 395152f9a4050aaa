import { ClockBackwardError, LocalClock } from '../../../shared/adapters/local/local-clock';

/** A machine clock the test moves: real timers still run, but the reading comes from here. */
function machine(startMs: number) {
  let now = startMs;
  return {
    realNow: () => now,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

const START = Date.parse('2026-03-04T19:00:00.000Z');

describe('LocalClock', () => {
  it('starts at the instant it is given and runs at the machine speed from there', () => {
    // Arrange
    const real = machine(Date.parse('2030-01-01T00:00:00.000Z'));
    const clock = new LocalClock({ startAt: START, realNow: real.realNow });

    // Act
    real.tick(1_500);

    // Assert
    expect(clock.now().toISOString()).toBe('2026-03-04T19:00:01.500Z');
  });

  it('reads the machine time when no start is given', () => {
    const real = machine(START);
    expect(new LocalClock({ realNow: real.realNow }).now().getTime()).toBe(START);
  });

  it('a jump fires every timer due by then, earliest first, same instants in arming order, and no later one', () => {
    // Arrange
    const clock = new LocalClock({ startAt: START, realNow: machine(START).realNow });
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('c at 3h'), 3 * 3_600_000);
    clock.setTimeout(() => fired.push('a at 1h'), 3_600_000);
    clock.setTimeout(() => fired.push('b at 1h'), 3_600_000);
    const late = clock.setTimeout(() => fired.push('late'), 5 * 3_600_000);
    const cleared = clock.setTimeout(() => fired.push('cleared'), 60_000);
    clock.clearTimeout(cleared);

    // Act
    const count = clock.jumpTo(START + 4 * 3_600_000);

    // Assert
    expect(fired).toEqual(['a at 1h', 'b at 1h', 'c at 3h']);
    expect(count).toBe(3);
    expect(clock.pendingTimers).toBe(1);
    expect(clock.nextDueAt()).toBe(START + 5 * 3_600_000);
    clock.clearTimeout(late);
  });

  it('a timer armed by a fired callback and already due fires in the same jump', () => {
    const clock = new LocalClock({ startAt: START, realNow: machine(START).realNow });
    const fired: string[] = [];
    clock.setTimeout(() => {
      fired.push('first');
      clock.setTimeout(() => fired.push('armed by first'), 0);
    }, 1_000);

    clock.jumpTo(START + 2_000);

    expect(fired).toEqual(['first', 'armed by first']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('never moves back: a jump before its reading throws and changes nothing', () => {
    const clock = new LocalClock({ startAt: START, realNow: machine(START).realNow });
    expect(() => clock.jumpTo(START - 1)).toThrow(ClockBackwardError);
    expect(clock.now().getTime()).toBe(START);
  });

  it('sleep resolves when a jump passes its time, and rejects when aborted first', async () => {
    // Arrange
    const clock = new LocalClock({ startAt: START, realNow: machine(START).realNow });
    const woken = clock.sleep(3_600_000);
    const abort = new AbortController();
    const aborted = clock.sleep(3_600_000, abort.signal);

    // Act
    abort.abort();
    clock.jumpTo(START + 3_600_000);

    // Assert
    await expect(woken).resolves.toBeUndefined();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
  });

  it('fires on real time too, as a system timer would', async () => {
    const clock = new LocalClock({ startAt: START });
    await expect(clock.sleep(5)).resolves.toBeUndefined();
    expect(clock.pendingTimers).toBe(0);
  });
});
