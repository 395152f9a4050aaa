import fc from 'fast-check';
import { RuleViolationError } from '../../../shared/domain/errors';
import { countSegments } from '../../../shared/domain/sms/segments';
import type { TemplateContact } from '../../../shared/domain/sms/sms.schema';
import { compileTemplate } from '../../../shared/domain/sms/template';
import { TemplateSyntaxError, TemplateVariableError } from '../../../shared/domain/sms/template-errors';

const ann: TemplateContact = {
  firstName: 'Ann',
  lastName: 'Lee',
  customFields: { city: 'Paris', visits: 3, vip: true },
};

describe('compileTemplate', () => {
  it('lists its variables once each, in order of first use', () => {
    // Act
    const template = compileTemplate('{{contact.first_name}} {{ contact.city }} {{contact.first_name | default: "x"}}');

    // Assert
    expect(template.variables).toEqual(['first_name', 'city']);
    expect(template.tokens.map(({ name, defaultValue, position }) => [name, defaultValue, position])).toEqual([
      ['first_name', null, 0],
      ['city', null, 23],
      ['first_name', 'x', 42],
    ]);
  });

  it('renders built-in and custom fields, numbers and booleans included', () => {
    // Arrange
    const template = compileTemplate(
      'Hi {{contact.first_name}} {{contact.last_name}} from {{contact.city}}: {{contact.visits}} visits, VIP {{contact.vip}}',
    );

    // Act
    const text = template.render(ann);

    // Assert
    expect(text).toBe('Hi Ann Lee from Paris: 3 visits, VIP true');
  });

  it.each([
    ['double quotes', '{{contact.first_name | default: "there"}}'],
    ['single quotes', "{{contact.first_name | default: 'there'}}"],
    ['curly quotes', '{{contact.first_name | default: “there”}}'],
    ['no spaces', '{{contact.first_name|default:"there"}}'],
  ])('uses the default (%s) when the field is empty', (_, placeholder) => {
    // Arrange
    const template = compileTemplate(`Hi ${placeholder}!`);

    // Assert
    expect(template.render({})).toBe('Hi there!');
    expect(template.render({ firstName: null })).toBe('Hi there!');
    expect(template.render({ firstName: '' })).toBe('Hi there!');
    expect(template.render({ firstName: '   ' })).toBe('Hi there!');
    expect(template.render({ firstName: 'Ann' })).toBe('Hi Ann!');
  });

  it('renders an empty known field as nothing, leaving no braces behind', () => {
    // Arrange
    const template = compileTemplate('Hi {{contact.first_name}}, your {{contact.city}} store');

    // Act
    const text = template.render({ firstName: null }, { customFieldNames: ['city'] });

    // Assert
    expect(text).toBe('Hi , your  store');
  });

  it('treats a custom field the contact lacks as empty when no known names are given', () => {
    // Arrange
    const template = compileTemplate('Code: {{contact.promo_code}}{{contact.zip | default: "n/a"}}');

    // Assert
    expect(template.render({ customFields: {} })).toBe('Code: n/a');
  });

  it('rejects an unknown variable without a default, naming it', () => {
    // Arrange
    const template = compileTemplate('Hi {{contact.first_name}}, {{contact.favourite_colour}} {{contact.shoe_size}}');

    // Act
    const render = () => template.render(ann, { customFieldNames: ['city'] });

    // Assert
    expect(render).toThrow(TemplateVariableError);
    expect(render).toThrow('contact.favourite_colour');
    try {
      render();
    } catch (error) {
      expect(error).toMatchObject({
        code: 'TEMPLATE.UNKNOWN_VARIABLE',
        variable: 'favourite_colour',
        variables: ['favourite_colour', 'shoe_size'],
      });
    }
    expect(template.unknownVariables(['city'])).toEqual(['favourite_colour', 'shoe_size']);
    expect(() => template.segmentsFor(ann, { customFieldNames: new Set(['city']) })).toThrow(TemplateVariableError);
  });

  it('renders the default of an unknown variable that has one', () => {
    // Arrange
    const template = compileTemplate('Hi {{contact.nickname | default: "friend"}}');

    // Act
    const text = template.render({ customFields: { nickname: 'Al' } }, { customFieldNames: ['city'] });

    // Assert
    expect(text).toBe('Hi friend');
    expect(template.unknownVariables(['city'])).toEqual([]);
  });

  it('accepts built-ins and listed custom fields as known', () => {
    // Arrange
    const template = compileTemplate('{{contact.first_name}} {{contact.last_name}} {{contact.city}}');

    // Assert
    expect(template.unknownVariables(['city'])).toEqual([]);
    expect(template.render(ann, { customFieldNames: ['city'] })).toBe('Ann Lee Paris');
  });

  it('never reads inherited object properties as custom fields', () => {
    // Arrange
    const template = compileTemplate('[{{contact.constructor}}][{{contact.toString}}][{{contact.__proto__}}]');

    // Assert
    expect(template.render({ customFields: {} })).toBe('[][][]');
  });

  it.each([
    ['no namespace', 'Hi {{first_name}}', '{{first_name}}', 3],
    ['unclosed', 'Hi {{contact.first_name', '{{contact.first_name', 3],
    ['unknown filter', 'Hi {{contact.first_name | upcase}}!', '{{contact.first_name | upcase}}', 3],
    ['unquoted default', 'Hi {{contact.first_name | default: there}}', '{{contact.first_name | default: there}}', 3],
    ['empty name', 'x {{contact.}}', '{{contact.}}', 2],
  ])('rejects a malformed placeholder (%s)', (_, source, fragment, position) => {
    // Act
    const compile = () => compileTemplate(source);

    // Assert
    expect(compile).toThrow(TemplateSyntaxError);
    try {
      compile();
    } catch (error) {
      expect(error).toMatchObject({ code: 'TEMPLATE.SYNTAX_ERROR', fragment, position });
    }
  });

  it('leaves single braces and a lone closing pair as text', () => {
    // Assert
    expect(compileTemplate('Use code {SAVE} }} now').render({})).toBe('Use code {SAVE} }} now');
  });

  it('counts segments for a contact without rendering, matching the rendered text', () => {
    // Arrange
    const template = compileTemplate(`${'a'.repeat(150)} {{contact.first_name | default: "there"}}`);

    // Assert
    expect(template.segmentsFor({ firstName: 'Ann' })).toBe(1);
    expect(template.segmentsFor({ firstName: 'Maximilian' })).toBe(2);
    expect(template.segmentsFor({ firstName: 'Zoë' })).toBe(3);
    expect(template.segmentsFor({})).toBe(1);
  });

  it('counts a contact value that puts an escape pair or an emoji on a part boundary like the rendered text', () => {
    // Arrange
    const gsmTemplate = compileTemplate(`${'a'.repeat(152)}{{contact.first_name}}${'b'.repeat(152)}`);
    const ucs2Template = compileTemplate(`${'ф'.repeat(66)}{{contact.first_name}}${'ф'.repeat(66)}`);

    // Assert
    expect(gsmTemplate.segmentsFor({ firstName: '€' })).toBe(3);
    expect(gsmTemplate.segmentsFor({ firstName: 'e' })).toBe(2);
    expect(ucs2Template.segmentsFor({ firstName: '😀' })).toBe(3);
    expect(ucs2Template.segmentsFor({ firstName: 'ф' })).toBe(2);
  });

  it('counts segments exactly as the rendered text would (property)', () => {
    // Arrange
    const piece = fc.oneof(
      fc.string({
        unit: fc.constantFrom('a', ' ', '€', '~', '}', 'ф', '’', '😀', '👍🏽', '\ud83d', '\ude00'),
        maxLength: 120,
      }),
      fc.constantFrom('{{contact.first_name}}', '{{contact.last_name | default: "x€"}}', '{{contact.city}}'),
    );
    const value = fc.option(
      fc.string({ unit: fc.constantFrom('a', '€', 'ф', '😀', '\ud83d', '\ude00', ' '), maxLength: 80 }),
    );

    fc.assert(
      fc.property(fc.array(piece, { maxLength: 8 }), value, value, value, (pieces, first, last, city) => {
        const template = compileTemplate(pieces.join(''));
        const contact: TemplateContact = { firstName: first, lastName: last, customFields: city ? { city } : {} };

        // Assert
        expect(template.segmentsFor(contact)).toBe(countSegments(template.render(contact)));
      }),
      { numRuns: 400 },
    );
  });
});

describe('template errors', () => {
  it('are rule violations naming the body field, so the API answers 422', () => {
    // Act
    const unknown = new TemplateVariableError('shoe_size', ['shoe_size', 'hat']);
    const syntax = new TemplateSyntaxError('{{first_name}}', 3);

    // Assert
    expect(unknown).toBeInstanceOf(RuleViolationError);
    expect(unknown).toMatchObject({ name: 'TemplateVariableError', code: 'TEMPLATE.UNKNOWN_VARIABLE' });
    expect(unknown.details).toEqual([
      { path: 'body', message: 'Unknown variable "contact.shoe_size" and no default' },
      { path: 'body', message: 'Unknown variable "contact.hat" and no default' },
    ]);
    expect(syntax).toBeInstanceOf(RuleViolationError);
    expect(syntax).toMatchObject({ name: 'TemplateSyntaxError', code: 'TEMPLATE.SYNTAX_ERROR' });
    expect(syntax.details).toEqual([{ path: 'body', message: syntax.message }]);
  });
});
