/**
 * The web console in a real Chromium (Debian's, driven by playwright-core) against the local stack started in this
 * process on a controlled clock (test/support/local-stack.ts), the way a marketer uses it: a campaign from scratch to
 * its results with a STOP arriving as an opt-out; a schedule then a cancel; a workflow from a template, activated and
 * entered through its form; an API validation error shown at its field; a contact added, its tag then offered in the
 * audience step; a campaign scheduled for tomorrow sent by moving the local clock from its page. Every page is screenshotted (laptop and phone widths, into web/test-output/screenshots) and checked
 * with axe-core: no serious or critical violation.
 *
 * Why jest rather than Playwright's runner: the stack, its clock and the tenant's data come from the same helpers as
 * every other end-to-end suite, in-process, with no second server to start and stop; jest already runs in `npm test`.
 */
import { DateTime } from 'luxon';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { buildConsoleIfStale } from '../../local/web-console';
import type { HttpClient } from '../support/http-client';
import { startTestStack, type TestStack } from '../support/local-stack';
import { launchChromium, screenshot, seriousAxeViolations, type TestBrowser } from './support/browser';

jest.setTimeout(180_000);

const TENANT = 'browser-acme';
/** Every contact lives on the Pacific coast, where the test moves the stack's clock to an afternoon. */
const ZONE = 'America/Los_Angeles';
const DELIVERS = '+14254147755';
const FAILS = '+14254147167';
const CONTACTS = [
  { phone: DELIVERS, firstName: 'Ana', tags: ['VIP'], smsConsent: 'opted_in', timeZone: ZONE },
  { phone: FAILS, firstName: 'Ben', tags: ['VIP'], smsConsent: 'opted_in', timeZone: ZONE },
  { phone: '+12062000001', firstName: 'Cleo', tags: ['VIP', 'Newsletter'], smsConsent: 'opted_in', timeZone: ZONE },
  { phone: '+12062000002', firstName: 'Dev', tags: ['VIP'], smsConsent: 'unknown', timeZone: ZONE },
  { phone: '+12062000003', tags: ['Newsletter'], smsConsent: 'opted_in', timeZone: ZONE },
];

let test: TestStack;
let api: HttpClient;
let chromium: TestBrowser;
let context: BrowserContext;
let page: Page;
const visited = new Set<string>();

/** Polls `read` (every 250 ms, at most `attempts` times) until it gives a value. */
async function waitForValue<T>(read: () => Promise<T | undefined>, attempts = 80): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const value = await read();
    if (value !== undefined) return value;
    await page.waitForTimeout(250);
  }
  throw new Error(`no value after ${attempts} reads`);
}

/** Waits until `locator` shows text matching `pattern` (the page updates itself, or `refresh` reloads it). */
async function waitForText(locator: Locator, pattern: RegExp, refresh?: () => Promise<unknown>, attempts = 80) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    const text =
      (await locator
        .first()
        .textContent({ timeout: 2_000 })
        .catch(() => '')) ?? '';
    if (pattern.test(text)) return text;
    if (refresh) await refresh();
    await page.waitForTimeout(250);
  }
  throw new Error(
    `${locator} never showed ${pattern}; last: ${await locator
      .first()
      .textContent()
      .catch(() => '')}`,
  );
}

/** Screenshot and axe-core check of the page as it is now. */
async function checkPage(name: string) {
  visited.add(new URL(page.url()).pathname);
  await screenshot(page, `${name}-laptop`);
  const violations = await seriousAxeViolations(page);
  expect({ page: name, violations }).toEqual({ page: name, violations: [] });
}

beforeAll(async () => {
  await buildConsoleIfStale();
  test = await startTestStack();
  api = await test.clientFor(TENANT);
  // A send window open every day, and the clock moved to an afternoon on the Pacific coast: the suite gives the same
  // answer whatever instant the stack's clock starts at.
  await api.patch('/v1/settings', {
    businessName: 'Acme Realty',
    sendWindow: { start: '09:00', end: '20:00', days: ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] },
  });
  const local = DateTime.fromJSDate(test.now(), { zone: ZONE });
  if (local.hour < 12 || local.hour >= 16) {
    let target = local.set({ hour: 14, minute: 0, second: 0, millisecond: 0 });
    if (target <= local) target = target.plus({ days: 1 });
    await test.advance({ to: target.toUTC().toISO() as string });
  }
  const imported = await api.post<{ created: number }>('/v1/contacts/import', { contacts: CONTACTS });
  expect(imported.body.created).toBe(CONTACTS.length);
  const list = await api.post('/v1/smart-lists', {
    name: 'Newsletter readers',
    filter: { all: [{ field: 'tags', op: 'contains', value: 'Newsletter' }] },
  });
  expect(list.status).toBe(201);
  chromium = await launchChromium();
  context = await chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => console.error('page error:', error.message));
});

