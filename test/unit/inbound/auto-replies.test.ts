import { autoReplyText } from '../../../shared/app/inbound/auto-replies';

const HELP = 'Acme Realty: call 555-0100 for help. Reply STOP to unsubscribe.';

describe('autoReplyText', () => {
  it('signs the opt-out confirmation with the business name and tells how to come back', () => {
    // Act
    const text = autoReplyText('optOut', { businessName: 'Acme', helpText: HELP });

    // Assert
    expect(text.startsWith('Acme: ')).toBe(true);
    expect(text).toMatch(/unsubscribed/i);
    expect(text).toContain('START');
  });

  it('signs the opt-in welcome and reminds of HELP and STOP', () => {
    // Act
    const text = autoReplyText('optIn', { businessName: 'Acme', helpText: HELP });

    // Assert
    expect(text.startsWith('Acme: ')).toBe(true);
    expect(text).toContain('HELP');
    expect(text).toContain('STOP');
  });

  it('answers HELP with the tenant help text, prefixed by the business name', () => {
    // Act
    const text = autoReplyText('help', { businessName: 'Bright Dental', helpText: HELP });

    // Assert
    expect(text).toBe(`Bright Dental: ${HELP}`);
  });

  it('does not sign twice a help text that already starts with the business name', () => {
    // Act
    const text = autoReplyText('help', { businessName: 'Acme Realty', helpText: HELP });

    // Assert
    expect(text).toBe(HELP);
  });

  it.each([null, '   '])('leaves the text unsigned when the business name is %j', (businessName) => {
    // Act
    const text = autoReplyText('help', { businessName, helpText: HELP });

    // Assert
    expect(text).toBe(HELP);
  });
});
