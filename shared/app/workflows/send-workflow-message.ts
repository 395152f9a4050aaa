import { classifyEligibility } from '../../domain/audience/eligibility';
import type { Contact } from '../../domain/contacts/contact.schema';
import { judgeLastLook } from '../../domain/sending/last-look';
import { sendCapsFor } from '../../domain/sending/state-rules';
import type { Settings } from '../../domain/settings/settings.schema';
import { appendOptOutFooter } from '../../domain/sms/opt-out';
import { countSegments } from '../../domain/sms/segments';
import type { MessageType } from '../../domain/sms/sms.schema';
import { compileTemplate } from '../../domain/sms/template';
import { logger } from '../../middleware/logger';
import { lastLookBeforeSend } from '../contacts/number-opt-out';
import { changeConsent } from '../contacts/set-consent.use-case';
import { trackMessageLinks } from '../links/track-message-links';
import { sendingNumberOf } from '../numbers/sender-numbers.use-case';
import type { WorkflowDeps } from './workflow-deps';

/** Throttled sends are tried again this many times (the state already moved on: this is the message's only chance). */
const THROTTLE_ATTEMPTS = 4;
const THROTTLE_PAUSE_MS = 1_000;

export interface WorkflowMessage {
  tenantId: string;
  workflowId: string;
  enrollmentId: string;
  stepId: string;
  body: string;
  messageType: MessageType;
  /** Shorten the text's links per recipient and count their clicks. */
  trackLinks?: boolean;
}

export type WorkflowSendOutcome = { kind: 'sent' } | { kind: 'skipped' | 'failed'; reason: string };

/**
 * Sends one `send_sms` step by the campaign pipeline's rules. The caller has claimed it (the enrollment's
 * version-conditional write), so it runs at most once. `planned` is the contact as the caller read it to plan the
 * advance (read here when not given): it screens the text before it is logged, and personalises it. Right before
 * sending it reads the contact again, consistently: an
 * opted-out contact is never texted, a promotional text needs the consent the tenant asks for and counts against
 * the frequency cap shared with campaigns. `recordSend` logs it for reply attribution; the opt-out footer is added
 * as for campaigns, and the carrier gets the workflow's ids as context.
 */
export async function sendWorkflowMessage(
  message: WorkflowMessage,
  contactId: string,
  settings: Settings,
  deps: WorkflowDeps,
  planned?: Contact,
): Promise<WorkflowSendOutcome> {
  const { tenantId, messageType } = message;
  const contact = planned ?? (await deps.contacts.getContact(tenantId, contactId))?.contact;
  if (!contact) return { kind: 'skipped', reason: 'contactDeleted' };
  const eligibility = classifyEligibility(contact, settings, { messageType });
  if (eligibility !== 'eligible') return { kind: 'skipped', reason: eligibility };

  const now = deps.clock.now();
  const promotional = messageType === 'PROMOTIONAL';
  const source = {
    kind: 'workflow' as const,
    workflowId: message.workflowId,
    enrollmentId: message.enrollmentId,
    stepId: message.stepId,
  };
  const logged = await deps.campaigns.recordSend(
    tenantId,
    contactId,
    { at: now.toISOString(), source },
    sendCapsFor(contact, settings.frequencyCap, promotional, now),
  );
  if (logged !== true) return { kind: 'skipped', reason: logged };

  const template = compileTemplate(appendOptOutFooter(message.body, settings, messageType));
  const sender = await sendingNumberOf(tenantId, settings, deps);
  if (!sender) return { kind: 'failed', reason: 'noSenderNumber' };
  for (let attempt = 1; ; attempt++) {
    await deps.pacer.acquire(sender.number, sender.mps);
    // Look again right before each attempt (after waiting for a turn, or out a throttle): a STOP or a PATCH may have
    // landed meanwhile. The number's own opt-out counts as much as the contact's consent; the text goes to the phone
    // as it is now, personalised for the contact as it is now.
    // The same last look as a campaign's (`judgeLastLook`), the window included: a turn that came after the window
    // closed does not go out. The enrollment has moved past this step, so the text is skipped (`quietHours`), not held:
    // a text outside the hours is the worse failure.
    const verdict = judgeLastLook(
      await lastLookBeforeSend(tenantId, contactId, contact.phone, deps),
      settings,
      messageType,
      deps.clock.now(),
    );
    if (verdict.kind === 'withdraw') return { kind: 'skipped', reason: verdict.reason };
    if (verdict.kind === 'windowClosed') {
      logger.warn('workflow text skipped: its turn came after the send window closed', {
        workflowId: message.workflowId,
        stepId: message.stepId,
      });
      return { kind: 'skipped', reason: 'quietHours' };
    }
    const latest = verdict.recipient;
    const rendered = template.render(latest);
    const messageBody = message.trackLinks
      ? await trackMessageLinks(rendered, { tenantId, contactId, source }, settings, deps)
      : rendered;
    const outcome = await deps.gateway.send({
      destinationPhoneNumber: latest.phone,
      originationIdentity: sender.number,
      messageBody,
      messageType,
      ...(deps.configurationSetName ? { configurationSetName: deps.configurationSetName } : {}),
      context: {
        tenantId,
        workflowId: message.workflowId,
        enrollmentId: message.enrollmentId,
        stepId: message.stepId,
        contactId,
      },
    });
    switch (outcome.kind) {
      case 'sent':
        // An answer to it (a reply, a STOP) finds this tenant by the message it answers; the send itself stands.
        await deps.campaigns
          .indexSentMessage(tenantId, outcome.messageId, {
            contactId,
            purpose: 'workflow',
            at: deps.clock.now().toISOString(),
            body: messageBody,
            segments: countSegments(messageBody),
            workflowId: message.workflowId,
          })
          .catch((error: unknown) => logger.warn('sent message not indexed', { error: error as Error }));
        return { kind: 'sent' };
      case 'unknown':
        // It may have reached the carrier: never sent again.
        logger.warn('workflow send outcome unknown', { workflowId: message.workflowId, stepId: message.stepId });
        return { kind: 'sent' };
      case 'rejected':
        if (outcome.optedOut) {
          await changeConsent(
            tenantId,
            contactId,
            'opted_out',
            'carrier',
            'the carrier reports the number opted out',
            deps,
          );
          return { kind: 'skipped', reason: 'optedOut' };
        }
        return { kind: 'failed', reason: outcome.reason };
      case 'retryLater':
        if (attempt >= THROTTLE_ATTEMPTS) return { kind: 'failed', reason: outcome.reason };
        await deps.clock.sleep(THROTTLE_PAUSE_MS * attempt);
    }
  }
}
