import type { Contact } from '../contacts/contact.schema';
import type { Settings } from '../settings/settings.schema';
import type { MessageType } from '../sms/sms.schema';

/** Why a contact that matched an audience will not be texted. */
export type ExclusionReason = 'optedOut' | 'invalidPhone' | 'noConsent' | 'frequencyCapped';
export type Eligibility = 'eligible' | ExclusionReason;

export interface EligibilityOptions {
  messageType: MessageType;
  /** Messages sent to this contact in the last `settings.frequencyCap.perHours` hours; unknown means not capped. */
  recentMessageCount?: number;
}

/**
 * E.164: `+`, a country code that does not start with 0, at most 15 digits. Phones are checked against the full
 * numbering plan when they are written (`parsePhoneNumber`); a scan only needs this cheap check, which catches rows
 * written by older code or by hand (doing the full parse on 100k contacts would take over a second).
 */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Whether a contact that matched an audience may be sent this message, or the one reason it may not. Reasons are
 * tried in a fixed order and the first that applies wins, so that the counts add up and each contact is counted once:
 *
 * 1. `optedOut`: the person said stop. First, and for every message type, because texting someone who opted out is
 *    the worst mistake this system can make.
 * 2. `invalidPhone`: the number is not E.164, so no message can reach it whatever the consent.
 * 3. `noConsent`: a promotional message, a tenant whose `marketingRequiresOptIn` is on, and consent other than
 *    `opted_in` (i.e. `unknown`). Transactional messages do not need the opt-in.
 * 4. `frequencyCapped`: a promotional message to someone who already got `frequencyCap.maxMessages` messages in the
 *    last `frequencyCap.perHours` hours. Transactional messages (a receipt, a code) are not capped.
 */
export function classifyEligibility(
  contact: Pick<Contact, 'phone' | 'smsConsent'>,
  settings: Pick<Settings, 'marketingRequiresOptIn' | 'frequencyCap'>,
  options: EligibilityOptions,
): Eligibility {
  const consent = contact.smsConsent.status;
  if (consent === 'opted_out') return 'optedOut';
  if (!E164.test(contact.phone)) return 'invalidPhone';
  if (options.messageType !== 'PROMOTIONAL') return 'eligible';
  if (settings.marketingRequiresOptIn && consent !== 'opted_in') return 'noConsent';
  const recent = options.recentMessageCount;
  if (recent !== undefined && recent >= settings.frequencyCap.maxMessages) return 'frequencyCapped';
  return 'eligible';
}

/** What the audience preview shows: `excluded` always adds up to `matched - eligible`. */
export interface ExclusionSummary<C> {
  matched: number;
  eligible: number;
  excluded: Record<ExclusionReason, number>;
  sample: C[];
}

/** How many eligible contacts the preview shows. */
export const SAMPLE_SIZE = 10;

/**
 * Counts an audience as it is scanned: each matched contact is added once with its eligibility. Keeps the first
 * `sampleSize` eligible contacts (the first, not a random pick, so that the same data gives the same preview).
 */
export class ExclusionTally<C = Contact> {
  private matched = 0;
  private eligible = 0;
  private readonly excluded: Record<ExclusionReason, number> = {
    optedOut: 0,
    invalidPhone: 0,
    noConsent: 0,
    frequencyCapped: 0,
  };
  private readonly sample: C[] = [];

  constructor(private readonly sampleSize = SAMPLE_SIZE) {}

  /** Records one matched contact. */
  add(contact: C, eligibility: Eligibility): void {
    this.matched++;
    if (eligibility !== 'eligible') {
      this.excluded[eligibility]++;
      return;
    }
    this.eligible++;
    if (this.sample.length < this.sampleSize) this.sample.push(contact);
  }

  /** The counts so far (a copy: adding more does not change it). */
  summary(): ExclusionSummary<C> {
    return { matched: this.matched, eligible: this.eligible, excluded: { ...this.excluded }, sample: [...this.sample] };
  }
}
