import fc from 'fast-check';
import {
  type HeldShare,
  nextHeldSlot,
  planClaim,
  type SharesView,
  shareCount,
  sharesWanted,
  slotTime,
} from '../../../shared/domain/sending/rate-shares';
import { SLOT_SLACK_MS, spacingOf } from '../../../shared/domain/sending/send-slots';

const T0 = Date.parse('2026-03-04T19:00:00.000Z');

/** Every slot a worker holding `held` hands out, one after another, from `start` on. */
function slotsOf(held: HeldShare[], shares: number, spacing: number, start: number, anchor = 0): number[] {
  const slots: number[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (;;) {
    const slot = nextHeldSlot(held, shares, spacing, last, start, anchor);
    if (!slot) return slots;
    slots.push(slot.at);
    last = slot.n;
  }
}

function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= 1000) j++;
    peak = Math.max(peak, i - j + 1);
  }
  return peak;
}

/** A rate, its shares dealt out to up to four workers, each lease a window of its own within three seconds. */
const dealArbitrary = fc
  .record({
    rate: fc.oneof(fc.constantFrom(0.1, 0.5, 1, 3), fc.integer({ min: 1, max: 3000 })),
    workers: fc.integer({ min: 1, max: 4 }),
    seed: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }),
    windows: fc.array(fc.tuple(fc.nat({ max: 3000 }), fc.nat({ max: 3000 })), { minLength: 4, maxLength: 4 }),
    lateness: fc.array(fc.double({ min: 0, max: SLOT_SLACK_MS, noNaN: true }), { minLength: 50, maxLength: 50 }),
    anchor: fc.double({ min: -5000, max: 5000, noNaN: true }),
  })
  .map(({ rate, workers, seed, windows, lateness, anchor }) => {
    const shares = shareCount(rate);
    const owner = Array.from({ length: shares }, (_, i) => (seed[i % seed.length] as number) % workers);
    const held = Array.from({ length: workers }, (_, w) => {
      const [a, b] = windows[w] as [number, number];
      const from = T0 + Math.min(a, b);
      const until = T0 + Math.max(a, b);
      return owner.flatMap((o, share) => (o === w ? [{ share, from, until }] : []));
    });
    return { rate, shares, held, lateness, anchor: T0 + anchor };
  });

describe('rate shares', () => {
  it('never give one slot to two workers, and all workers together never beat the rate in any second', () => {
    fc.assert(
      fc.property(dealArbitrary, ({ rate, shares, held, lateness, anchor }) => {
        const spacing = spacingOf(rate);
        const all = held.flatMap((h) => slotsOf(h, shares, spacing, T0, anchor));
        expect(new Set(all).size).toBe(all.length);
        // Each slot may go out late by up to the slack: still no second holds more than the rate.
        const sent = all.map((at, i) => at + (lateness[i % lateness.length] as number));
        expect(peakPerSecond(sent)).toBeLessThanOrEqual(Math.max(1, Math.floor(rate)));
      }),
      { numRuns: 150 },
    );
  });

  it('a worker holding every share gets every slot of the grid in its lease, in order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.nat({ max: 400 }), (rate, length) => {
        const spacing = spacingOf(rate);
        const shares = shareCount(rate);
        const held = Array.from({ length: shares }, (_, share) => ({ share, from: T0, until: T0 + length }));
        const slots = slotsOf(held, shares, spacing, T0);
        let expected = 0;
        for (let n = Math.floor(T0 / spacing) - 1; slotTime(n, spacing) <= T0 + length; n++) {
          if (slotTime(n, spacing) >= T0) expected++;
        }
        expect(slots.length).toBe(expected);
        for (let i = 1; i < slots.length; i++) expect(slots[i]).toBeGreaterThan(slots[i - 1] as number);
      }),
      { numRuns: 100 },
    );
  });

  it('the next held slot is the first slot of a held share at or after the bounds (against a plain search)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3000 }),
        fc.array(fc.nat({ max: 29 }), { minLength: 1, maxLength: 5 }),
        fc.nat({ max: 3000 }),
        (rate, picks, offset) => {
          const spacing = spacingOf(rate);
          const shares = shareCount(rate);
          const held = [...new Set(picks.map((p) => p % shares))].map((share) => ({
            share,
            from: T0,
            until: T0 + 5000,
          }));
          const notBefore = T0 + offset;
          const got = nextHeldSlot(held, shares, spacing, Number.NEGATIVE_INFINITY, notBefore);
          let n = Math.ceil(notBefore / spacing) - 1;
          while (slotTime(n, spacing) < notBefore || !held.some((h) => h.share === ((n % shares) + shares) % shares)) {
            n++;
          }
          const expected = slotTime(n, spacing) <= T0 + 5000 ? n : undefined;
          expect(got?.n).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a claim never takes a share another worker leases, and a worker is busy only when every share is leased', () => {
    const viewArbitrary = fc.record({
      rate: fc.integer({ min: 1, max: 3000 }),
      leases: fc.array(
        fc.option(fc.record({ until: fc.integer({ min: -2000, max: 2000 }), holder: fc.constantFrom('me', 'a', 'b') })),
        { minLength: 30, maxLength: 30 },
      ),
      want: fc.integer({ min: 1, max: 30 }),
    });
    fc.assert(
      fc.property(viewArbitrary, ({ rate, leases, want }) => {
        const shares = shareCount(rate);
        const view: SharesView = {
          spacing: spacingOf(rate),
          shares,
          anchor: 0,
          leases: leases.slice(0, shares).map((l) => (l ? { until: T0 + l.until, holder: l.holder } : undefined)),
          readAt: T0,
        };
        const takenByOthers = (i: number) => {
          const lease = view.leases[i];
          return lease !== undefined && lease.until >= T0 && lease.holder !== 'me';
        };
        const plan = planClaim(view, T0, 'me', rate, want);
        const idle = view.leases.every((l) => l === undefined || l.until < T0);
        if (plan.kind === 'busy') {
          for (let i = 0; i < shares; i++) expect(takenByOthers(i)).toBe(true);
        } else {
          // The grid is laid again only when nobody holds any share.
          expect(plan.reset).toBe(idle);
          expect(plan.shares.length).toBeLessThanOrEqual(want);
          for (const i of plan.shares) expect(takenByOthers(i)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('shareCount and sharesWanted', () => {
  it('one share up to 100 MPS, and a worker takes what it keeps up with (one share at least)', () => {
    expect([0.1, 1, 100, 101, 1000, 3000].map(shareCount)).toEqual([1, 1, 1, 2, 10, 30]);
    expect(sharesWanted(1000, Number.POSITIVE_INFINITY)).toBe(Number.POSITIVE_INFINITY);
    expect(sharesWanted(1000, 250)).toBe(2);
    expect(sharesWanted(1000, 10)).toBe(1);
    expect(sharesWanted(3, 100)).toBe(33);
  });

  it('lays a new grid only when every lease of the old one ended', () => {
    const old: SharesView = {
      spacing: spacingOf(10),
      shares: 1,
      anchor: 0,
      leases: [{ until: T0 + 500, holder: 'a' }],
      readAt: T0,
    };
    expect(planClaim(old, T0, 'me', 20, 1)).toEqual({ kind: 'busy', until: T0 + 500 });
    expect(planClaim(old, T0 + 501, 'me', 20, 1)).toMatchObject({ kind: 'claim', shares: [0], reset: true });
    // Its own old lease does not hold it back.
    expect(planClaim({ ...old, leases: [{ until: T0 + 500, holder: 'me' }] }, T0, 'me', 20, 1)).toMatchObject({
      kind: 'claim',
      reset: true,
    });
  });
});
