import { classifyEligibility } from '../audience/eligibility';
import type { Contact } from '../contacts/contact.schema';
import { checkSendTime } from '../sending/send-window';
import type { Settings } from '../settings/settings.schema';
import type { MessageType } from '../sms/sms.schema';
import type { CampaignStatus } from './campaign.schema';
import type { LedgerEntry } from './ledger.schema';

/** What a worker does with a waiting recipient before it claims it. */
export type Screening =
  /** Not this worker's to touch: already moved on, or the campaign is paused (its resume queues it again). */
  | { readonly kind: 'leave' }
  /** Never sent: the ledger's `screenOut` move to this status. */
  | { readonly kind: 'screenOut'; readonly status: 'skipped' | 'cancelled'; readonly reason: string }
  /** Held until `openAt`; `windowDeferred` when the send window (not a recipient-time-zone schedule) holds it. */
  | { readonly kind: 'defer'; readonly openAt: number; readonly windowDeferred: boolean }
  /** Ready: take a turn, then claim. */
  | { readonly kind: 'send'; readonly contact: Contact };

export interface ScreeningInput {
  readonly entry: LedgerEntry | undefined;
  readonly campaignStatus: CampaignStatus;
  readonly messageType: MessageType;
  readonly contact: Contact | undefined;
  readonly settings: Pick<Settings, 'marketingRequiresOptIn' | 'frequencyCap' | 'sendWindow'>;
  readonly now: Date;
}

/**
 * The screening of one recipient of a campaign batch, before any write: the campaign still sending, the contact still
 * there and eligible, its window open (or its own `notBefore` reached). Pure: the worker carries out the answer.
 */
export function screenCampaignRecipient(input: ScreeningInput): Screening {
  const { entry, campaignStatus, contact, settings, messageType, now } = input;
  if (!entry || (entry.status !== 'queued' && entry.status !== 'deferred')) return { kind: 'leave' };
  if (campaignStatus === 'paused') return { kind: 'leave' };
  if (campaignStatus !== 'sending') {
    return { kind: 'screenOut', status: 'cancelled', reason: `campaign ${campaignStatus}` };
  }
  if (!contact) return { kind: 'screenOut', status: 'cancelled', reason: 'contactDeleted' };
  const eligibility = classifyEligibility(contact, settings, { messageType });
  if (eligibility !== 'eligible') return { kind: 'screenOut', status: 'skipped', reason: eligibility };
  const notBefore = entry.notBefore ? Date.parse(entry.notBefore) : 0;
  const earliest = Math.max(now.getTime(), notBefore);
  const window = checkSendTime(new Date(earliest), contact, settings.sendWindow, { messageType });
  const openAt = window.allowed ? earliest : window.nextOpening.getTime();
  if (openAt > now.getTime()) return { kind: 'defer', openAt, windowDeferred: !window.allowed };
  return { kind: 'send', contact };
}
