import { countLinkClick } from '../../../shared/app/links/count-link-click.use-case';
import { followLink } from '../../../shared/app/links/follow-link.use-case';
import type { LinkDeps } from '../../../shared/app/links/link-deps';
import { trackMessageLinks } from '../../../shared/app/links/track-message-links';
import type { LinkClickedEvent } from '../../../shared/domain/links/link-clicked-event';
import { defaultSettings } from '../../../shared/domain/settings/settings.schema';
import { type CampaignHarness, startCampaignHarness } from '../campaigns/campaign-harness';

const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Safari/604.1';
const START = '2026-11-26T17:00:00.000Z';

let h: CampaignHarness;
let deps: LinkDeps & { queue: CampaignHarness['queue'] };

beforeAll(async () => {
  h = await startCampaignHarness(START);
  deps = { links: h.deps.links, clock: h.clock, queue: h.queue, shortLinkBaseUrl: () => 'http://127.0.0.1:3000/l/' };
});
afterAll(async () => h.stop());

/** A recipient of campaign `c` with a text carrying two tracked links, sent now; returns the two codes. */
async function sentWithLinks(tenantId: string, contactId: string): Promise<string[]> {
  await h.campaigns.putLedgerEntries(tenantId, [
    { campaignId: 'c', contactId, phone: '+18552000001', status: 'sent', queuedAt: START, tags: ['vip'] },
  ]);
  const text = await trackMessageLinks(
    'A https://a.example.com/x and b.example.org',
    { tenantId, contactId, source: { kind: 'campaign', campaignId: 'c' } },
    defaultSettings,
    deps,
  );
  return [...text.matchAll(/\/l\/([A-Za-z0-9_-]{12})/g)].map((m) => m[1] as string);
}

/** Follows a link as a phone does, then counts what went on the events queue, as the events consumer does. */
async function clickAndCount(code: string, userAgent = BROWSER) {
  const followed = await followLink({ code, userAgent }, deps);
  const events = h.queue.takeVisible('events') as LinkClickedEvent[];
  const counted = [];
  for (const event of events) counted.push(await countLinkClick(event, deps));
  return { followed, events, counted };
}

/** The recipient's ledger entry with its counted clicks, as results read it (clicks are items of their own). */
const ledgerEntry = async (tenantId: string, contactId: string) =>
  (await h.campaigns.listLedger(tenantId, 'c', { limit: 100, clicks: true })).items.find(
    (entry) => entry.contactId === contactId,
  );

describe('clicks on campaign links (DynamoDB)', () => {
  it('ignores clicks within 2 s of the send, counts the rest per link, first click kept', async () => {
    // Arrange
    const tenantId = h.newTenant('clicks');
    const [first, second] = (await sentWithLinks(tenantId, 'p1')) as [string, string];

    // Act
    const scanner = await clickAndCount(first);
    h.clock.advance(2_000);
    const previewer = await clickAndCount(first, 'WhatsApp/2.23.20');
    const person = await clickAndCount(first);
    const firstAt = h.clock.now().toISOString();
    h.clock.advance(5_000);
    const repeat = await clickAndCount(first);
    const other = await clickAndCount(second);

    // Assert
    expect(scanner).toMatchObject({ followed: { url: 'https://a.example.com/x', counting: false }, events: [] });
    expect(previewer).toMatchObject({ followed: { url: 'https://a.example.com/x', counting: false }, events: [] });
    expect(person.counted).toEqual([{ firstOnLink: true, firstOnAnyLink: true }]);
    expect(repeat.counted).toEqual([{ firstOnLink: false, firstOnAnyLink: false }]);
    expect(other).toMatchObject({
      followed: { url: 'https://b.example.org' },
      counted: [{ firstOnLink: true, firstOnAnyLink: false }],
    });
    expect(await ledgerEntry(tenantId, 'p1')).toMatchObject({
      clicks: 3,
      clickedAt: firstAt,
      linkClicks: { 0: 2, 1: 1 },
    });
  });

  it('counts a redelivered click event once', async () => {
    // Arrange
    const tenantId = h.newTenant('clicks');
    const [code] = (await sentWithLinks(tenantId, 'p4')) as [string];
    h.clock.advance(3_000);
    await followLink({ code, userAgent: BROWSER }, deps);
    const [event] = h.queue.takeVisible('events') as [LinkClickedEvent];

    // Act
    const first = await countLinkClick(event, deps);
    const again = await countLinkClick(event, deps);

    // Assert
    expect(first).toEqual({ firstOnLink: true, firstOnAnyLink: true });
    expect(again).toBeUndefined();
    expect(await ledgerEntry(tenantId, 'p4')).toMatchObject({ clicks: 1 });
  });

  it('ignores a click within 2 s of the delivery receipt', async () => {
    // Arrange: delivered a minute after the send
    const tenantId = h.newTenant('clicks');
    const [code] = (await sentWithLinks(tenantId, 'p2')) as [string];
    h.clock.advance(60_000);
    await h.campaigns.updateLedgerEntry(tenantId, 'c', 'p2', {}, 'delivered', {
      deliveredAt: h.clock.now().toISOString(),
    });

    // Act
    h.clock.advance(1_500);
    const scanner = await clickAndCount(code);
    h.clock.advance(1_000);
    const person = await clickAndCount(code);

    // Assert
    expect(scanner.counted).toEqual([undefined]);
    expect(person.counted).toEqual([{ firstOnLink: true, firstOnAnyLink: true }]);
    expect(await ledgerEntry(tenantId, 'p2')).toMatchObject({ clicks: 1 });
  });

  it('knows a code until the tenant’s retention ends, and no code it never issued', async () => {
    // Arrange
    const tenantId = h.newTenant('clicks');
    const sentAt = h.clock.now().getTime();
    const [code] = (await sentWithLinks(tenantId, 'p3')) as [string];

    // Act + Assert: 90 days by default
    expect(await h.deps.links.getLink(code, new Date(sentAt + 90 * 86_400_000 - 1))).toBeDefined();
    expect(await h.deps.links.getLink(code, new Date(sentAt + 90 * 86_400_000))).toBeUndefined();
    expect(await followLink({ code: 'AAAAAAAAAAAA', userAgent: BROWSER }, deps)).toBeUndefined();
    expect(await followLink({ code: '../../etc', userAgent: BROWSER }, deps)).toBeUndefined();
  });
});
