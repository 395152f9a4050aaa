import { classifyInbound } from '../../domain/inbound/inbound-keywords';
import type { InboundMessageEvent, InboundMessageRecord } from '../../domain/inbound/inbound-message';
import type { TwoWayMessage } from '../../domain/inbound/two-way-message.schema';
import { senderIdentity } from '../../domain/numbers/sender-number';
import { parsePhoneNumber } from '../../domain/phone/phone-number';
import type { MessageSource } from '../../domain/sending/message-source';
import type { Settings } from '../../domain/settings/settings.schema';
import { countSegments } from '../../domain/sms/segments';
import { logger } from '../../middleware/logger';
import type { CampaignStore } from '../../ports/campaign-store.port';
import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { IdGenerator } from '../../ports/id-generator.port';
import type { InboundStore } from '../../ports/inbound-store.port';
import type { NumberRegistry } from '../../ports/number-registry.port';
import type { Queue } from '../../ports/queue.port';
import type { SettingsStore } from '../../ports/settings-store.port';
import type { SmsGateway } from '../../ports/sms-gateway.port';
import { LedgerCounter } from '../campaigns/ledger-counter';
import { changeConsent, recordInboundAt } from '../contacts/set-consent.use-case';
import { attributeReply } from './attribute-reply';
import { autoReplyText } from './auto-replies';

export interface InboundDeps {
  campaigns: CampaignStore;
  numbers: NumberRegistry;
  contacts: ContactStore;
  settings: SettingsStore;
  inbound: InboundStore;
  queue: Queue;
  gateway: SmsGateway;
  clock: Clock;
  ids: IdGenerator;
  configurationSetName?: string | undefined;
}

/** An inbound batch ends in seconds; past this a recount treats its writer as dead. */
const INBOUND_MAX_MS = 5 * 60_000;

export type InboundOutcome = 'duplicate' | 'unrouted' | InboundMessageRecord['kind'];

/** Where an inbound text goes: the tenants it is for, or nowhere (kept for the operator) and why. */
type Route = { tenants: string[] } | { unrouted: string };

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
  // An operator's decision on a text kept unrouted comes first: routing may find something else by now.
  const kept = await deps.numbers.getUnrouted(message.inboundMessageId);
  if (kept?.routeTo) {
    const outcome = await processForTenant(message, kept.routeTo, deps);
    await deps.numbers.deleteUnrouted(message.inboundMessageId);
    return outcome;
  }
  const route = await routeInbound(message, deps);
  if ('unrouted' in route) return keepUnrouted(message, route.unrouted, deps);
  let outcome: InboundOutcome = 'duplicate';
  // The person gets one automatic answer, from the first tenant (the one whose message they answered, if any).
  for (const [i, tenantId] of route.tenants.entries()) {
    outcome = await processForTenant(message, tenantId, deps, { answer: i === 0 });
  }
  return outcome;
}

/**
 * A text no tenant could be found for: kept for the operator (once per message id) and counted for the
 * unrouted-inbound alarm. Never guessed.
 */
async function keepUnrouted(message: TwoWayMessage, reason: string, deps: InboundDeps): Promise<InboundOutcome> {
  logger.warn('inbound text unrouted', { inboundMessageId: message.inboundMessageId, reason });
  // The unrouted-inbound alarm's figure, as a CloudWatch embedded metric (no API call).
  logger.info('inbound unrouted metric', {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        { Namespace: 'SmsEngine', Dimensions: [[]], Metrics: [{ Name: 'InboundUnrouted', Unit: 'Count' }] },
      ],
    },
    InboundUnrouted: 1,
  });
  await deps.numbers.recordUnrouted({
    inboundMessageId: message.inboundMessageId,
    message,
    receivedAt: deps.clock.now().toISOString(),
    reason,
  });
  return 'unrouted';
}

/**
 * Handles the text as one tenant's: re-run per tenant of a pool (a STOP to a shared number reaches each tenant that
 * knows the phone), each with its own record, consent history and confirmation.
 */
