import { checkSendTime } from '../../../shared/domain/sending/send-window';
import { STATE_RULES, sendCapsFor, stateRuleOf } from '../../../shared/domain/sending/state-rules';

const NOW = new Date('2026-03-04T19:00:00.000Z');
const CAP = { maxMessages: 10, perHours: 1 };

describe('the state rules table', () => {
  it('has Florida, Oklahoma and Maryland, each with its source, 08:00-20:00 and three marketing texts a day', () => {
    expect(STATE_RULES.map((rule) => rule.state).sort()).toEqual(['FL', 'MD', 'OK']);
    for (const rule of STATE_RULES) {
      expect(rule.source).toMatch(/§/);
      expect(rule).toMatchObject({ hours: { start: '08:00', end: '20:00' }, maxMarketingMessages: 3, perHours: 24 });
    }
  });

  it.each([
    ['+13055550100', 'FL'],
    ['+14055550100', 'OK'],
    ['+14105550100', 'MD'],
  ])('binds %s by its area code to %s', (phone, state) => {
    expect(stateRuleOf({ phone })?.state).toBe(state);
  });

  it('binds by the stored state (code or name, any case) when the number is from elsewhere', () => {
    expect(stateRuleOf({ phone: '+12125550100' })).toBeUndefined();
    expect(stateRuleOf({ phone: '+12125550100', customFields: { state: 'fl' } })?.state).toBe('FL');
    expect(stateRuleOf({ phone: '+12125550100', customFields: { state: ' Maryland ' } })?.state).toBe('MD');
    expect(stateRuleOf({ phone: '+12125550100', customFields: { state: 'NY' } })).toBeUndefined();
    expect(stateRuleOf({ phone: '+12125550100', customFields: { state: 12 } })).toBeUndefined();
  });
});

describe('sendCapsFor', () => {
  it('adds the state cap (3 in 24 h) to the tenant cap for a marketing text to a state-bound recipient', () => {
    const caps = sendCapsFor({ phone: '+13055550100' }, CAP, true, NOW);
    expect(caps).toEqual([
      { windowStart: '2026-03-04T18:00:00.000Z', maxInWindow: 10, reason: 'frequencyCapped' },
      { windowStart: '2026-03-03T19:00:00.000Z', maxInWindow: 3, reason: 'stateFrequencyCap' },
    ]);
  });

  it('keeps only the tenant cap elsewhere, and none for a transactional text', () => {
    expect(sendCapsFor({ phone: '+12125550100' }, CAP, true, NOW).map((cap) => cap.reason)).toEqual([
      'frequencyCapped',
    ]);
    expect(sendCapsFor({ phone: '+13055550100' }, CAP, false, NOW)).toEqual([]);
  });
});

describe('state hours by stored state', () => {
  const window = { start: '08:00', end: '21:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const };
  // 20:30 in New York
  const evening = new Date('2026-03-05T01:30:00.000Z');
  it('ends a Floridian’s day at 20:00 even with a New York number', () => {
    const floridian = { phone: '+12125550100', timeZone: 'America/New_York', customFields: { state: 'FL' } };
    const newYorker = { phone: '+12125550100', timeZone: 'America/New_York' };
    expect(checkSendTime(evening, floridian, { ...window, days: [...window.days] }).allowed).toBe(false);
    expect(checkSendTime(evening, newYorker, { ...window, days: [...window.days] }).allowed).toBe(true);
  });
});
