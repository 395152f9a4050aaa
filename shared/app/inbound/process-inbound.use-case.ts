import { classifyInbound } from '../../domain/inbound/inbound-keywords';
import type { InboundMessageEvent, InboundMessageRecord } from '../../domain/inbound/inbound-message';
import type { TwoWayMessage } from '../../domain/inbound/two-way-message.schema';
import { parsePhoneNumber } from '../../domain/phone/phone-number';
import type { MessageSource } from '../../domain/sending/message-source';
import type { Settings } from '../../domain/settings/settings.schema';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { InboundStore } from '../../ports/inbound-store.port';
import type { Queue } from '../../ports/queue.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { SmsGateway } from '../../ports/sms-gateway.port';
import { LedgerCounter } from '../campaigns/ledger-counter';
import { changeConsent, recordInboundAt } from '../contacts/set-consent.use-case';
import { attributeReply } from './attribute-reply';
import { autoReplyText } from './auto-replies';

export interface InboundDeps {
  campaigns: CampaignStore;
  contacts: ContactStore;
  settings: SettingsStore;
  inbound: InboundStore;
  queue: Queue;
  gateway: SmsGateway;
  clock: Clock;
  ids: IdGenerator;
  configurationSetName?: string | undefined;
}

/** No tenant owns the number the text was sent to (and the carrier named no message of ours). */
export class UnroutableInboundError extends Error {
  override readonly name = 'UnroutableInboundError';
}

/** An inbound batch ends in seconds; past this a recount treats its writer as dead. */
const INBOUND_MAX_MS = 5 * 60_000;

export type InboundOutcome = 'duplicate' | InboundMessageRecord['kind'];

/**
 * Handles one inbound text: STOP and its kin (and free-text revocations) opt the sender out at
 * once, before any later send, with one confirmation; START/UNSTOP (and YES from an opted-out
 * sender) opt back in; HELP gets the tenant's help text; anything else is a reply, attributed to
 * the message it answers. Every step is safe to repeat, so a notification delivered twice, or
 * retried after a crash half-way, acts once: the message is recorded by its carrier id first and
 * marked done last, counters move only with the ledger, and the automatic answer is claimed
 * before it is sent.
 */
export async function processInboundMessage(message: TwoWayMessage, deps: InboundDeps): Promise<InboundOutcome> {
  const tenantId = await routeToTenant(message, deps);
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizeSender(message.originationNumber, settings.defaultCountry);
  const phoneRecord = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
  const contact = phoneRecord?.contactId
    ? (await deps.contacts.getContact(tenantId, phoneRecord.contactId))?.contact
    : undefined;
  const consent = contact?.smsConsent.status ?? (phoneRecord?.optedOutAt ? 'opted_out' : 'unknown');
  const classification = classifyInbound(message.messageBody, consent);
  const receivedAt = deps.clock.now().toISOString();
  const answers =
    contact && (await attributeReply(tenantId, contact.id, receivedAt, message.previousPublishedMessageId, deps));
  const start = await deps.inbound.beginInbound(tenantId, {
    inboundMessageId: message.inboundMessageId,
    phone,
    to: message.destinationNumber,
    contactId: contact?.id ?? null,
    body: message.messageBody,
    receivedAt,
    kind: classification.kind,
    keyword: 'keyword' in classification ? classification.keyword : null,
    answers: answers ?? null,
    state: 'received',
  });
  if (start.state === 'done') return 'duplicate';
  // A retry acts on what was first recorded (its time, its reading), not on a fresh look.
  const record = start.record;
  const at = record.receivedAt;
  const contactId = record.contactId;

  switch (record.kind) {
    case 'optOut':
    case 'revocation': {
      const revocation = record.kind === 'revocation';
      const note = revocation
        ? `Free-text opt-out "${clip(record.body)}": acted on, flagged for review`
        : `Texted "${clip(record.body)}"`;
      if (contactId) {
        await changeConsent(tenantId, contactId, 'opted_out', 'inbound_keyword', note, deps, {
          at,
          flaggedForReview: revocation,
        });
      }
      // The number itself too: a contact created for it later stays opted out.
      await deps.contacts.setNumberOptOut(tenantId, phone, at);
      await markCampaign(tenantId, contactId, record.answers, 'optedOutAt', at, deps);
      await autoReply(tenantId, record, settings, 'optOut', deps);
      break;
    }
    case 'optIn':
      if (contactId) {
        await changeConsent(tenantId, contactId, 'opted_in', 'inbound_keyword', `Texted "${clip(record.body)}"`, deps, {
          at,
        });
      } else {
        await deps.contacts.setNumberOptOut(tenantId, phone, null);
      }
      await autoReply(tenantId, record, settings, 'optIn', deps);
      break;
    case 'help':
      await autoReply(tenantId, record, settings, 'help', deps);
      break;
    case 'reply':
      await markCampaign(tenantId, contactId, record.answers, 'repliedAt', at, deps, record.body);
      break;
  }
  if (contactId) await recordInboundAt(tenantId, contactId, at, deps);
  const event: InboundMessageEvent = {
    kind: 'inboundMessage',
    tenantId,
    contactId,
    phone,
    inboundMessageId: record.inboundMessageId,
    type: record.kind,
    keyword: record.keyword,
    body: record.body,
    at,
    answers: record.answers,
  };
  await deps.queue.sendMessages('events', [{ body: event }]);
  await deps.inbound.finishInbound(tenantId, { ...record, state: 'done' });
  return record.kind;
}

