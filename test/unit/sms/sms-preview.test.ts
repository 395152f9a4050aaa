import type { OptOutSettings, TemplateContact } from '../../../shared/domain/sms/sms.schema';
import {
  AudienceSegmentTally,
  estimateAudienceSegments,
  previewSmsMessage,
} from '../../../shared/domain/sms/sms-preview';
import { compileTemplate } from '../../../shared/domain/sms/template';
import { TemplateSyntaxError, TemplateVariableError } from '../../../shared/domain/sms/template-errors';

const settings: OptOutSettings = { autoAppendOptOut: true, optOutText: 'Reply STOP to opt out' };

describe('previewSmsMessage', () => {
  it('appends the footer for a promotional message and counts it', () => {
    // Act
    const preview = previewSmsMessage({ body: 'Acme: 20% off today!', settings, businessName: 'Acme' });

    // Assert
    expect(preview).toMatchObject({
      finalBody: 'Acme: 20% off today!\nReply STOP to opt out',
      encoding: 'GSM-7',
      segments: 1,
      units: 42,
      warnings: [],
    });
  });

  it('personalises for a contact and counts the personalised text', () => {
    // Act
    const preview = previewSmsMessage({
      body: 'Acme: hi {{contact.first_name | default: "there"}}, your reward is ready',
      messageType: 'TRANSACTIONAL',
      settings,
      contact: { firstName: 'Zoë' },
    });

    // Assert
    expect(preview).toMatchObject({
      finalBody: 'Acme: hi Zoë, your reward is ready',
      encoding: 'UCS-2',
      nonGsmCharacters: [{ char: 'ë', position: 11, unicode: 'U+00EB', replacement: 'e' }],
    });
  });

  it('applies replacements to the body only when asked', () => {
    // Arrange
    const input = { body: 'Acme: it’s “on” — today', settings, messageType: 'TRANSACTIONAL' as const };

    // Act
    const untouched = previewSmsMessage(input);
    const replaced = previewSmsMessage({ ...input, applyReplacements: true });

    // Assert
    expect(untouched).toMatchObject({ finalBody: input.body, encoding: 'UCS-2', appliedReplacements: [] });
    expect(replaced).toMatchObject({ finalBody: 'Acme: it\'s "on" - today', encoding: 'GSM-7' });
    expect(replaced.appliedReplacements).toHaveLength(4);
  });

  it('adds the worst case and the total over an audience, and warns on the worst case', () => {
    // Arrange
    const audience: TemplateContact[] = [{ firstName: 'Ann' }, { firstName: 'Bo' }, { firstName: 'x'.repeat(150) }];

    // Act
    const preview = previewSmsMessage({ body: 'Acme: hi {{contact.first_name}}!', settings, audience });

    // Assert
    expect(preview.worstCase).toEqual({ segments: 2, contacts: 1 });
    expect(preview.estimatedSegments).toBe(4);
    expect(preview.warnings.map(({ code }) => code)).toContain('MULTI_SEGMENT');
  });

  it('rejects unknown variables and malformed placeholders', () => {
    // Assert
    expect(() => previewSmsMessage({ body: 'Hi {{contact.shoe_size}}', settings, customFieldNames: ['city'] })).toThrow(
      TemplateVariableError,
    );
    expect(() => previewSmsMessage({ body: 'Hi {{contact.first_name', settings })).toThrow(TemplateSyntaxError);
  });
});

describe('estimateAudienceSegments', () => {
  it('reports an empty audience as zero', () => {
    // Act
    const summary = estimateAudienceSegments(compileTemplate('Hi'), []);

    // Assert
    expect(summary).toEqual({ worstCase: { segments: 0, contacts: 0 }, estimatedSegments: 0, contacts: 0 });
  });

  it('accumulates page by page with the same result', () => {
    // Arrange
    const template = compileTemplate(`${'a'.repeat(150)}{{contact.city}}`);
    const contacts: TemplateContact[] = [
      { customFields: { city: 'Oslo' } },
      { customFields: { city: 'Ciudad de México' } },
      { customFields: { city: 'Zürich' } },
      { customFields: { city: 'Łódź' } },
    ];
    const tally = new AudienceSegmentTally(template);

    // Act
    for (const contact of contacts.slice(0, 2)) tally.add(contact);
    for (const contact of contacts.slice(2)) tally.add(contact);

    // Assert
    expect(tally.summary()).toEqual(estimateAudienceSegments(template, contacts));
    expect(tally.summary()).toEqual({ worstCase: { segments: 3, contacts: 1 }, estimatedSegments: 7, contacts: 4 });
  });
});
