import { classifyEligibility } from '../audience/eligibility';
import type { Contact } from '../contacts/contact.schema';
import type { Settings } from '../settings/settings.schema';
import type { MessageType } from '../sms/sms.schema';
import { checkSendTime } from './send-window';

/** What a fresh read right before the hand-over found: the contact as it is now, and its number's own opt-out. */
export interface FreshLook {
  readonly contact: Contact | undefined;
  readonly numberOptedOut: boolean;
}

/** The last word before a text goes to the carrier: hand it over (to the contact as it is now), withdraw it, or wait. */
export type LastLookVerdict =
  | { readonly kind: 'handOver'; readonly recipient: Contact }
  | {
      readonly kind: 'withdraw';
      readonly status: 'skipped' | 'cancelled';
      readonly reason: string;
      /** The number the refusal is about, when it is not the one planned with (a number opted out as a number). */
      readonly phone?: string;
    }
  | { readonly kind: 'windowClosed'; readonly nextOpening: Date };

/**
 * The same last look for every sender (campaign, workflow): a turn may come seconds or minutes after the send was
 * planned, so consent, the number's own opt-out and the recipient's send window are judged again on the fresh read.
 * Order matters: an opt-out wins over everything, then the window (a closed window holds the text, never drops it).
 */
export function judgeLastLook(
  look: FreshLook,
  settings: Pick<Settings, 'marketingRequiresOptIn' | 'frequencyCap' | 'sendWindow'>,
  messageType: MessageType,
  now: Date,
): LastLookVerdict {
  const recipient = look.contact;
  if (!recipient) return { kind: 'withdraw', status: 'cancelled', reason: 'contactDeleted' };
  const eligibility = classifyEligibility(recipient, settings, { messageType });
  if (eligibility !== 'eligible') return { kind: 'withdraw', status: 'skipped', reason: eligibility };
  if (look.numberOptedOut) return { kind: 'withdraw', status: 'skipped', reason: 'optedOut', phone: recipient.phone };
  const window = checkSendTime(now, recipient, settings.sendWindow, { messageType });
  if (!window.allowed) return { kind: 'windowClosed', nextOpening: window.nextOpening };
  return { kind: 'handOver', recipient };
}