/** The tenant that owns the number texted; failing that, the tenant of the campaign message the carrier names. */
async function routeToTenant(message: TwoWayMessage, deps: InboundDeps): Promise<string> {
  const owner = await deps.inbound.tenantOfNumber(message.destinationNumber);
  if (owner) return owner;
  if (message.previousPublishedMessageId) {
    const ref = await deps.campaigns.findByMessageId(message.previousPublishedMessageId);
    if (ref) return ref.tenantId;
  }
  throw new UnroutableInboundError(
    `no tenant owns ${message.destinationNumber} (set it as a tenant's originationIdentity); message ${message.inboundMessageId}`,
  );
}

/** AWS sends E.164 already; a local or odd sender is read as the tenant would read it. */
function normalizeSender(number: string, defaultCountry: Settings['defaultCountry']): string {
  const parsed = parsePhoneNumber(number, defaultCountry);
  return parsed.ok ? parsed.e164 : number;
}

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 157)}...` : text);

/** Records a reply or an opt-out on the campaign message it answers, once per recipient, and counts it. */
async function markCampaign(
  tenantId: string,
  contactId: string | null,
  answers: MessageSource | null,
  field: 'repliedAt' | 'optedOutAt',
  at: string,
  deps: InboundDeps,
  replyText?: string,
): Promise<void> {
  if (!contactId || answers?.kind !== 'campaign') return;
  const counter = await LedgerCounter.begin(deps, tenantId, answers.campaignId, INBOUND_MAX_MS);
  if (!counter) return;
  try {
    await counter.update(contactId, { unlessSet: field }, undefined, {
      [field]: at,
      ...(replyText !== undefined ? { replyText: clip(replyText) } : {}),
    });
  } finally {
    await counter.finish();
  }
}

/** Sends the one automatic answer an inbound keyword gets (never twice, even if this is a retry). */
async function autoReply(
  tenantId: string,
  record: InboundMessageRecord,
  settings: Settings,
  kind: 'optOut' | 'optIn' | 'help',
  deps: InboundDeps,
): Promise<void> {
  if (!(await deps.inbound.claimAutoReply(tenantId, record.phone, record.inboundMessageId))) return;
  await deps.gateway.send({
    destinationPhoneNumber: record.phone,
    originationIdentity: settings.originationIdentity ?? record.to,
    messageBody: autoReplyText(kind, settings),
    messageType: 'TRANSACTIONAL',
    ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
    context: { tenantId, ...(record.contactId ? { contactId: record.contactId } : {}), purpose: `${kind}Reply` },
  });
}
