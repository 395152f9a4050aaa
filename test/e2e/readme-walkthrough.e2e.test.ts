import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { settle } from '../../local/clock-travel';
import { startTestStack, type TestStack } from '../support/local-stack';
import {
  type CommandRun,
  extractWalkthrough,
  runWalkthrough,
  type WalkthroughCommand,
} from '../support/readme-walkthrough';

/**
 * The README's "Try the API" walk-through, run as written (by bash, with curl) against a fresh local stack on the
 * suite's controlled clock, with the demo tenant loaded by `npm run demo:load` as the README says, checking each
 * answer, so that the README and the product cannot drift apart. Between commands the stack finishes what the last
 * one started, as it would while a person reads the answer. `TEST_CLOCK_START` moves the hour it runs at.
 */

const ROOT = join(__dirname, '../..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
/** The one line that names the stack's address; the test's stack listens on a port of its own. */
const README_URL = 'URL=http://127.0.0.1:3000';

// biome-ignore lint/suspicious/noExplicitAny: the answers' JSON, read field by field by the checks.
type Json = Record<string, any>;
const json = (run: CommandRun): Json => JSON.parse(run.stdout) as Json;
const statuses = (run: CommandRun) => run.http.map((answer) => answer.status);

/** What each command must answer, keyed by a pattern that matches exactly one command of the walk-through. */
const CHECKS: [RegExp, (run: CommandRun, context: { stack: TestStack }) => void][] = [
  [/^URL=/, () => undefined],
  [/^TOKEN=.*\/local\/token/, (run) => expect(statuses(run)).toEqual([200])],
  [/^AUTH=/, () => undefined],
  [
    /^curl -s \$URL\/v1\/settings -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ businessName: 'Acme Realty', maxSegments: 10, sendWindow: expect.any(Object) });
    },
  ],
  [
    /PATCH \$URL\/v1\/settings/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ businessName: 'Acme Realty', sendWindow: { start: '09:00', end: '17:00' } });
    },
  ],
  [/^ID=\$\(curl -s -X POST \$URL\/v1\/contacts /, (run) => expect(statuses(run)).toEqual([201])],
  [
    /^curl -s "\$URL\/v1\/contacts\/\$ID" -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({
        phone: '+12125550142',
        firstName: 'Ada',
        tags: ['Buyer Lead'],
        timeZone: 'America/New_York',
        smsConsent: { status: 'opted_in' },
      });
    },
  ],
  [
    /PATCH "\$URL\/v1\/contacts\/\$ID" .*customFields/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ firstName: 'Ada', customFields: { appointmentAt: '2026-12-01T15:00:00Z' } });
    },
  ],
  [
    /POST "\$URL\/v1\/contacts\/\$ID\/tags"/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ firstName: 'Ada', tags: ['Buyer Lead', 'VIP'] });
    },
  ],
  [
    /DELETE "\$URL\/v1\/contacts\/\$ID\/tags\/VIP"/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ firstName: 'Ada', tags: ['Buyer Lead'] });
    },
  ],
  [
    /PATCH "\$URL\/v1\/contacts\/\$ID" .*opted_out/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ firstName: 'Ada', smsConsent: { status: 'opted_out', source: 'api' } });
    },
  ],
  [
    /\/consent" -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run).items.map((event: Json) => event.status)).toEqual(['opted_in', 'opted_out']);
    },
  ],
  [
    /contacts\/import/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const result = json(run);
      expect(result.created + result.updated).toBe(1);
      expect(result.rejected).toEqual([expect.objectContaining({ index: 1 })]);
      expect(result.rejected[0].error.details[0].path).toBe('phone');
    },
  ],
  [
    /\/v1\/tags"/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const vip = json(run).items.find((tag: Json) => tag.tag === 'VIP');
      expect(vip?.contacts).toBeGreaterThan(0);
    },
  ],
  [
    /audiences\/preview/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const preview = json(run);
      expect(preview.matched).toBeGreaterThan(0);
      expect(preview.eligible).toBeGreaterThan(0);
      expect(preview.eligible).toBeLessThanOrEqual(preview.matched);
      expect(preview.sample.length).toBeGreaterThan(0);
    },
  ],
  [
    /smart-lists/,
    (run) => {
      expect(statuses(run)).toEqual([201]);
      expect(json(run)).toMatchObject({ id: expect.any(String), name: 'Hot leads' });
    },
  ],
  [
    /sms\/preview/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const preview = json(run);
      expect(preview).toMatchObject({ encoding: 'GSM-7', segments: 1, warnings: expect.any(Array) });
      expect(preview.finalBody).toMatch(/\nReply STOP to unsubscribe$/);
      expect(preview.worstCase.contacts).toBeGreaterThan(0);
      expect(preview.estimatedSegments).toBeGreaterThan(0);
    },
  ],
  [/^CAMPAIGN=/, (run) => expect(statuses(run)).toEqual([201])],
  [
    /\/estimate -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const estimate = json(run);
      expect(estimate.recipients).toBeGreaterThan(0);
      expect(estimate).toMatchObject({
        basis: 'audience',
        firstSendAt: expect.any(String),
        lastSendAt: expect.any(String),
        waitingForNextWindow: expect.any(Number),
        spillsPastWindow: expect.any(Boolean),
      });
    },
  ],
  [
    /\$CAMPAIGN\/send -H/,
    (run) => {
      expect(statuses(run)).toEqual([202]);
      expect(json(run)).toMatchObject({ name: 'Open house', status: 'sending', warnings: expect.any(Array) });
    },
  ],
  [/^until curl -s \$URL\/v1\/campaigns\/\$CAMPAIGN\//, (run) => expect(run.http.length).toBeGreaterThan(0)],
  [
    /^curl -s \$URL\/v1\/campaigns\/\$CAMPAIGN\/results -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const results = json(run);
      expect(results).toMatchObject({ status: 'sent', pending: 0, nextSendAt: null });
      expect(results.sent).toBeGreaterThan(0);
      expect(results.delivered).toBeGreaterThan(0);
      // AWS's simulator number that fails is a VIP of the demo tenant.
      expect(results.failed).toBeGreaterThan(0);
    },
  ],
  [
    /messages\?limit=5/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const items: Json[] = json(run).items;
      expect(items).toHaveLength(5);
      for (const item of items) expect(['delivered', 'failed', 'skipped']).toContain(item.status);
    },
  ],
  [
    /local\/outbox\?limit=5/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const items: Json[] = json(run).items;
      expect(items).toHaveLength(5);
      for (const item of items) expect(item.context.tenantId).toBe('demo');
    },
  ],
  [
    /local\/inbound .*Yes, Saturday works/,
    (run) => {
      expect(statuses(run)).toEqual([202]);
      expect(json(run)).toMatchObject({ accepted: 1 });
    },
  ],
  [
    /local\/inbound .*STOP/,
    (run) => {
      expect(statuses(run)).toEqual([202]);
      expect(json(run)).toMatchObject({ accepted: 1 });
    },
  ],
  [
    /responders-list/,
    (run) => {
      expect(statuses(run)).toEqual([201]);
      expect(json(run)).toMatchObject({ responders: 1, created: true });
    },
  ],
  [
    /failed-list/,
    (run) => {
      expect(statuses(run)).toEqual([201]);
      const saved = json(run);
      // AWS's simulator number that fails is a VIP of the demo tenant.
      expect(saved).toMatchObject({ created: true, advice: expect.stringContaining('outdated phone numbers') });
      expect(saved.failed).toBeGreaterThan(0);
      const categories = Object.values(saved.byCategory) as Json[];
      expect(categories.reduce((sum, c) => sum + c.recipients, 0)).toBe(saved.failed);
      for (const category of categories) expect(category.tag).toMatch(/^failed:[^:]+:[A-Za-z]+$/);
    },
  ],
  [
    /^curl -s "\$URL\/v1\/conversations\?limit=1"/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      // The reply and the STOP, neither read yet.
      expect(json(run).items).toEqual([
        expect.objectContaining({ phone: '+14254147755', unread: 2, lastReadAt: null }),
      ]);
    },
  ],
  [/^WHO=/, (run) => expect(statuses(run)).toEqual([200])],
  [
    /\/v1\/contacts\/\$WHO\/messages/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const kinds = (json(run).items as Json[]).map((m) => `${m.direction}:${m.kind}`);
      expect(kinds).toEqual(
        expect.arrayContaining(['outbound:campaign', 'inbound:reply', 'inbound:optOut', 'outbound:optOutConfirmation']),
      );
      expect(kinds.indexOf('outbound:campaign')).toBeLessThan(kinds.indexOf('inbound:reply'));
      expect(kinds.indexOf('inbound:reply')).toBeLessThan(kinds.indexOf('inbound:optOut'));
    },
  ],
  [
    /conversations\/\$WHO\/read/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ unread: 0, lastReadAt: expect.any(String) });
    },
  ],
  [
    /estimate\?sendAt=/,
    (run) => {
      expect(statuses(run)).toEqual([409]);
      expect(json(run).error).toMatchObject({ code: 'CAMPAIGN.INVALID_STATE', status: 'sent' });
    },
  ],
  [
    /insights\/send-times/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ enoughData: false, needed: 300 });
    },
  ],
  [
    /reconcile/,
    (run) => {
      expect(statuses(run)).toEqual([202]);
      expect(json(run)).toMatchObject({ status: 'recounting' });
    },
  ],
  [/^CAPPED=/, (run) => expect(statuses(run)).toEqual([201])],
  [
    /\$CAPPED\/send -H/,
    (run) => {
      expect(statuses(run)).toEqual([422]);
      expect(json(run).error).toMatchObject({ code: 'CAMPAIGN.OVER_BUDGET', details: [{ path: 'maxSpend' }] });
    },
  ],
  [
    /local\/carrier/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toEqual({ blockRate: 0, blockReason: 'SPAM' });
    },
  ],
  [
    /\$CAPPED\/pause -H/,
    (run) => {
      expect(statuses(run)).toEqual([409]);
      expect(json(run).error).toMatchObject({
        code: 'CAMPAIGN.INVALID_STATE',
        message: expect.stringContaining('draft'),
      });
    },
  ],
  [/^curl -s -X POST \$URL\/local\/clock -d '\{"advance":"P1D"/, (run) => expect(statuses(run)).toEqual([200])],
  [/^LINKS=/, (run) => expect(statuses(run)).toEqual([201])],
  [/\$LINKS\/send -H/, (run) => expect(statuses(run)).toEqual([202])],
  [/^until curl -s \$URL\/v1\/campaigns\/\$LINKS\//, (run) => expect(run.http.length).toBeGreaterThan(0)],
  [/^SHORT=/, (run) => expect(statuses(run)).toEqual([200])],
  [/^curl -s -X POST \$URL\/local\/clock -d '\{"advance":"PT1M"/, (run) => expect(statuses(run)).toEqual([200])],
  [
    /"\$SHORT"/,
    (run) => {
      expect(statuses(run)).toEqual([302]);
      expect(run.stdout).toMatch(/^location: https:\/\/acme\.example\.com\/listings\/42\r?$/im);
    },
  ],
  [
    /^curl -s \$URL\/v1\/campaigns\/\$LINKS\/results -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const results = json(run);
      expect(results).toMatchObject({ status: 'sent', clicks: 1, uniqueClickers: 1 });
      expect(results.clickThroughRate).toBeGreaterThan(0);
      expect(results.links).toEqual([
        expect.objectContaining({
          index: 0,
          url: 'https://acme.example.com/listings/42',
          clicks: 1,
          uniqueClickers: 1,
        }),
      ]);
      // Every recipient in exactly one variant; the click in one of them; too few texts to call a winner.
      expect(results.variants).toHaveLength(2);
      const variants = results.variants as Json[];
      expect(variants.reduce((sum, v) => sum + v.recipients, 0)).toBe(results.audience);
      expect(variants.reduce((sum, v) => sum + v.uniqueClickers, 0)).toBe(1);
      expect(results.variantSignificance.responseRate.note).toMatch(/^not enough data/);
    },
  ],
  [
    /clickers-list/,
    (run) => {
      expect(statuses(run)).toEqual([201]);
      expect(json(run)).toMatchObject({ clickers: 1, created: true });
    },
  ],
  [/^WINNER=/, (run) => expect(statuses(run)).toEqual([201])],
  [/^curl -s -X POST \$URL\/local\/clock -d '\{"advance":"PT24H"/, (run) => expect(statuses(run)).toEqual([200])],
  [/\$WINNER\/send -H/, (run) => expect(statuses(run)).toEqual([202])],
  [/^curl -s -X POST \$URL\/local\/clock -d '\{"advance":"PT61M"/, (run) => expect(statuses(run)).toEqual([200])],
  [
    /^curl -s \$URL\/v1\/campaigns\/\$WINNER\/results -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const { abTest, variants, audience } = json(run);
      // The wait is over: a winner, picked by the documented rule, and everyone in one variant.
      expect(['sendingWinner', 'done']).toContain(abTest.phase);
      expect(abTest.winner).toMatchObject({ metric: 'responseRate', basis: expect.any(String) });
      expect(abTest.winner.reason).toEqual(expect.any(String));
      expect((variants as Json[]).reduce((sum, v) => sum + v.recipients, 0)).toBeLessThanOrEqual(audience);
    },
  ],
  [/^LATER=/, (run) => expect(statuses(run)).toEqual([201])],
  [/^NEXT_WEEK=/, (run) => expect(statuses(run)).toEqual([200])],
  [
    /\/schedule -H/,
    (run, { stack }) => {
      expect(statuses(run)).toEqual([200]);
      const campaign = json(run);
      expect(campaign).toMatchObject({ name: 'Next week', status: 'scheduled', warnings: expect.any(Array) });
      const ahead = Date.parse(campaign.scheduledAt) - stack.now().getTime();
      expect(ahead).toBeGreaterThan(6 * 86_400_000);
      expect(ahead).toBeLessThan(8 * 86_400_000);
    },
  ],
  [/^WF=/, (run) => expect(statuses(run)).toEqual([201])],
  [
    /\/activate -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run)).toMatchObject({ name: 'New lead', status: 'active' });
    },
  ],
  [
    /forms\/open-house\/submissions/,
    (run) => {
      expect(statuses(run)).toEqual([202]);
      expect(json(run)).toMatchObject({ created: true });
    },
  ],
  [
    /\/enrollments" -H/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      const [enrollment, ...others] = json(run).items as Json[];
      expect(others).toEqual([]);
      // Texted at once and waiting for a reply, or held for quiet hours: either way it says when it moves next.
      expect(['waiting', 'active']).toContain(enrollment?.status);
      expect(enrollment?.nextWakeAt).toEqual(expect.any(String));
      if (enrollment?.status === 'waiting') {
        expect(enrollment.currentStepId).toBe('wait');
        expect(enrollment.history.map((entry: Json) => entry.outcome)).toContain('sent');
      } else {
        expect(enrollment?.heldUntil).toBe(enrollment?.nextWakeAt);
        expect(enrollment?.history).toEqual([expect.objectContaining({ outcome: 'held', stepId: 'hello' })]);
      }
    },
  ],
  [
    /contacts\?limit=2/,
    (run) => {
      expect(statuses(run)).toEqual([200]);
      expect(json(run).items).toHaveLength(2);
      expect(json(run).nextCursor).toEqual(expect.any(String));
    },
  ],
  [/DELETE "\$URL\/v1\/contacts\/\$ID" -H/, (run) => expect(statuses(run)).toEqual([204])],
];

