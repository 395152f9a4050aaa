import type { CampaignCounts, CampaignStatus } from './campaign.schema';
import type { LedgerEntry, LedgerStatus } from './ledger.schema';

/**
 * The campaign ledger's state machine: what moves a recipient's entry, from which statuses, to which. The stores
 * apply each move as one conditional write (`from` is its condition), and every accepted move is counted as
 * `contribution(after) - contribution(before)` (ledger-counts), so counters are the ledger's sum by construction.
 *
 *   launch ──> queued ──claim──> sending ──handOver──> sent ──receipt──> delivered | failed
 *                │  ^               │                  │                    ^ (a later-ranked final overrules)
 *         defer  │  │ giveBack      ├─ ambiguous ──> unknown ──receipt───────┘
 *                v  │ / retryLater  ├─ refused ────> failed (never reached the carrier)
 *             deferred              └─ withdraw ───> skipped | cancelled (a last look said no)
 *   queued | deferred ──screenOut / cancel──> skipped | cancelled
 *   sending (abandoned by a dead worker) ──sweep──> unknown
 */
export type LedgerMove =
  /** A worker takes the recipient: of several holding it (duplicate deliveries), one wins. */
  | 'claim'
  /** Held back: by the send window, or a recipient-time-zone schedule. */
  | 'defer'
  /** Not sent, decided before the claim: not eligible any more, the contact deleted, the campaign cancelled. */
  | 'screenOut'
  /** Not sent, decided after the claim, before the hand-over (last look, frequency cap). */
  | 'withdraw'
  /** Claimed and then held back by the window closing while it waited for its turn. */
  | 'deferAfterClaim'
  /** The carrier took it (`sent`), or may have (`unknown`), or refused it (`failed`). */
  | 'handOver'
  /**
   * Nothing went out (throttled, the worker failed before sending, or the campaign was paused between the claim and the
   * hand-over): back to `queued` for a retry, or for the resume.
   */
  | 'giveBack'
  /** A claim whose worker died: it may have reached the carrier, so it is never re-sent. */
  | 'sweep'
  /** A final receipt (a later-ranked final receipt may overrule an earlier one). */
  | 'finalReceipt'
  /** A progress receipt: proof the carrier has it. */
  | 'progressReceipt';

/** The statuses each move starts from: the condition of its write. */
export const MOVES_FROM: Readonly<Record<LedgerMove, readonly LedgerStatus[]>> = {
  claim: ['queued', 'deferred'],
  defer: ['queued', 'deferred'],
  screenOut: ['queued', 'deferred'],
  withdraw: ['sending'],
  deferAfterClaim: ['sending'],
  handOver: ['sending'],
  giveBack: ['sending'],
  sweep: ['sending'],
  finalReceipt: ['sending', 'sent', 'unknown'],
  progressReceipt: ['sending', 'unknown'],
};

/** The statuses each move may end in. */
export const MOVES_TO: Readonly<Record<LedgerMove, readonly LedgerStatus[]>> = {
  claim: ['sending'],
  defer: ['deferred'],
  screenOut: ['skipped', 'cancelled'],
  withdraw: ['skipped', 'cancelled'],
  deferAfterClaim: ['deferred'],
  handOver: ['sent', 'unknown', 'failed', 'skipped'],
  giveBack: ['queued'],
  sweep: ['unknown'],
  finalReceipt: ['delivered', 'failed'],
  progressReceipt: ['sent'],
};

/** The write condition of a move: its source statuses, as a mutable list for the store's port. */
export function fromStatuses(move: LedgerMove): LedgerStatus[] {
  return [...MOVES_FROM[move]];
}

/**
 * Applies a move to an entry as the store's conditional write does: the entry after it, or undefined when the
 * condition does not hold (a duplicate, a move overtaken by another). A final receipt also overrules an earlier final
 * outcome whose rank is lower (carriers do correct themselves); an equal or higher rank changes nothing.
 */
export function applyMove(
  entry: LedgerEntry,
  move: LedgerMove,
  to: LedgerStatus,
  fields: Partial<LedgerEntry> = {},
): LedgerEntry | undefined {
  if (!MOVES_TO[move].includes(to)) throw new Error(`a ${move} cannot end in ${to}`);
  const overrules =
    move === 'finalReceipt' &&
    entry.finalRank !== undefined &&
    fields.finalRank !== undefined &&
    entry.finalRank < fields.finalRank;
  if (!MOVES_FROM[move].includes(entry.status) && !overrules) return undefined;
  return { ...entry, ...fields, status: to };
}

/** Recipients still waiting for a worker, or held by one. */
const WAITING: ReadonlySet<LedgerStatus> = new Set(['queued', 'deferred', 'sending']);

/** True when nobody on the ledger still waits to be sent. */
export const nobodyWaits = (counts: Pick<CampaignCounts, 'queued'>) => counts.queued <= 0;

/** True for an entry a worker may still send. */
export const isWaiting = (status: LedgerStatus) => WAITING.has(status);

/**
 * A sending campaign is complete (it becomes `sent`) only once its launch has put every recipient on the ledger and
 * nobody waits: a launch cut short by a crash is resumed, never taken for the whole audience. A paused campaign is
 * never complete, even with nobody waiting: it completes once resumed (the store's condition is `status = sending`).
 */
export function isCampaignComplete(state: {
  launchDone: boolean;
  counts: Pick<CampaignCounts, 'queued'>;
  status?: CampaignStatus;
}): boolean {
  return (state.status ?? 'sending') === 'sending' && state.launchDone && nobodyWaits(state.counts);
}
