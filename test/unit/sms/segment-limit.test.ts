import { ValidationError } from '../../../shared/domain/errors';
import { defaultSettings } from '../../../shared/domain/settings/settings.schema';
import {
  assertBodyWithinSegmentLimit,
  bodySegmentIssue,
  countSegments,
  MAX_SEGMENTS_BOUNDS,
  segmentLimitIssue,
} from '../../../shared/domain/sms';

describe('segmentLimitIssue', () => {
  it('refuses 1,600 GSM-7 characters at the default limit: they are 11 segments, not 10', () => {
    // Arrange
    const text = 'a'.repeat(1600);

    // Act
    const issue = segmentLimitIssue(text, { maxSegments: MAX_SEGMENTS_BOUNDS.default });

    // Assert
    expect(countSegments(text)).toBe(11);
    expect(issue).toBe('must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1600 characters)');
  });

  it('refuses 1,500 UCS-2 characters, which the old 1,600-character limit let through', () => {
    // Act
    const issue = segmentLimitIssue('ж'.repeat(1500), { maxSegments: 10 });

    // Assert
    expect(issue).toBe('must fit in 10 segments (maxSegments); it is 23 segments of UCS-2 (1500 characters)');
  });

  it.each([
    ['ten full GSM-7 parts at a limit of 10', 'a'.repeat(153 * 10), 10],
    ['ten full UCS-2 parts at a limit of 10', 'ж'.repeat(67 * 10), 10],
    ['one full part at a limit of 1', 'a'.repeat(160), 1],
  ])('accepts %s', (_what, text, maxSegments) => {
    expect(segmentLimitIssue(text, { maxSegments })).toBeNull();
  });

  it('counts characters as the writer sees them (an emoji with a skin tone is one)', () => {
    // Act
    const issue = segmentLimitIssue('👍🏽'.repeat(100), { maxSegments: 2 });

    // Assert
    expect(issue).toBe('must fit in 2 segments (maxSegments); it is 7 segments of UCS-2 (100 characters)');
  });
});

describe('bodySegmentIssue', () => {
  const settings = { ...defaultSettings, maxSegments: 1 };

  it('counts the opt-out footer a promotional body gets, and says so', () => {
    // Arrange: 150 characters fit in one part alone, not with the footer
    const body = 'a'.repeat(150);

    // Act
    const promotional = bodySegmentIssue(body, settings, 'PROMOTIONAL');
    const transactional = bodySegmentIssue(body, settings, 'TRANSACTIONAL');

    // Assert
    expect(promotional).toBe(
      'must fit in 1 segment (maxSegments); it is 2 segments of GSM-7 (176 characters, opt-out footer included)',
    );
    expect(transactional).toBeNull();
  });

  it('throws a validation error naming the field', () => {
    // Act
    const thrown = (() => {
      try {
        assertBodyWithinSegmentLimit('a'.repeat(200), settings, 'TRANSACTIONAL', 'steps.3.body');
        return undefined;
      } catch (error) {
        return error;
      }
    })();

    // Assert
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).details).toEqual([
      {
        path: 'steps.3.body',
        message: 'must fit in 1 segment (maxSegments); it is 2 segments of GSM-7 (200 characters)',
      },
    ]);
  });
});
