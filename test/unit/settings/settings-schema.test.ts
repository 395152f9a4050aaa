import fc from 'fast-check';
import { getCountries, isSupportedCountry } from 'libphonenumber-js';
import {
  defaultSettings,
  mergeSettings,
  priceRegionProblem,
  type SendWindow,
  sendWindowSchema,
  settingsPatchSchema,
  settingsRulesSchema,
  settingsSchema,
} from '../../../shared/domain/settings/settings.schema';
import { parseOrThrow } from '../../../shared/domain/validation';

const weekdays: SendWindow['days'] = ['MON', 'TUE', 'WED', 'THU', 'FRI'];

function windowIssues(window: unknown): { path: string; message: string }[] {
  const result = sendWindowSchema.safeParse(window);
  return result.success
    ? []
    : result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

describe('send window', () => {
  it.each([
    ['the legal bounds exactly', '08:00', '21:00'],
    ['the default window', '10:00', '17:00'],
    ['a one-minute window', '12:00', '12:01'],
  ])('accepts %s (%s-%s)', (_label, start, end) => {
    // Act
    const issues = windowIssues({ start, end, days: weekdays });

    // Assert
    expect(issues).toEqual([]);
  });

  it('refuses a start before 08:00, naming start', () => {
    // Act
    const issues = windowIssues({ start: '07:59', end: '17:00', days: weekdays });

    // Assert
    expect(issues).toEqual([{ path: 'start', message: expect.stringContaining('08:00') }]);
  });

  it('refuses an end after 21:00, naming end', () => {
    // Act
    const issues = windowIssues({ start: '10:00', end: '21:01', days: weekdays });

    // Assert
    expect(issues).toEqual([{ path: 'end', message: expect.stringContaining('21:00') }]);
  });

  it('names both ends of a window wider on both sides', () => {
    // Act
    const issues = windowIssues({ start: '06:00', end: '23:00', days: weekdays });

    // Assert
    expect(issues.map((issue) => issue.path)).toEqual(['start', 'end']);
  });

  it.each([
    ['equal to', '12:00', '12:00'],
    ['later than', '15:00', '09:00'],
  ])('refuses a start %s the end, naming end', (_label, start, end) => {
    // Act
    const issues = windowIssues({ start, end, days: weekdays });

    // Assert
    expect(issues).toEqual([{ path: 'end', message: 'must be later than start' }]);
  });

  it.each(['8:00', '24:00', '12:60', '12:00:00', 'noon', ''])('refuses the malformed time %j', (time) => {
    // Act
    const issues = windowIssues({ start: time, end: '17:00', days: weekdays });

    // Assert
    expect(issues.map((issue) => issue.path)).toContain('start');
  });

  it.each([
    ['no day', []],
    ['a repeated day', ['MON', 'MON']],
    ['an unknown day', ['MONDAY']],
    ['a lower-case day', ['mon']],
  ])('refuses %s, naming days', (_label, days) => {
    // Act
    const issues = windowIssues({ start: '10:00', end: '17:00', days });

    // Assert
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.every((issue) => issue.path.startsWith('days'))).toBe(true);
  });

  it('accepts every day of the week', () => {
    // Act
    const issues = windowIssues({
      start: '10:00',
      end: '17:00',
      days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'],
    });

    // Assert
    expect(issues).toEqual([]);
  });
});

