import fc from 'fast-check';
import { type CampaignStatus, campaignStatusSchema } from '../../../shared/domain/campaigns/campaign.schema';
import {
  type CampaignAction,
  nextStatus,
  requireTransition,
} from '../../../shared/domain/campaigns/campaign-lifecycle';
import { ConflictError } from '../../../shared/domain/errors';

const STATUSES = campaignStatusSchema.options;
const ACTIONS: CampaignAction[] = [
  'edit',
  'delete',
  'schedule',
  'send',
  'fire',
  'cancel',
  'complete',
  'pause',
  'resume',
];

/**
 * The whole table, written out by hand from the contract (API.md "Campaigns"): draft -> scheduled -> sending -> sent,
 * or cancelled; PATCH and DELETE only while draft or scheduled; a fire only moves a campaign still scheduled; only a
 * sending campaign pauses, only a paused one resumes (issue 16), and a paused one is never complete.
 * `null` means the action does not apply (a 409 through requireTransition).
 */
const EXPECTED: Record<CampaignAction, Record<CampaignStatus, CampaignStatus | null>> = {
  edit: { draft: 'draft', scheduled: 'scheduled', sending: null, paused: null, sent: null, cancelled: null },
  delete: { draft: 'draft', scheduled: 'scheduled', sending: null, paused: null, sent: null, cancelled: null },
  schedule: { draft: 'scheduled', scheduled: 'scheduled', sending: null, paused: null, sent: null, cancelled: null },
  send: { draft: 'sending', scheduled: 'sending', sending: null, paused: null, sent: null, cancelled: null },
  fire: { draft: null, scheduled: 'sending', sending: null, paused: null, sent: null, cancelled: null },
  cancel: {
    draft: 'cancelled',
    scheduled: 'cancelled',
    sending: 'cancelled',
    paused: 'cancelled',
    sent: null,
    cancelled: null,
  },
  complete: { draft: null, scheduled: null, sending: 'sent', paused: null, sent: null, cancelled: null },
  pause: { draft: null, scheduled: null, sending: 'paused', paused: null, sent: null, cancelled: null },
  resume: { draft: null, scheduled: null, sending: null, paused: 'sending', sent: null, cancelled: null },
};

const CASES = ACTIONS.flatMap((action) =>
  STATUSES.map((status) => ({ action, status, expected: EXPECTED[action][status] })),
);

describe('campaign state machine', () => {
  it('covers every action and every status', () => {
    expect(CASES).toHaveLength(ACTIONS.length * STATUSES.length);
  });

  it.each(CASES)('$action on a $status campaign -> $expected', ({ action, status, expected }) => {
    // Act
    const next = nextStatus(status, action);

    // Assert
    expect(next ?? null).toBe(expected);
  });

  it.each(CASES)(
    'requireTransition: $action on $status is allowed or a 409 naming the state',
    ({ action, status, expected }) => {
      if (expected) {
        expect(requireTransition('c-1', status, action)).toBe(expected);
        return;
      }
      let thrown: unknown;
      try {
        requireTransition('c-1', status, action);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConflictError);
      expect(thrown).toMatchObject({ code: 'CAMPAIGN.INVALID_STATE', message: expect.stringContaining(status) });
    },
  );

  it('a scheduled fire after a cancel does nothing, and neither does a second fire', () => {
    // Arrange: scheduled, then cancelled before the time
    const cancelled = requireTransition('c-1', 'scheduled', 'cancel');

    // Act
    const fireAfterCancel = nextStatus(cancelled, 'fire');
    const fired = nextStatus('scheduled', 'fire') as CampaignStatus;
    const secondFire = nextStatus(fired, 'fire');

    // Assert
    expect(cancelled).toBe('cancelled');
    expect(fireAfterCancel).toBeUndefined();
    expect(fired).toBe('sending');
    expect(secondFire).toBeUndefined();
  });

  it('a second send is a 409', () => {
    // Arrange
    const sending = requireTransition('c-1', 'draft', 'send');

    // Act / Assert
    expect(sending).toBe('sending');
    expect(() => requireTransition('c-1', sending, 'send')).toThrow(ConflictError);
    expect(() => requireTransition('c-1', 'sent', 'send')).toThrow(ConflictError);
  });

  it('no sequence of actions leaves the terminal states or goes back to draft (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 20 }), (actions) => {
        let status: CampaignStatus = 'draft';
        const visited: CampaignStatus[] = [status];
        for (const action of actions) {
          const next = nextStatus(status, action);
          if (next === undefined) continue;
          if (status === 'sent' || status === 'cancelled') return false;
          if (next === 'draft' && status !== 'draft') return false;
          if (status === 'sending' && next !== 'sent' && next !== 'cancelled' && next !== 'paused') return false;
          if (status === 'paused' && next !== 'sending' && next !== 'cancelled') return false;
          status = next;
          visited.push(status);
        }
        // Once it leaves draft and scheduled, nothing edits or deletes it.
        return visited.every((s, i) => i === 0 || s !== 'draft' || visited[i - 1] === 'draft');
      }),
    );
  });
});