export async function processForTenant(
  message: TwoWayMessage,
  tenantId: string,
  deps: InboundDeps,
  options: { answer?: boolean } = {},
): Promise<InboundOutcome> {
  const answer = options.answer ?? true;
  const { settings } = await deps.settings.getSettings(tenantId);
  const phone = normalizeSender(message.originationNumber, settings.defaultCountry);
  const phoneRecord = (await deps.contacts.getPhoneRecords(tenantId, [phone])).get(phone);
  const claimed = phoneRecord?.contactId
    ? (await deps.contacts.getContact(tenantId, phoneRecord.contactId))?.contact
    : undefined;
  // A claim left by an edit that did not land names a contact with another phone: not this person.
  const contact = claimed?.phone === phone ? claimed : undefined;
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
      if (answer) await autoReply(tenantId, record, settings, 'optOut', deps);
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
      if (answer) await autoReply(tenantId, record, settings, 'optIn', deps);
      break;
    case 'help':
      if (answer) await autoReply(tenantId, record, settings, 'help', deps);
      break;
    case 'reply':
      await markCampaign(tenantId, contactId, record.answers, 'repliedAt', at, deps, record.body);
      break;
  }
  if (contactId) {
    await recordInboundAt(tenantId, contactId, at, deps);
    await deps.inbound.noteConversation(tenantId, contactId, at, record.inboundMessageId);
  }
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

/**
 * Finds whom a text is for, in a way no tenant can steer. The number texted is the operator's to assign: the tenant
 * of the message the text answers (the carrier's `previousPublishedMessageId`; every message we send is findable by
 * its id) counts only if it holds that number. A tenant's own number routes to it. A number in a pool is shared:
 * an opt-out reaches every member (each records the number's opt-out, and its contact's if it has one); any other
 * text goes to the tenant whose message it answers, or is kept for the operator, never guessed.
 */
async function routeInbound(message: TwoWayMessage, deps: InboundDeps): Promise<Route> {
  const named = senderIdentity(message.destinationNumber);
  const [number, answered] = await Promise.all([
    named ? deps.numbers.resolve(named.id) : undefined,
    message.previousPublishedMessageId ? deps.campaigns.tenantOfMessage(message.previousPublishedMessageId) : undefined,
  ]);
  if (!number) {
    // A number the registry does not know: only our own message can say whose it is.
    return answered
      ? { tenants: [answered] }
      : { unrouted: `no tenant holds ${message.destinationNumber} and no message of ours is named` };
  }
  const holders = await deps.numbers.tenantsOf(number);
  const byMessage = answered && holders.includes(answered) ? answered : undefined;
  if (number.owner.kind === 'tenant') return { tenants: holders };
  const kind = classifyInbound(message.messageBody, 'unknown').kind;
  if (kind === 'optOut' || kind === 'revocation') {
    return { tenants: byMessage ? [byMessage, ...holders.filter((t) => t !== byMessage)] : holders };
  }
  if (byMessage) return { tenants: [byMessage] };
  return {
    unrouted: `${message.destinationNumber} is shared by the pool ${number.owner.pool} and the text answers no message of ours`,
  };
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
  // Answered from the number texted (the tenant holds it, or the text was routed to it by a message of its own).
  const body = autoReplyText(kind, settings);
  const sent = await deps.gateway.send({
    destinationPhoneNumber: record.phone,
    originationIdentity: record.to,
    messageBody: body,
    messageType: 'TRANSACTIONAL',
    ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
    context: { tenantId, ...(record.contactId ? { contactId: record.contactId } : {}), purpose: `${kind}Reply` },
  });
  if (sent.kind === 'sent') {
    // Best effort: the answer went out; only a later reply to it would miss its tenant (and fall back to the number).
    await deps.campaigns
      .indexSentMessage(tenantId, sent.messageId, {
        contactId: record.contactId,
        purpose: `${kind}Reply`,
        at: deps.clock.now().toISOString(),
        body,
        segments: countSegments(body),
      })
      .catch((error: unknown) => logger.warn('automatic answer not indexed', { error: error as Error }));
  }
}