describe('settings', () => {
  it('accepts the defaults, which are the contract defaults', () => {
    // Act
    const parsed = settingsSchema.parse(defaultSettings);

    // Assert
    expect(parsed).toMatchObject({
      defaultCountry: 'US',
      sendWindow: { start: '10:00', end: '17:00', days: weekdays },
      autoAppendOptOut: true,
      optOutText: 'Reply STOP to unsubscribe',
      frequencyCap: { maxMessages: 1, perHours: 24 },
      marketingRequiresOptIn: true,
      maxSegments: 10,
    });
  });

  it.each([
    'Reply STOP to unsubscribe',
    'Text END to quit',
    'reply stop to opt out',
    'Opt-out: reply CANCEL',
    'Unsubscribe: reply QUIT',
  ])('accepts the opt-out text %j', (optOutText) => {
    // Act
    const result = settingsSchema.safeParse({ ...defaultSettings, optOutText });

    // Assert
    expect(result.success).toBe(true);
  });

  it.each(['Thanks for being a customer', 'Reply STOPPED for nothing', 'Call us to stopwatch', '   '])(
    'refuses the opt-out text %j, naming optOutText',
    (optOutText) => {
      // Act
      const result = settingsSchema.safeParse({ ...defaultSettings, optOutText });

      // Assert
      expect(result.success).toBe(false);
      expect(new Set(result.error?.issues.map((issue) => issue.path.join('.')))).toEqual(new Set(['optOutText']));
    },
  );

  it.each([
    ['defaultTimeZone', 'Mars/Olympus_Mons'],
    ['defaultCountry', 'USA'],
    ['defaultCountry', 'XX'],
    ['mps', 0],
    ['frequencyCap', { maxMessages: 0, perHours: 24 }],
  ])('refuses a bad %s (%j)', (field, value) => {
    // Act
    const result = settingsSchema.safeParse({ ...defaultSettings, [field]: value });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path[0]).toBe(field);
  });

  it('refuses an unknown field in a patch', () => {
    // Act
    const result = settingsPatchSchema.safeParse({ sendWindw: { start: '09:00' } });

    // Assert
    expect(result.success).toBe(false);
  });
});

describe('mergeSettings', () => {
  it('changes only the given end of the send window and keeps its days', () => {
    // Act
    const merged = settingsSchema.parse(mergeSettings(defaultSettings, { sendWindow: { end: '20:00' } }));

    // Assert
    expect(merged.sendWindow).toEqual({ start: '10:00', end: '20:00', days: weekdays });
  });

  it('changes one half of the frequency cap and keeps the other', () => {
    // Act
    const merged = settingsSchema.parse(mergeSettings(defaultSettings, { frequencyCap: { perHours: 48 } }));

    // Assert
    expect(merged.frequencyCap).toEqual({ maxMessages: 1, perHours: 48 });
  });

  it('leaves every field the patch does not name as it was', () => {
    // Arrange
    const current = { ...defaultSettings, businessName: 'Acme Dental', mps: 5 };

    // Act
    const merged = settingsSchema.parse(mergeSettings(current, { autoAppendOptOut: false }));

    // Assert
    expect(merged).toEqual({ ...current, autoAppendOptOut: false });
  });

  it('lets the merged whole be refused naming the nested field (sendWindow.start)', () => {
    // Arrange
    const merged = mergeSettings(defaultSettings, { sendWindow: { start: '07:00' } });

    // Act
    const act = () => parseOrThrow(settingsSchema, merged, 'settings');

    // Assert
    expect(act).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'sendWindow.start' })] }));
  });

  it('refuses a start moved past the stored end, naming sendWindow.end', () => {
    // Arrange
    const merged = mergeSettings(defaultSettings, { sendWindow: { start: '18:00' } });

    // Act
    const act = () => parseOrThrow(settingsSchema, merged, 'settings');

    // Assert
    expect(act).toThrow(expect.objectContaining({ details: [expect.objectContaining({ path: 'sendWindow.end' })] }));
  });
});

describe('price per segment keys', () => {
  it.each([
    ['UK', 'GB'],
    ['EL', 'GR'],
    ['us', 'US'],
  ])('refuses %s naming the field and suggesting %s', (key, meant) => {
    // Act
    const result = settingsRulesSchema.safeParse({ ...defaultSettings, pricePerSegment: { [key]: 0.05 } });

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({
        path: ['pricePerSegment', key],
        message: expect.stringContaining(`did you mean ${meant}?`),
      }),
    ]);
  });

  it('accepts every region libphonenumber-js knows, and default', () => {
    // Arrange
    const prices = Object.fromEntries([...getCountries(), 'default'].map((code) => [code, 0.01]));

    // Act
    const result = settingsRulesSchema.safeParse({ ...defaultSettings, pricePerSegment: prices });

    // Assert
    expect(result.success).toBe(true);
  });

  it('accepts a key exactly when libphonenumber-js knows it as a region (or it is default)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 4 }), fc.stringMatching(/^[A-Z]{2}$/)), (key) => {
        // Act
        const problem = priceRegionProblem(key);

        // Assert
        expect(problem === undefined).toBe(key === 'default' || isSupportedCountry(key));
      }),
    );
  });
});
