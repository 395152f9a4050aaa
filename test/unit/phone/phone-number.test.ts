import fc from 'fast-check';
import { maskPhoneNumber, parsePhoneNumber } from '../../../shared/domain/phone/phone-number';

describe('parsePhoneNumber', () => {
  describe('accepts valid numbers', () => {
    it.each([
      ['US national with punctuation', '(425) 414-7755', 'US', '+14254147755', 'US'],
      ['US national, digits only', '2127365000', 'US', '+12127365000', 'US'],
      ['US international', '+1 425 414 7755', 'US', '+14254147755', 'US'],
      ['surrounding spaces', '  +1 (425) 414-7755  ', 'US', '+14254147755', 'US'],
      ['lower-case default country', '425 414 7755', 'us', '+14254147755', 'US'],
      ['US international dialled from GB', '+1 212 736 5000', 'GB', '+12127365000', 'US'],
      ['US via the 011 international prefix', '011 44 20 7946 0018', 'US', '+442079460018', 'GB'],
      ['GB national landline', '020 7946 0018', 'GB', '+442079460018', 'GB'],
      ['GB national mobile', '07400 123456', 'GB', '+447400123456', 'GB'],
      ['GB via the 00 international prefix', '00 1 425 414 7755', 'GB', '+14254147755', 'US'],
      ['DE national', '030 123456', 'DE', '+4930123456', 'DE'],
      ['FR national mobile', '06 12 34 56 78', 'FR', '+33612345678', 'FR'],
      ['Canada shares +1', '+1 604 555 1234', 'US', '+16045551234', 'CA'],
      ['Puerto Rico shares +1', '787 234 5678', 'US', '+17872345678', 'PR'],
      ['a new Florida area code', '+1 645 234 5678', 'US', '+16452345678', 'US'],
    ])('%s: %s (%s)', (_label, input, defaultCountry, e164, country) => {
      // Act
      const result = parsePhoneNumber(input, defaultCountry);

      // Assert
      expect(result).toEqual({ ok: true, e164, country });
    });

    it('accepts the fictional 555-01xx range, because libphonenumber metadata lists it as valid', () => {
      // Act
      const result = parsePhoneNumber('(206) 555-0100', 'US');

      // Assert
      expect(result).toEqual({ ok: true, e164: '+12065550100', country: 'US' });
    });

    it('leaves country out for non-geographic numbers', () => {
      // Act
      const result = parsePhoneNumber('+800 1234 5678', 'US');

      // Assert
      expect(result).toEqual({ ok: true, e164: '+80012345678' });
    });
  });

  describe('rejects invalid input with a sentence for the API', () => {
    it.each([
      ['empty', '', 'US', /empty/],
      ['blank', '   ', 'US', /empty/],
      ['letters', 'abc', 'US', /not a phone number/],
      ['text around the number', 'call +1 425 414 7755 now', 'US', /not a phone number/],
      ['too few digits', '123', 'US', /too short/],
      ['international, too short', '+1 425 414 775', 'US', /too short/],
      ['international, too long', '+1 425 414 77555', 'US', /too long/],
      ['absurdly long', '1'.repeat(200), 'US', /too long/],
      ['unknown calling code', '+999 123 456', 'US', /unknown country calling code/],
      ['US exchange starting with 1: right length, not valid', '+1 303 123 4567', 'US', /not a valid number/],
      ['US area code starting with 0', '(012) 345-6789', 'US', /not a valid number/],
      ['GB drama range 07700 900xxx', '07700 900123', 'GB', /not a valid number/],
      ['extension', '+1 425 414 7755 ext. 12', 'US', /extension/],
      ['unsupported default country', '425 414 7755', 'XX', /default country "XX"/],
    ])('%s: %j (%s)', (_label, input, defaultCountry, reason) => {
      // Act
      const result = parsePhoneNumber(input, defaultCountry);

      // Assert
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.reason).toMatch(reason);
      expect(result.reason).toMatch(/^[A-Z].*\.$/);
    });

    it('does not echo the number in the reason, so error logs hold no personal data', () => {
      // Act
      const result = parsePhoneNumber('+1 303 123 4567', 'US');

      // Assert
      expect(result).toEqual({ ok: false, reason: expect.not.stringContaining('303') });
    });
  });

  describe('properties', () => {
    const phoneLike = fc
      .array(fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ' ', '-', '(', ')', '.', '+'), {
        minLength: 0,
        maxLength: 20,
      })
      .map((characters) => characters.join(''));
    const defaultCountry = fc.constantFrom('US', 'CA', 'GB', 'DE', 'FR', 'MX', 'IN', 'AU', 'XX', '', 'us');
    const anyText = fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 80 }), phoneLike);
    const separator = fc.constantFrom('', '', ' ', '-', '.');
    /** Digits shaped like real national numbers, written with random separators, so most of them are valid. */
    const plausibleNumber = fc
      .tuple(
        fc.constantFrom<[string, RegExp]>(
          ['US', /^[2-9]\d{2}[2-9]\d{6}$/],
          ['GB', /^07[4-9]\d{8}$/],
          ['GB', /^020[378]\d{7}$/],
          ['FR', /^0[67]\d{8}$/],
          ['DE', /^017\d{8}$/],
        ),
        fc.boolean(),
      )
      .chain(([[country, shape], international]) =>
        fc.tuple(
          fc.constant(country),
          fc.constant(international),
          fc.stringMatching(shape),
          fc.array(separator, { minLength: 12, maxLength: 12 }),
        ),
      )
      .map(([country, international, digits, separators]) => {
        const written = [...digits].map((digit, index) => `${digit}${separators[index] ?? ''}`).join('');
        const callingCode = { US: '1', GB: '44', FR: '33', DE: '49' }[country];
        const input = international ? `+${callingCode} ${written.replace(/^0/, '')}` : written;
        return { input, country };
      });

    it('never throws, whatever the strings', () => {
      fc.assert(
        fc.property(anyText, defaultCountry, (input, country) => {
          const result = parsePhoneNumber(input, country);
          expect(typeof result.ok).toBe('boolean');
        }),
        { numRuns: 2000 },
      );
    });

    it('re-parses an accepted number to the same E.164, whatever the default country', () => {
      fc.assert(
        fc.property(plausibleNumber, fc.constantFrom('US', 'GB', 'JP'), ({ input, country }, otherCountry) => {
          const first = parsePhoneNumber(input, country);
          fc.pre(first.ok);
          if (!first.ok) return;

          expect(first.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          expect(parsePhoneNumber(first.e164, country)).toEqual(first);
          expect(parsePhoneNumber(first.e164, otherCountry)).toEqual(first);
        }),
        { numRuns: 500 },
      );
    });

    it('finds valid US numbers among random ten-digit strings, and each is +1 and twelve characters', () => {
      fc.assert(
        fc.property(fc.stringMatching(/^[2-9]\d{2}[2-9]\d{6}$/), (national) => {
          const result = parsePhoneNumber(national, 'US');
          fc.pre(result.ok);
          if (!result.ok) return;

          expect(result.e164).toBe(`+1${national}`);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe('maskPhoneNumber', () => {
  it.each([
    ['+14254147755', '+1********55'],
    ['+442079460018', '+44********18'],
    ['+4930123456', '+49******56'],
    ['+80012345678', '+800******78'],
  ])('keeps the calling code and the last two digits of %s', (e164, masked) => {
    // Act
    const result = maskPhoneNumber(e164);

    // Assert
    expect(result).toBe(masked);
  });

  it.each(['', 'jane@example.com', '425 414 7755', '+1'])('masks %j entirely because it is not E.164', (input) => {
    // Act
    const result = maskPhoneNumber(input);

    // Assert
    expect(result).toBe('***');
  });

  it('never shows more than the calling code and two digits', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+[1-9]\d{6,14}$/), (e164) => {
        const masked = maskPhoneNumber(e164);
        const visibleDigits = masked.replace(/[^\d]/g, '');

        expect(masked).toHaveLength(e164.length);
        expect(visibleDigits.length).toBeLessThanOrEqual(5);
        expect(masked.endsWith(e164.slice(-2))).toBe(true);
      }),
    );
  });
});
