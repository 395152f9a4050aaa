import fc from 'fast-check';
import {
  classifyEligibility,
  type Eligibility,
  ExclusionTally,
  SAMPLE_SIZE,
} from '../../../shared/domain/audience/eligibility';
import type { ConsentStatus, Contact } from '../../../shared/domain/contacts/contact.schema';
import { defaultSettings, type Settings } from '../../../shared/domain/settings/settings.schema';

const AT = '2026-03-02T15:00:00.000Z';
const VALID_PHONE = '+13122345678';
const settings: Settings = {
  ...defaultSettings,
  marketingRequiresOptIn: true,
  frequencyCap: { maxMessages: 2, perHours: 24 },
};

function contact(status: ConsentStatus, phone = VALID_PHONE): Pick<Contact, 'phone' | 'smsConsent'> {
  return { phone, smsConsent: { status, source: 'api', at: AT } };
}

describe('classifyEligibility', () => {
  it('excludes an opted-out contact before anything else, for every message type', () => {
    // Arrange: every other reason applies too
    const optedOut = contact('opted_out', '3122345678');

    // Act / Assert
    for (const messageType of ['PROMOTIONAL', 'TRANSACTIONAL'] as const) {
      expect(classifyEligibility(optedOut, settings, { messageType, recentMessageCount: 99 })).toBe('optedOut');
    }
    expect(
      classifyEligibility(optedOut, { ...settings, marketingRequiresOptIn: false }, { messageType: 'TRANSACTIONAL' }),
    ).toBe('optedOut');
  });

  it.each([
    ['national format', '3122345678'],
    ['spaces', '+1 312 234 5678'],
    ['a leading zero country code', '+0312345678'],
    ['too many digits', '+1312234567890123'],
    ['too few digits', '+12345'],
    ['letters', '+1312CALLNOW'],
    ['empty', ''],
  ])('then a phone that is not E.164 (%s), even with consent', (_label, phone) => {
    expect(
      classifyEligibility(contact('unknown', phone), settings, { messageType: 'PROMOTIONAL', recentMessageCount: 5 }),
    ).toBe('invalidPhone');
    expect(classifyEligibility(contact('opted_in', phone), settings, { messageType: 'TRANSACTIONAL' })).toBe(
      'invalidPhone',
    );
  });

  it('then a promotional message to unknown consent when the tenant requires opt-in, before the frequency cap', () => {
    expect(
      classifyEligibility(contact('unknown'), settings, { messageType: 'PROMOTIONAL', recentMessageCount: 5 }),
    ).toBe('noConsent');
  });

  it('lets unknown consent receive promotions when the tenant does not require opt-in', () => {
    const lenient = { ...settings, marketingRequiresOptIn: false };
    expect(classifyEligibility(contact('unknown'), lenient, { messageType: 'PROMOTIONAL' })).toBe('eligible');
  });

  it('lets unknown consent receive transactional messages', () => {
    expect(classifyEligibility(contact('unknown'), settings, { messageType: 'TRANSACTIONAL' })).toBe('eligible');
  });

  it('caps promotional messages at maxMessages per window', () => {
    const promo = (recentMessageCount?: number) =>
      classifyEligibility(contact('opted_in'), settings, { messageType: 'PROMOTIONAL', recentMessageCount });
    expect(promo(undefined)).toBe('eligible');
    expect(promo(0)).toBe('eligible');
    expect(promo(1)).toBe('eligible');
    expect(promo(2)).toBe('frequencyCapped');
    expect(promo(3)).toBe('frequencyCapped');
  });

  it('does not cap transactional messages', () => {
    expect(
      classifyEligibility(contact('opted_in'), settings, { messageType: 'TRANSACTIONAL', recentMessageCount: 50 }),
    ).toBe('eligible');
  });

  it('follows the documented precedence for every combination', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ConsentStatus>('opted_in', 'opted_out', 'unknown'),
        fc.boolean(),
        fc.constantFrom('PROMOTIONAL' as const, 'TRANSACTIONAL' as const),
        fc.boolean(),
        fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
        (status, validPhone, messageType, requiresOptIn, recentMessageCount) => {
          // Arrange
          const subject = contact(status, validPhone ? VALID_PHONE : '312-234-5678');
          const tenant = { ...settings, marketingRequiresOptIn: requiresOptIn };
          const promotional = messageType === 'PROMOTIONAL';
          let expected: Eligibility = 'eligible';
          if (promotional && (recentMessageCount ?? 0) >= tenant.frequencyCap.maxMessages) expected = 'frequencyCapped';
          if (promotional && requiresOptIn && status !== 'opted_in') expected = 'noConsent';
          if (!validPhone) expected = 'invalidPhone';
          if (status === 'opted_out') expected = 'optedOut';

          // Act
          const actual = classifyEligibility(subject, tenant, { messageType, recentMessageCount });

          // Assert
          expect(actual).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('ExclusionTally', () => {
  it('counts each reason and keeps excluded adding up to matched minus eligible', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Eligibility>('eligible', 'optedOut', 'noConsent', 'invalidPhone', 'frequencyCapped')),
        (outcomes) => {
          // Arrange
          const tally = new ExclusionTally<number>();

          // Act
          for (const [index, outcome] of outcomes.entries()) tally.add(index, outcome);
          const summary = tally.summary();

          // Assert
          const excluded = Object.values(summary.excluded).reduce((sum, count) => sum + count, 0);
          expect(summary.matched).toBe(outcomes.length);
          expect(summary.eligible).toBe(outcomes.filter((outcome) => outcome === 'eligible').length);
          expect(excluded).toBe(summary.matched - summary.eligible);
          expect(summary.excluded.optedOut).toBe(outcomes.filter((outcome) => outcome === 'optedOut').length);
          expect(summary.sample).toEqual(
            outcomes
              .map((outcome, index) => ({ outcome, index }))
              .filter(({ outcome }) => outcome === 'eligible')
              .slice(0, SAMPLE_SIZE)
              .map(({ index }) => index),
          );
        },
      ),
    );
  });

  it('starts at zero and keeps at most the sample size of eligible contacts', () => {
    // Arrange
    const tally = new ExclusionTally<string>(2);
    const empty = tally.summary();

    // Act
    for (const id of ['a', 'b', 'c']) tally.add(id, 'eligible');
    tally.add('d', 'optedOut');

    // Assert
    expect(empty).toEqual({
      matched: 0,
      eligible: 0,
      excluded: { optedOut: 0, noConsent: 0, invalidPhone: 0, frequencyCapped: 0 },
      sample: [],
    });
    expect(tally.summary()).toEqual({
      matched: 4,
      eligible: 3,
      excluded: { optedOut: 1, noConsent: 0, invalidPhone: 0, frequencyCapped: 0 },
      sample: ['a', 'b'],
    });
  });

  it('hands out a copy that later additions do not change', () => {
    // Arrange
    const tally = new ExclusionTally<string>();
    tally.add('a', 'eligible');
    const before = tally.summary();

    // Act
    tally.add('b', 'noConsent');
    tally.add('c', 'eligible');

    // Assert
    expect(before).toEqual({
      matched: 1,
      eligible: 1,
      excluded: expect.objectContaining({ noConsent: 0 }),
      sample: ['a'],
    });
  });
});
