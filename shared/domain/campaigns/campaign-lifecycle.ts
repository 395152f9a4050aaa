import { ConflictError } from '../errors';
import type { CampaignStatus } from './campaign.schema';

/** What a person or the system does to a campaign. */
export type CampaignAction =
  | 'edit'
  | 'delete'
  | 'schedule'
  | 'send'
  | 'fire'
  | 'cancel'
  | 'complete'
  | 'pause'
  | 'resume';

/**
 * The campaign state machine: draft -> scheduled -> sending -> sent, or cancelled. `fire` is the
 * scheduled launch arriving; it only moves a campaign that is still scheduled (a schedule that
 * fires after a cancel, or twice, changes nothing). A sending campaign may be paused (by a person, or by a guard:
 * carrier filtering, budget) and resumed; a paused one is never complete, and may be cancelled.
 */
const allowed: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  edit: { draft: 'draft', scheduled: 'scheduled' },
  delete: { draft: 'draft', scheduled: 'scheduled' },
  schedule: { draft: 'scheduled', scheduled: 'scheduled' },
  send: { draft: 'sending', scheduled: 'sending' },
  fire: { scheduled: 'sending' },
  cancel: { draft: 'cancelled', scheduled: 'cancelled', sending: 'cancelled', paused: 'cancelled' },
  complete: { sending: 'sent' },
  pause: { sending: 'paused' },
  resume: { paused: 'sending' },
};

/** The status after `action`, or undefined when the action does not apply in `status`. */
export function nextStatus(status: CampaignStatus, action: CampaignAction): CampaignStatus | undefined {
  return allowed[action][status];
}

/** Like nextStatus, but a wrong state is a 409 that says what the campaign is doing. */
export function requireTransition(id: string, status: CampaignStatus, action: CampaignAction): CampaignStatus {
  const next = nextStatus(status, action);
  if (!next) {
    throw new ConflictError(
      'CAMPAIGN.INVALID_STATE',
      `Campaign ${id} is ${status}; it cannot ${action === 'edit' ? 'be edited' : action === 'delete' ? 'be deleted' : action} now`,
      { status },
    );
  }
  return next;
}