/** Commands that show a guard refusing (issue 16): their checks assert the 4xx they must answer. */
const SHOWS_A_REFUSAL: RegExp[] = [/\$CAPPED\/send -H/, /\$CAPPED\/pause -H/, /estimate\?sendAt=/];

function checkFor(command: WalkthroughCommand) {
  const matching = CHECKS.filter(([pattern]) => pattern.test(command.source));
  if (matching.length !== 1) {
    throw new Error(
      `README line ${command.line}: ${matching.length} checks match this command (one is needed):\n${command.source}`,
    );
  }
  return matching[0]![1];
}

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 30_000);

afterAll(async () => stack?.stop());

describe('the README walk-through', () => {
  it('is a list of commands, each with its check', () => {
    // Act
    const commands = extractWalkthrough(README);

    // Assert: every check is used once, every command has one
    expect(commands.filter((command) => command.source === README_URL)).toHaveLength(1);
    for (const command of commands) checkFor(command);
    for (const [pattern] of CHECKS) {
      expect([pattern, commands.filter((command) => pattern.test(command.source)).length]).toEqual([pattern, 1]);
    }
  });

  it('works as written, in order, against a fresh stack with the demo tenant', async () => {
    // Arrange: "In a second terminal, npm run demo:load" (with the stack's PORT, as the README says); run
    // asynchronously, since the stack answers from this very process
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: new URL(stack.url).port };
    delete env.API_URL;
    await promisify(execFile)('npm', ['run', 'demo:load'], { cwd: ROOT, env, timeout: 60_000 });
    const commands = extractWalkthrough(README).map((command) =>
      command.source === README_URL ? { ...command, source: `URL=${stack.url}` } : command,
    );
    expect(commands.length).toBeGreaterThanOrEqual(CHECKS.length);

    // Act / Assert: each command as it runs
    const runs = await runWalkthrough(commands, {
      cwd: ROOT,
      commandTimeoutMs: 240_000,
      after: async (run) => {
        const where = `README line ${run.line}: ${run.source}\nanswered ${JSON.stringify(run.http)}\n${run.stdout}`;
        try {
          expect(run.exitCode).toBe(0);
          // Only the guards the README shows refusing (their checks assert the exact status and code) answer 4xx.
          if (!SHOWS_A_REFUSAL.some((pattern) => pattern.test(run.source))) {
            expect(run.http.filter((answer) => answer.status >= 400)).toEqual([]);
          }
          if (/\bcurl\b/.test(run.source)) expect(run.http.length).toBeGreaterThan(0);
          checkFor(run)(run, { stack });
        } catch (error) {
          throw new Error(`${where}\n${(error as Error).message}`);
        }
        await settle(stack.stack.messaging);
      },
    });
    expect(runs).toHaveLength(commands.length);
    // A start on a weekend night defers the blast to Monday: the clock then walks two days of timers (minutes).
  }, 480_000);
});
