import { DAY_MS } from '../sending/daily-window';
import { nextPermittedInstant } from '../sending/recipient-opening';
import { spacingOf } from '../sending/send-slots';
import type { SendTimeProfile } from '../sending/send-window';
import { isOpenInZone, windowClosingInZone } from '../sending/zoned-window';

/** One recipient as the estimate sees it: its hours, the segments it costs, and a not-before (own-time schedules). */
export interface EstimateRecipient {
  readonly profile: SendTimeProfile;
  readonly segments: number;
  /** Epoch ms: a recipient-time-zone schedule holds it until then. */
  readonly notBefore?: number;
}

export interface EstimateInput {
  /** When sending starts (epoch ms): now, or the proposed send time. */
  readonly start: number;
  readonly recipients: Iterable<EstimateRecipient>;
  /** The sender's messages per second (the number's limit, or the tenant's lower setting). */
  readonly mps: number;
  /** A carrier's daily cap on segments (e.g. T-Mobile's 10DLC cap), counted per UTC day; null when none applies. */
  readonly dailyCapSegments?: number | null;
}

export interface FinishEstimate {
  recipients: number;
  segments: number;
  /** When the first and the last message go out (null: nobody to send to). */
  firstSendAt: string | null;
  lastSendAt: string | null;
  /** Seconds from the start to the last send. */
  durationSeconds: number;
  /** Recipients outside their window at the start, who go when it next opens. */
  outsideWindowAtStart: number;
  /** Recipients who go in a later window than the first one open to them: their window closes before their turn. */
  waitingForNextWindow: number;
  spillsPastWindow: boolean;
  /** Recipients whose segments fall past the carrier's daily cap on the day they go (the carrier refuses them). */
  overDailyCap: number;
}

/** Recipients who share hours and not-before: the estimate moves them as one fluid group. */
interface Group {
  profile: SendTimeProfile;
  notBefore: number;
  count: number;
  segments: number;
  left: number;
  /** The current (or next) open period of the group's window: [opensAt, closesAt). */
  opensAt: number;
  closesAt: number;
  /** How many open periods the group has had so far (the first is 1). */
  period: number;
}

/** The open period at or after `from` for a group's hours, or undefined when none within the search horizon. */
function openPeriod(profile: SendTimeProfile, from: number): { opensAt: number; closesAt: number } | undefined {
  const { clocks, window } = profile;
  const opensAt = nextPermittedInstant(from, clocks, window);
  if (opensAt === undefined) return undefined;
  const judged = clocks.all.every((clock) => isOpenInZone(opensAt, clock, window)) ? clocks.all : [clocks.primary];
  const closesAt = Math.min(...judged.map((clock) => windowClosingInZone(opensAt, clock, window)));
  return { opensAt, closesAt };
}

function groupsOf(input: EstimateInput): Group[] {
  const groups = new Map<string, Group>();
  for (const recipient of input.recipients) {
    const notBefore = Math.max(input.start, recipient.notBefore ?? input.start);
    const key = `${recipient.profile.zones.join('|')}#${recipient.profile.clocks.primary.zone}#${recipient.profile.windowKey}#${notBefore}`;
    const group = groups.get(key);
    if (group) {
      group.count++;
      group.segments += recipient.segments;
      continue;
    }
    const period = openPeriod(recipient.profile, notBefore);
    if (!period) continue;
    const created = { profile: recipient.profile, notBefore, count: 1, segments: recipient.segments, period: 1 };
    groups.set(key, { ...created, left: 0, ...period });
  }
  for (const group of groups.values()) group.left = group.count;
  return [...groups.values()];
}

/**
 * When a blast's first and last messages go out. The send path is modelled as the workers run it: one sender drains
 * every recipient whose window is open at the sender's paced rate (one slot per message, spaced as the rate budget
 * spaces them), in no particular order among them, so each open group drains in proportion to what it has left; a
 * recipient whose window closes before its turn waits for the next opening; one held back at the start goes when its
 * window opens. Between two events (a window opening or closing, everyone open drained) the rate is constant, so the
 * model steps from event to event rather than message by message.
 */
export function estimateFinish(input: EstimateInput): FinishEstimate {
  const groups = groupsOf(input);
  const rate = 1000 / spacingOf(input.mps);
  const recipients = groups.reduce((sum, group) => sum + group.count, 0);
  const segments = groups.reduce((sum, group) => sum + group.segments, 0);
  const outsideWindowAtStart = groups.filter((group) => group.opensAt > input.start).reduce((s, g) => s + g.count, 0);
  const sentPerDay = new Map<number, number>();
  let waitingForNextWindow = 0;
  let first: number | undefined;
  let last: number | undefined;
  let now = input.start;
  for (let step = 0; step < 100_000; step++) {
    const waiting = groups.filter((group) => group.left > 1e-9);
    if (waiting.length === 0) break;
    const open = waiting.filter((group) => group.opensAt <= now && now < group.closesAt);
    if (open.length === 0) {
      now = Math.min(...waiting.map((group) => group.opensAt));
      continue;
    }
    const left = open.reduce((sum, group) => sum + group.left, 0);
    const nextEvent = Math.min(
      ...open.map((group) => group.closesAt),
      ...waiting.filter((group) => group.opensAt > now).map((group) => group.opensAt),
      // The daily cap counts per UTC day: a run across midnight is split there.
      input.dailyCapSegments ? (Math.floor(now / DAY_MS) + 1) * DAY_MS : Number.POSITIVE_INFINITY,
    );
    const drainedAt = now + (left / rate) * 1000;
    const until = Math.min(drainedAt, nextEvent);
    const sent = Math.min(left, ((until - now) / 1000) * rate);
    if (sent > 0) {
      first ??= now;
      last = now + ((Math.ceil(sent - 1e-9) - 1) / rate) * 1000;
      const day = Math.floor(now / DAY_MS);
      for (const group of open) {
        const share = (sent * group.left) / left;
        if (group.period > 1) waitingForNextWindow += share;
        sentPerDay.set(day, (sentPerDay.get(day) ?? 0) + (share * group.segments) / group.count);
        group.left -= share;
      }
    }
    now = until;
    for (const group of open) {
      if (group.left > 1e-9 && group.closesAt <= now) {
        const period = openPeriod(group.profile, group.closesAt);
        if (!period) group.left = 0;
        else Object.assign(group, period, { period: group.period + 1 });
      }
    }
  }
  const overDailyCap = overCap(sentPerDay, segments, recipients, input.dailyCapSegments ?? null);
  const waitingRounded = Math.round(waitingForNextWindow);
  return {
    recipients,
    segments,
    firstSendAt: first === undefined ? null : new Date(first).toISOString(),
    lastSendAt: last === undefined ? null : new Date(Math.max(last, first ?? last)).toISOString(),
    durationSeconds: last === undefined ? 0 : Math.max(0, Math.round((last - input.start) / 1000)),
    outsideWindowAtStart,
    waitingForNextWindow: waitingRounded,
    spillsPastWindow: waitingRounded > 0,
    overDailyCap,
  };
}

/** Recipients (at the audience's average segments each) past the daily cap on the day they go. */
function overCap(perDay: Map<number, number>, segments: number, recipients: number, cap: number | null): number {
  if (cap === null || recipients === 0) return 0;
  const perRecipient = segments / recipients;
  let over = 0;
  for (const sent of perDay.values()) over += Math.max(0, sent - cap) / perRecipient;
  return Math.round(over);
}