afterAll(async () => {
  await context?.close();
  await chromium?.close();
  await test?.stop();
});

describe('the web console', () => {
  it('signs in from ?tenant= and lists campaigns', async () => {
    await page.goto(`${test.url}/`);
    await page.getByLabel('Tenant').waitFor();
    await checkPage('sign-in');
    await page.goto(`${test.url}/?tenant=${TENANT}`);
    await page.waitForURL('**/campaigns');
    await page.getByRole('heading', { name: 'No campaigns yet' }).waitFor();
    await checkPage('campaigns-empty');
  });

  it('creates a campaign from scratch, sends it and shows its results, a STOP counted as an opt-out', async () => {
    await page.getByRole('link', { name: '+ New Campaign' }).first().click();
    await page.getByLabel('Campaign name').fill('Spring open house');
    await checkPage('campaign-step-name');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByLabel('Any of these tags', { exact: true }).fill('VIP');
    await page.getByLabel('Any of these tags', { exact: true }).press('Enter');
    // VIP: Ana, Ben, Cleo and Dev; Dev has no consent for marketing.
    await waitForText(page.getByTestId('audience-eligible'), /^3$/);
    await waitForText(page.locator('.audience-count'), /No consent: 1/);
    await checkPage('campaign-step-audience');

    await page.getByRole('button', { name: 'Next: Message' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Acme Realty: open house Saturday 10-2, see you there!');
    await waitForText(page.getByTestId('count-segments'), /^1$/);
    await waitForText(page.getByTestId('count-encoding'), /GSM-7/);
    await page.getByRole('button', { name: '+ First name' }).click();
    await waitForText(page.getByTestId('count-worst'), /1 segment/);
    await page.getByLabel('Preview for').selectOption({ label: 'Ana' });
    await waitForText(page.locator('.bubble'), /Ana/);
    await checkPage('campaign-step-message');

    await page.getByRole('button', { name: 'Next: Send' }).click();
    await page.getByRole('button', { name: 'Review and send' }).click();
    await waitForText(page.locator('.confirm'), /3 recipients/);
    await checkPage('campaign-step-send');
    await page.getByRole('button', { name: 'Confirm and send' }).click();
    await page.waitForURL(/\/campaigns\/[^/]+$/);
    const campaignId = page.url().split('/').at(-1) as string;

    // The page polls while sending; the simulator delivers one and fails the other at once.
    await waitForText(page.locator('.page-header .badge'), /Sent/);
    const reload = () => page.reload();
    await waitForText(page.locator('.stat', { hasText: 'Delivered' }).locator('.stat-value'), /^2$/, reload);
    await waitForText(page.locator('.stat', { hasText: 'Failed' }).locator('.stat-value'), /^1$/, reload);

    const stop = await test.anonymous.post('/local/inbound', { from: DELIVERS, body: 'STOP' });
    expect(stop.status).toBeLessThan(300);
    await waitForText(page.locator('.stat', { hasText: 'Opt-outs' }).locator('.stat-value'), /^1$/, () =>
      page.reload(),
    );
    // A reply counts as a response; the responders become a Smart List.
    expect(
      (await test.anonymous.post('/local/inbound', { from: '+12062000001', body: 'Yes, Saturday works' })).status,
    ).toBeLessThan(300);
    await waitForText(page.locator('.stat', { hasText: 'Replies' }).locator('.stat-value'), /^1$/, () => page.reload());
    await page.getByLabel('Smart List name').fill('Open house responders');
    await page.getByRole('button', { name: 'Save responders as a Smart List' }).click();
    await waitForText(page.locator('[role="status"]', { hasText: 'Smart List' }), /Open house responders.*1 responder/);
    await page.getByRole('heading', { name: 'Failures by category' }).waitFor();
    await page.getByRole('region', { name: 'Messages to recipients' }).waitFor();
    await checkPage('campaign-results');

    await page.getByLabel('Show').selectOption('failed');
    await waitForText(
      page.getByRole('region', { name: 'Messages to recipients' }),
      new RegExp(`^(?!.*${DELIVERS.slice(2)}).*${FAILS.slice(2)}`),
    );

    // The contact who texted STOP: opted out, by their keyword, in the consent history.
    const contacts = await api.get<{ items: { id: string; phone: string }[] }>('/v1/contacts', {
      query: { tag: 'VIP' },
    });
    const ana = contacts.body.items.find((contact) => contact.phone === DELIVERS);
    await page.goto(`${test.url}/contacts/${ana?.id}`);
    await waitForText(page.locator('section', { hasText: 'Consent' }).first(), /Opted out/);
    await waitForText(page.locator('.timeline'), /Inbound keyword/);
    await waitForText(page.locator('section', { hasText: 'Messages' }).last(), /Spring open house/);
    await checkPage('contact');

    await page.goto(`${test.url}/campaigns`);
    await waitForText(page.locator('tbody tr', { hasText: 'Spring open house' }), /Sent/);
    expect(campaignId).toBeTruthy();
  });

  it('shows an API validation error at the field it names', async () => {
    await page.goto(`${test.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Too late');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByLabel('Any of these tags', { exact: true }).fill('Newsletter');
    await page.getByLabel('Any of these tags', { exact: true }).press('Enter');
    await page.getByRole('button', { name: 'Next: Message' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Acme Realty: last call for the open house!');
    await page.getByRole('button', { name: 'Next: Send' }).click();
    await page.getByLabel('Schedule').check();
    // Yesterday by the stack's clock: the API answers 422 naming sendAt.
    const yesterday = DateTime.fromJSDate(test.now(), { zone: ZONE }).minus({ days: 1 }).toISODate() as string;
    await page.getByLabel('Send date').fill(yesterday);
    await page.getByLabel('Time zone', { exact: true }).selectOption(ZONE);
    await page.getByRole('button', { name: 'Review schedule' }).click();
    await page.getByRole('button', { name: 'Confirm schedule' }).click();
    const field = page.locator('.field', { has: page.getByLabel('Send date') });
    await waitForText(field.locator('.field-error'), /in the past/);
    expect(await page.getByLabel('Send date').getAttribute('aria-invalid')).toBe('true');
    await checkPage('campaign-validation-error');
  });

  it('schedules a campaign, then cancels it', async () => {
    await page.goto(`${test.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Next week promo');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByLabel('A Smart List').check();
    await page.getByLabel('Smart List', { exact: true }).selectOption({ label: 'Newsletter readers' });
    await waitForText(page.getByTestId('audience-eligible'), /^2$/);
    await page.getByRole('button', { name: 'Next: Message' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Acme Realty: new listings next week!');
    await page.getByRole('button', { name: 'Next: Send' }).click();
    await page.getByLabel('Schedule').check();
    const nextWeek = DateTime.fromJSDate(test.now(), { zone: ZONE }).plus({ days: 7 }).toISODate() as string;
    await page.getByLabel('Send date').fill(nextWeek);
    await page.getByLabel('Send time').fill('10:30');
    await page.getByLabel("At this time in each recipient's own time zone").check();
    await page.getByRole('button', { name: 'Review schedule' }).click();
    await waitForText(page.locator('.confirm'), /each recipient's time zone/);
    await page.getByRole('button', { name: 'Confirm schedule' }).click();
    await page.waitForURL(/\/campaigns\/[^/]+$/);
    await waitForText(page.locator('.page-header .badge'), /Scheduled/);
    await checkPage('campaign-scheduled');

    await page.getByRole('button', { name: 'Cancel campaign' }).click();
    await page.getByRole('button', { name: 'Yes, cancel campaign' }).click();
    await waitForText(page.locator('.page-header .badge'), /Cancelled/);
    await page.goto(`${test.url}/campaigns`);
    await waitForText(page.locator('tbody tr', { hasText: 'Next week promo' }), /Cancelled/);
    // Drafts first: the one whose schedule failed above is still a draft.
    await waitForText(page.locator('tbody tr').first(), /Too late.*Draft/);
    await checkPage('campaigns');
  });

  it('composes an A/B test with a test share and a winner: the draft the API keeps has both versions and the test', async () => {
    await page.goto(`${test.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Which open house text');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByLabel('Any of these tags', { exact: true }).fill('VIP');
    await page.getByLabel('Any of these tags', { exact: true }).press('Enter');
    await waitForText(page.getByTestId('audience-eligible'), /^[1-9]\d*$/);
    await page.getByRole('button', { name: 'Next: Message' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Acme Realty: open house Saturday 10-2!');
    await page.getByRole('button', { name: 'Test versions of this message (A/B)' }).click();
    await page.getByLabel('Version B message').fill('Acme Realty: want a private tour Saturday? Reply YES');
    await page.getByLabel('Version A share (%)').fill('60');
    await waitForText(page.locator('.variants [role="alert"]'), /add up to 110%/);
    await page.getByLabel('Version B share (%)').fill('40');
    await waitForText(page.locator('.variants'), /The shares add up to 100%/);
    await page.getByLabel(/Send the versions to a test share first/).check();
    await page.getByLabel('Test share (% of the audience)').fill('30');
    await checkPage('campaign-step-message-ab');

    // Saved as a draft as it is typed: the API has both versions, the split and the test.
    const campaignId = await waitForValue(async () => /\/campaigns\/([^/]+)\/edit$/.exec(page.url())?.[1]);
    const saved = await waitForValue(async () => {
      const campaign = (
        await api.get<{ variants: unknown; abTest: { testPercent: number } | null }>(`/v1/campaigns/${campaignId}`)
      ).body;
      return campaign.abTest?.testPercent === 30 ? campaign : undefined;
    });
    expect(saved).toMatchObject({
      variants: [
        { body: 'Acme Realty: open house Saturday 10-2!', percent: 60 },
        { body: 'Acme Realty: want a private tour Saturday? Reply YES', percent: 40 },
      ],
      abTest: { mode: 'testThenWinner', testPercent: 30, waitMinutes: 240, winnerMetric: 'responseRate' },
    });
  });

  it('creates a workflow from a template, activates it, and a form submission enrolls a contact', async () => {
    await page.goto(`${test.url}/workflows`);
    await page.getByRole('link', { name: '+ New Workflow' }).first().click();
    await checkPage('workflow-templates');
    await page.getByRole('button', { name: 'Use this template: New lead follow-up' }).click();
    await page.getByLabel('Form id').fill('open-house');
    await page
      .getByLabel('Text (step 1)')
      .fill('Hi {{contact.first_name | default: "there"}}, thanks from Acme Realty!');
    await checkPage('workflow-new');
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.waitForURL(/\/workflows\/[^/]+$/);
    await waitForText(page.locator('.page-header .badge'), /Draft/);
    await page.getByRole('button', { name: 'Activate' }).click();
    await waitForText(page.locator('.page-header .badge'), /Active/);

    await page.getByLabel('Phone').fill('+12062000042');
    await page.getByLabel('First name').fill('Lia');
    await page.getByRole('button', { name: 'Submit the form' }).click();
    await waitForText(page.locator('[role="status"]', { hasText: 'Submitted' }), /new contact/);
    await waitForText(page.locator('section', { hasText: 'Enrollments' }).last(), /Contact .*(Active|Waiting)/, () =>
      page.reload(),
    );
    await checkPage('workflow');

    await page.goto(`${test.url}/workflows`);
    await waitForText(page.locator('tbody tr', { hasText: 'New lead follow-up' }), /Active.*Form “open-house”.*1/);
    await checkPage('workflows');
  });

  it('keeps the settings page usable, a bad send window refused at its field', async () => {
    await page.goto(`${test.url}/settings`);
    await page.getByLabel('Business name').waitFor();
    await page.getByLabel('From').fill('06:00');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await waitForText(page.locator('.field', { has: page.getByLabel('From') }).locator('.field-error'), /.+/);
    await checkPage('settings');
    await page.goto(`${test.url}/contacts`);
    await page.getByRole('region', { name: 'Contacts' }).waitFor();
    await checkPage('contacts');
  });

  it('adds a contact from the Contacts page, a bad phone refused at its field, then offers its tag to choose', async () => {
    await page.goto(`${test.url}/contacts`);
    await page.getByRole('button', { name: '+ Add contact' }).click();
    await page.getByLabel('Phone', { exact: true }).fill('555');
    await page.getByRole('button', { name: 'Add contact', exact: true }).click();
    await waitForText(
      page.locator('.field', { has: page.getByLabel('Phone', { exact: true }) }).locator('.field-error'),
      /.+/,
    );
    expect(await page.getByLabel('Phone', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await checkPage('contact-add-error');

    await page.getByLabel('Phone', { exact: true }).fill('+12062000077');
    await page.getByLabel('First name', { exact: true }).fill('Noor');
    await page.getByLabel('Tags', { exact: true }).fill('Spring Fair, VIP');
    await page.getByLabel('They agreed to receive marketing texts').check();
    await page.getByRole('button', { name: 'Add contact', exact: true }).click();
    await page.getByRole('heading', { name: 'Noor', level: 1 }).waitFor();
    await waitForText(page.locator('.card', { hasText: 'Consent' }), /Opted in/);

    // The audience step offers the contacts' tags: no tag name has to be guessed.
    await page.goto(`${test.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Spring fair');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByRole('button', { name: '+ Spring Fair' }).click();
    await waitForText(page.getByTestId('audience-eligible'), /^1$/);
    await page.getByRole('button', { name: 'Remove Spring Fair from any of these tags' }).waitFor();
  });

  it('sends a campaign scheduled for tomorrow at once when the local clock is moved there from its page', async () => {
    await page.goto(`${test.url}/campaigns/new`);
    await page.getByLabel('Campaign name').fill('Fair tomorrow');
    await page.getByRole('button', { name: 'Next: Audience' }).click();
    await page.getByRole('button', { name: '+ Spring Fair' }).click();
    await waitForText(page.getByTestId('audience-eligible'), /^1$/);
    await page.getByRole('button', { name: 'Next: Message' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Acme Realty: the spring fair is tomorrow!');
    await page.getByRole('button', { name: 'Next: Send' }).click();
    await page.getByLabel('Schedule').check();
    const tomorrow = DateTime.fromJSDate(test.now(), { zone: ZONE }).plus({ days: 1 }).toISODate() as string;
    await page.getByLabel('Send date').fill(tomorrow);
    await page.getByLabel('Send time').fill('11:00');
    await page.getByLabel('Time zone', { exact: true }).selectOption(ZONE);
    await page.getByRole('button', { name: 'Review schedule' }).click();
    await page.getByRole('button', { name: 'Confirm schedule' }).click();
    await page.waitForURL(/\/campaigns\/[^/]+$/);
    await waitForText(page.locator('.page-header .badge'), /Scheduled/);

    await page.getByRole('button', { name: /^Local stack: move its clock to/ }).click();
    await waitForText(page.locator('.page-header .badge'), /Sent/);
    await waitForText(page.locator('.stat', { hasText: 'Delivered' }), /Delivered\s*1/);
    expect(DateTime.fromJSDate(test.now(), { zone: ZONE }).toISODate()).toBe(tomorrow);
  });

  it('reads on a phone: every page visited, at 390 px wide', async () => {
    const phone = await chromium.browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
    const small = await phone.newPage();
    await small.goto(`${test.url}/?tenant=${TENANT}`);
    await small.waitForURL('**/campaigns');
    for (const path of visited) {
      await small.goto(`${test.url}${path}`);
      await small.locator('h1').first().waitFor();
      await small.waitForLoadState('networkidle');
      const name =
        path === '/'
          ? 'home'
          : path
              .replace(/\/[0-9A-Z]{20,}/g, '/id')
              .replace(/\W+/g, '-')
              .slice(1);
      await screenshot(small, `${name}-phone`);
      // Nothing wider than the screen but the tables, which scroll in their own focusable region.
      const overflow = await small.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement
            .scrollWidth,
      );
      expect({ path, overflow: overflow > 392 }).toEqual({ path, overflow: false });
    }
    await phone.close();
  });
});
