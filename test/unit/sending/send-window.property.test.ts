import fc from 'fast-check';
import { DateTime } from 'luxon';
import { inferTimeZone, isStrictQuietHoursAreaCode } from '../../../shared/domain/phone/time-zone';
import { checkSendTime, recipientZones, type SendTimeContact } from '../../../shared/domain/sending/send-window';
import type { SendWindow } from '../../../shared/domain/settings/settings.schema';
import type { MessageType } from '../../../shared/domain/sms/sms.schema';
import {
  DAY_MS,
  EVERY_DAY,
  instantArbitrary,
  MINUTE_MS,
  minutesOf,
  showsOpen,
  windowArbitrary,
  ZONES,
} from './sending-arbitraries';

const SAMPLE_STEP_MS = 7 * MINUTE_MS;
const HORIZON_MS = 8 * DAY_MS;
/** Coarser sampling for the costlier check that the zones share no opening over a whole horizon. */
const COARSE_STEP_MS = 31 * MINUTE_MS;

/** New York, Florida, Oklahoma, Maryland, multi-zone 208/907/709/928, no-DST 602/808, Guam, a UK number. */
const PHONES = [
  '+12127365000',
  '+13055551234',
  '+14055551234',
  '+13015551234',
  '+12081002345',
  '+19072345678',
  '+17092345678',
  '+19282832345',
  '+16025551234',
  '+18085551234',
  '+16712345678',
  '+442079460018',
];

/** A contact whose stored zone is the one inferred from its number, or any zone (it may disagree). */
const contactArbitrary: fc.Arbitrary<SendTimeContact> = fc
  .record({ phone: fc.constantFrom(...PHONES), stored: fc.option(fc.constantFrom(...ZONES), { nil: undefined }) })
  .map(({ phone, stored }) => ({ phone, timeZone: stored ?? inferTimeZone(phone) ?? 'Europe/London' }));

/**
 * A check's inputs. One time in two, `now` is moved inside the tenant's hours on its day in the stored zone, so that
 * allowed sends and nearby edges come up often, not only when a random instant happens to land in the window.
 */
const cases = fc
  .record({
    now: instantArbitrary,
    contact: contactArbitrary,
    sendWindow: windowArbitrary(8 * 60, 21 * 60),
    messageType: fc.constantFrom<MessageType>('PROMOTIONAL', 'PROMOTIONAL', 'TRANSACTIONAL'),
    intoWindow: fc.option(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { nil: undefined }),
  })
  .map(({ now, intoWindow, ...rest }) => {
    if (intoWindow === undefined) return { now, ...rest };
    const [start, end] = [minutesOf(rest.sendWindow.start), minutesOf(rest.sendWindow.end)];
    const day = DateTime.fromMillis(now, { zone: rest.contact.timeZone }).startOf('day');
    return { now: day.plus({ minutes: start + intoWindow * (end - start) }).toMillis(), ...rest };
  });

/** The hours that bind the message, worked out from the invariant independently of `effectiveWindow`. */
function expectedWindow(contact: SendTimeContact, sendWindow: SendWindow, messageType: MessageType): SendWindow {
  const legal = { start: '08:00', end: isStrictQuietHoursAreaCode(contact.phone) ? '20:00' : '21:00' };
  if (messageType === 'TRANSACTIONAL') return { ...legal, days: [...EVERY_DAY] };
  const start = minutesOf(sendWindow.start) > minutesOf(legal.start) ? sendWindow.start : legal.start;
  const end = minutesOf(sendWindow.end) < minutesOf(legal.end) ? sendWindow.end : legal.end;
  return minutesOf(start) < minutesOf(end)
    ? { start, end, days: sendWindow.days }
    : { ...legal, days: sendWindow.days };
}

function isAllowed(instant: number, contact: SendTimeContact, sendWindow: SendWindow, messageType: MessageType) {
  return checkSendTime(new Date(instant), contact, sendWindow, { messageType }).allowed;
}

function shownOpenEverywhere(instant: number, zones: readonly string[], window: SendWindow): boolean {
  return zones.every((zone) => showsOpen(instant, zone, window));
}

describe('checkSendTime properties', () => {
  it('(1) allows a send only when every zone shows the window open, or the zones share no opening', () => {
    fc.assert(
      fc.property(cases, ({ now, contact, sendWindow, messageType }) => {
        // Arrange
        const zones = recipientZones(contact);
        const window = expectedWindow(contact, sendWindow, messageType);

        // Act
        const allowed = isAllowed(now, contact, sendWindow, messageType);

        // Assert
        if (!allowed || shownOpenEverywhere(now, zones, window)) return;
        expect(showsOpen(now, contact.timeZone, window)).toBe(true);
        for (let sample = now; sample <= now + HORIZON_MS; sample += COARSE_STEP_MS) {
          expect(shownOpenEverywhere(sample, zones, window)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('allows a send whenever every zone shows the window open', () => {
    fc.assert(
      fc.property(cases, ({ now, contact, sendWindow, messageType }) => {
        // Arrange
        const open = shownOpenEverywhere(
          now,
          recipientZones(contact),
          expectedWindow(contact, sendWindow, messageType),
        );

        // Act / Assert
        if (open) expect(isAllowed(now, contact, sendWindow, messageType)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('(2) defers to an instant after now at which the send is allowed', () => {
    fc.assert(
      fc.property(cases, ({ now, contact, sendWindow, messageType }) => {
        // Act
        const check = checkSendTime(new Date(now), contact, sendWindow, { messageType });

        // Assert
        if (check.allowed) return;
        const opening = check.nextOpening.getTime();
        expect(opening).toBeGreaterThan(now);
        expect(opening).toBeLessThanOrEqual(now + 2 * HORIZON_MS);
        expect(isAllowed(opening, contact, sendWindow, messageType)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('(3) allows nothing between now and the next opening', () => {
    fc.assert(
      fc.property(cases, ({ now, contact, sendWindow, messageType }) => {
        // Act
        const check = checkSendTime(new Date(now), contact, sendWindow, { messageType });

        // Assert: every 7 minutes, and just before the opening
        if (check.allowed) return;
        const opening = check.nextOpening.getTime();
        const samples = [opening - 1, opening - 1000, opening - MINUTE_MS].filter((sample) => sample > now);
        for (let sample = now + SAMPLE_STEP_MS; sample < opening; sample += SAMPLE_STEP_MS) samples.push(sample);
        for (const sample of samples) expect(isAllowed(sample, contact, sendWindow, messageType)).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
