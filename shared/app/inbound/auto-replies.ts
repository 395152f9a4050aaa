import type { Settings } from '../../domain/settings/settings.schema';

/** Starts with the business name (carriers require the sender to be identifiable), unless the text already does. */
function signed(settings: Pick<Settings, 'businessName'>, text: string): string {
  const name = settings.businessName?.trim();
  return name && !text.startsWith(name) ? `${name}: ${text}` : text;
}

/** The one automatic answer to STOP (confirmation), START (welcome back) and HELP (the tenant's help text). */
export function autoReplyText(
  kind: 'optOut' | 'optIn' | 'help',
  settings: Pick<Settings, 'businessName' | 'helpText'>,
): string {
  switch (kind) {
    case 'optOut':
      return signed(settings, 'You are unsubscribed and will receive no more messages. Reply START to resubscribe.');
    case 'optIn':
      return signed(settings, 'You are subscribed again. Reply HELP for help, STOP to unsubscribe.');
    case 'help':
      return signed(settings, settings.helpText);
  }
}
