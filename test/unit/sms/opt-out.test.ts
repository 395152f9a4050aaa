import { appendOptOutFooter, hasOptOutInstruction } from '../../../shared/domain/sms/opt-out';
import { countSegments } from '../../../shared/domain/sms/segments';
import type { OptOutSettings } from '../../../shared/domain/sms/sms.schema';

const settings: OptOutSettings = { autoAppendOptOut: true, optOutText: 'Reply STOP to opt out' };

describe('hasOptOutInstruction', () => {
  it.each([
    'Reply STOP to opt out',
    'reply stop to unsubscribe',
    'Text END to quit',
    "Reply with 'STOP' anytime",
    'Txt STOP',
    'STOP to end',
    'STOP2END',
    'Msg&data rates may apply. Stop=end',
    'To opt out, visit acme.com/out',
    'Opt-out: reply CANCEL',
    'Unsubscribe at acme.com/u',
    'Respond STOPALL to stop all messages',
    'END to quit',
    'Reply CANCEL',
  ])('recognises %j', (body) => {
    // Assert
    expect(hasOptOutInstruction(body)).toBe(true);
  });

  it.each([
    'Sale ends Sunday!',
    'Don’t stop believing: 20% off today',
    'Reply YES to confirm your appointment',
    'We will send you a reminder at the end of the week',
    'Stop by our store today',
    'Our end to end service, cancel to cancel? no',
    'Send end-of-year wishes to your team',
    'Text cancel anytime to move your booking',
  ])('does not mistake %j for one', (body) => {
    // Assert
    expect(hasOptOutInstruction(body)).toBe(false);
  });
});

describe('appendOptOutFooter', () => {
  it('appends the footer on a new line to a promotional message without an instruction', () => {
    // Assert
    expect(appendOptOutFooter('Acme: 20% off today!', settings, 'PROMOTIONAL')).toBe(
      'Acme: 20% off today!\nReply STOP to opt out',
    );
  });

  it('drops trailing whitespace and trims the footer before joining', () => {
    // Arrange
    const padded = { autoAppendOptOut: true, optOutText: '  Reply STOP to opt out \n' };

    // Assert
    expect(appendOptOutFooter('Acme: 20% off!  \n\n', padded, 'PROMOTIONAL')).toBe(
      'Acme: 20% off!\nReply STOP to opt out',
    );
  });

  it('leaves transactional messages alone', () => {
    // Assert
    expect(appendOptOutFooter('Your appointment is at 3pm', settings, 'TRANSACTIONAL')).toBe(
      'Your appointment is at 3pm',
    );
  });

  it('leaves the body alone when the setting is off or the footer text is blank', () => {
    // Assert
    expect(appendOptOutFooter('Sale!', { ...settings, autoAppendOptOut: false }, 'PROMOTIONAL')).toBe('Sale!');
    expect(appendOptOutFooter('Sale!', { autoAppendOptOut: true, optOutText: '  ' }, 'PROMOTIONAL')).toBe('Sale!');
  });

  it('does not add a second instruction', () => {
    // Arrange
    const body = 'Sale today! Text END to quit';

    // Assert
    expect(appendOptOutFooter(body, settings, 'PROMOTIONAL')).toBe(body);
  });

  it('makes the footer count toward the segments', () => {
    // Arrange: 150 septets fit one segment; the footer (1 + 21 septets) does not
    const body = 'a'.repeat(150);

    // Act
    const sent = appendOptOutFooter(body, settings, 'PROMOTIONAL');

    // Assert
    expect(countSegments(body)).toBe(1);
    expect(countSegments(sent)).toBe(2);
  });
});
