import { type ContentCheckInput, checkContent } from '../../../shared/domain/sms/content-checks';
import { FILTERED_LINK_SHORTENERS, findLinks } from '../../../shared/domain/sms/links';
import { contentWarningSchema } from '../../../shared/domain/sms/sms.schema';

const clean: ContentCheckInput = {
  body: 'Acme Bakery: fresh croissants are back this week. See acme.com/menu. Reply STOP to opt out',
  messageType: 'PROMOTIONAL',
  businessName: 'Acme Bakery',
};

const codesFor = (input: Partial<ContentCheckInput>) => checkContent({ ...clean, ...input }).map(({ code }) => code);

describe('checkContent', () => {
  it('raises nothing for a message written the way good SMS marketers write', () => {
    // Act
    const warnings = checkContent(clean);

    // Assert
    expect(warnings).toEqual([]);
  });

  it('gives every warning a stable code and a human message', () => {
    // Act
    const warnings = checkContent({
      body: 'HUGE SALE TODAY at bit.ly/x, reply YES {{contact.first_name}} {{contact.city}} ’ '.repeat(3),
      messageType: 'PROMOTIONAL',
      businessName: 'Acme',
    });

    // Assert
    expect(warnings.map(({ code }) => code)).toEqual([
      'BUSINESS_NOT_NAMED',
      'MULTIPLE_CTAS',
      'MISSING_OPT_OUT',
      'MULTIPLE_PERSONALIZATION',
      'MULTI_SEGMENT',
      'UCS2_CHARACTER',
      'ALL_CAPS',
      'LINK_SHORTENER',
    ]);
    for (const warning of warnings) expect(contentWarningSchema.parse(warning)).toEqual(warning);
  });

  describe('BUSINESS_NOT_NAMED', () => {
    it('accepts the name anywhere in the first 40 characters, in any case', () => {
      // Assert
      expect(codesFor({ body: 'Hi! ACME BAKERY here. Reply STOP to opt out' })).not.toContain('BUSINESS_NOT_NAMED');
      expect(codesFor({ body: `${'x'.repeat(39)}Acme Bakery. Reply STOP to opt out` })).not.toContain(
        'BUSINESS_NOT_NAMED',
      );
    });

    it('warns when the name starts after 40 characters or is missing', () => {
      // Assert
      expect(codesFor({ body: `${'x'.repeat(40)}Acme Bakery. Reply STOP to opt out` })).toContain('BUSINESS_NOT_NAMED');
      expect(codesFor({ body: 'Fresh bread today. Reply STOP to opt out' })).toContain('BUSINESS_NOT_NAMED');
    });

    it('measures the window without placeholders and matches curly apostrophes', () => {
      // Arrange
      const body = 'Hi {{contact.first_name | default: "there"}}, it\'s Joe’s Pizza. Reply STOP to opt out';

      // Assert
      expect(codesFor({ body, businessName: "Joe's Pizza" })).not.toContain('BUSINESS_NOT_NAMED');
    });

    it('is skipped when the tenant has no business name', () => {
      // Assert
      expect(codesFor({ body: 'Fresh bread. Reply STOP to opt out', businessName: null })).toEqual([]);
    });
  });

  describe('MULTIPLE_CTAS', () => {
    it.each([
      ['two links', 'Acme Bakery: menu at acme.com/menu, order at https://order.acme.com. Reply STOP to opt out'],
      ['a link and a reply', 'Acme Bakery: see acme.com/menu or reply YES to book. Reply STOP to opt out'],
      ['a link and a call', 'Acme Bakery: see acme.com/menu or call us at (555) 123-4567. Reply STOP to opt out'],
    ])('warns about %s', (_, body) => {
      // Assert
      expect(codesFor({ body })).toContain('MULTIPLE_CTAS');
    });

    it('does not count opt-out and help instructions or a repeated link', () => {
      // Arrange
      const body = 'Acme Bakery: see acme.com/menu (acme.com/menu). Reply HELP for help, reply STOP to opt out';

      // Assert
      expect(codesFor({ body })).not.toContain('MULTIPLE_CTAS');
    });
  });

  describe('MISSING_OPT_OUT', () => {
    it('warns on a promotional message without an instruction when the footer is off', () => {
      // Assert
      expect(codesFor({ body: 'Acme Bakery: croissants are back!' })).toContain('MISSING_OPT_OUT');
    });

    it('is satisfied by the automatic footer, by an instruction, or by a transactional message', () => {
      // Arrange
      const body = 'Acme Bakery: croissants are back!';

      // Assert
      expect(codesFor({ body, optOutFooterAppended: true })).not.toContain('MISSING_OPT_OUT');
      expect(codesFor({ body: `${body} Txt END to quit` })).not.toContain('MISSING_OPT_OUT');
      expect(codesFor({ body, messageType: 'TRANSACTIONAL' })).not.toContain('MISSING_OPT_OUT');
    });
  });

  describe('MULTIPLE_PERSONALIZATION', () => {
    it('warns from the second placeholder on', () => {
      // Assert
      expect(codesFor({ body: `Acme Bakery: hi {{contact.first_name}}! ${clean.body}` })).not.toContain(
        'MULTIPLE_PERSONALIZATION',
      );
      expect(
        codesFor({ body: `Acme Bakery: hi {{contact.first_name}} {{contact.last_name}}! Reply STOP to opt out` }),
      ).toContain('MULTIPLE_PERSONALIZATION');
    });
  });

  describe('MULTI_SEGMENT and UCS2_CHARACTER', () => {
    it('warns when the text takes more than one segment', () => {
      // Assert
      expect(codesFor({ body: `${clean.body} ${'a'.repeat(80)}` })).toContain('MULTI_SEGMENT');
    });

    it('names each character that forces UCS-2 and its suggestion', () => {
      // Act
      const warning = checkContent({ ...clean, body: `${clean.body} – don’t miss it 😀` }).find(
        ({ code }) => code === 'UCS2_CHARACTER',
      );

      // Assert
      expect(warning?.message).toContain('"–" (U+2013) -> "-"');
      expect(warning?.message).toContain('"’" (U+2019) -> "\'"');
      expect(warning?.message).toContain('"😀" (U+1F600)');
    });

    it('trusts the analysis of the text as sent when one is given', () => {
      // Act
      const codes = checkContent({ ...clean, analysis: { segments: 4, nonGsmCharacters: [] } }).map(({ code }) => code);

      // Assert
      expect(codes).toEqual(['MULTI_SEGMENT']);
    });
  });

  describe('ALL_CAPS', () => {
    it.each([
      'ACME BAKERY: FRESH CROISSANTS TODAY ONLY! Reply STOP to opt out',
      'Acme Bakery: croissants are back, HURRY IN NOW. Reply STOP to opt out',
    ])('warns about shouting in %j', (body) => {
      // Assert
      expect(codesFor({ body })).toContain('ALL_CAPS');
    });

    it('ignores acronyms, keywords and two capitalised words', () => {
      // Assert
      expect(
        codesFor({ body: 'Acme Bakery: BOGO croissants, FREE coffee. Reply STOP to opt out, HELP for help' }),
      ).not.toContain('ALL_CAPS');
    });
  });

  describe('LINK_SHORTENER', () => {
    it.each(FILTERED_LINK_SHORTENERS.map((domain) => [domain]))('warns about %s', (domain) => {
      // Arrange
      const body = `Acme Bakery: menu at https://${domain}/abc123. Reply STOP to opt out`;

      // Act
      const warning = checkContent({ ...clean, body }).find(({ code }) => code === 'LINK_SHORTENER');

      // Assert
      expect(warning?.message).toContain(domain);
    });

    it('catches bare and www. shortener links but not look-alike domains', () => {
      // Assert
      expect(codesFor({ body: 'Acme Bakery: bit.ly/abc. Reply STOP to opt out' })).toContain('LINK_SHORTENER');
      expect(codesFor({ body: 'Acme Bakery: www.bit.ly/abc. Reply STOP to opt out' })).toContain('LINK_SHORTENER');
      expect(codesFor({ body: 'Acme Bakery: habit.ly/abc or mit.com. Reply STOP to opt out' })).not.toContain(
        'LINK_SHORTENER',
      );
    });
  });
});

describe('findLinks', () => {
  it('finds scheme, www. and bare links, dropping trailing punctuation, and ignores e-mail addresses', () => {
    // Assert
    expect(findLinks('Go to https://acme.com/a?b=1, www.acme.co.uk or acme.shop/x. Mail hi@acme.com')).toEqual([
      'https://acme.com/a?b=1',
      'www.acme.co.uk',
      'acme.shop/x',
    ]);
    expect(findLinks('Costs $3.50 at 5 p.m. e.g. tomorrow')).toEqual([]);
  });
});
