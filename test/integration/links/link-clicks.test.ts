import { countLinkClick, countLinkClicks } from '../../../shared/app/links/count-link-click.use-case';
import { followLink } from '../../../shared/app/links/follow-link.use-case';
import type { LinkDeps } from '../../../shared/app/links/link-deps';
import { trackMessageLinks } from '../../../shared/app/links/track-message-links';
import type { LinkClickedEvent } from '../../../shared/domain/links/link-clicked-event';
import { defaultSettings } from '../../../shared/domain/settings/settings.schema';
import { COUNTED } from '../../../shared/ports/link-store.port';
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

describe('clicks counted in batches (DynamoDB)', () => {
  /** A person's click on `code` now, as the redirect puts it on the events queue. */
  async function clickEvent(code: string): Promise<LinkClickedEvent> {
    await followLink({ code, userAgent: BROWSER }, deps);
    return (h.queue.takeVisible('events') as [LinkClickedEvent])[0];
  }

  it('counts a batch exactly without deciding firsts: repeats and redeliveries once each, per link, first click kept', async () => {
    // Arrange: two recipients, a click each on the first link, a repeat, one on the second link
    const tenantId = h.newTenant('batch');
    const [a0, a1] = (await sentWithLinks(tenantId, 'b1')) as [string, string];
    const [b0] = (await sentWithLinks(tenantId, 'b2')) as [string];
    h.clock.advance(3_000);
    const firstAt = h.clock.now().toISOString();
    const first = await clickEvent(a0);
    h.clock.advance(1_000);
    const events = [first, await clickEvent(a0), await clickEvent(a1), await clickEvent(b0)];

    // Act: the batch, then the same batch again (as a redelivery), reversed
    const counted = await countLinkClicks(events, deps, () => false);
    const again = await countLinkClicks([...events].reverse(), deps, () => false);

    // Assert
    expect(counted).toEqual([COUNTED, COUNTED, COUNTED, COUNTED]);
    expect(again).toEqual([COUNTED, COUNTED, COUNTED, COUNTED]);
    expect(await ledgerEntry(tenantId, 'b1')).toMatchObject({
      clicks: 3,
      clickedAt: firstAt,
      linkClicks: { 0: 2, 1: 1 },
    });
    expect(await ledgerEntry(tenantId, 'b2')).toMatchObject({ clicks: 1, linkClicks: { 0: 1 } });
  });

  it('judges a click taken in before the delivery receipt against the receipt once it comes', async () => {
    // Arrange: a click 3 s after the send is counted while no receipt is known
    const tenantId = h.newTenant('batch');
    const [code] = (await sentWithLinks(tenantId, 'b3')) as [string];
    h.clock.advance(3_000);
    const scanner = await clickEvent(code);
    await countLinkClicks([scanner], deps, () => false);
    const before = await ledgerEntry(tenantId, 'b3');

    // Act: the receipt says it was delivered a second before that click (a scanner opening it on arrival)
    await h.campaigns.updateLedgerEntry(tenantId, 'c', 'b3', {}, 'delivered', {
      deliveredAt: new Date(h.clock.now().getTime() - 1_000).toISOString(),
    });
    h.clock.advance(5_000);
    const person = await clickEvent(code);
    const decided = await countLinkClicks([person], deps);

    // Assert: the scanner's click no longer counts, and the person's is the first
    expect(before).toMatchObject({ clicks: 1 });
    expect(decided).toEqual([{ firstOnLink: true, firstOnAnyLink: true }]);
    expect(await ledgerEntry(tenantId, 'b3')).toMatchObject({ clicks: 1, clickedAt: person.at });
  });

  it('decides firsts after clicks counted without: an earlier counted click makes a later one a repeat', async () => {
    // Arrange: clicks counted while nothing listened for firsts
    const tenantId = h.newTenant('batch');
    const [l0, l1] = (await sentWithLinks(tenantId, 'b4')) as [string, string];
    h.clock.advance(3_000);
    await countLinkClicks([await clickEvent(l0)], deps, () => false);
    h.clock.advance(1_000);

    // Act: a workflow now listens
    const repeat = await countLinkClicks([await clickEvent(l0)], deps);
    const otherLink = await countLinkClicks([await clickEvent(l1)], deps);
    const again = await countLinkClicks([await clickEvent(l1)], deps);

    // Assert
    expect(repeat).toEqual([{ firstOnLink: false, firstOnAnyLink: false }]);
    expect(otherLink).toEqual([{ firstOnLink: true, firstOnAnyLink: false }]);
    expect(again).toEqual([{ firstOnLink: false, firstOnAnyLink: false }]);
    expect(await ledgerEntry(tenantId, 'b4')).toMatchObject({ clicks: 4, linkClicks: { 0: 2, 1: 2 } });
  });

  it('of two clicks racing for first in separate batches, exactly one is the first', async () => {
    // Arrange: two clicks on the same link a moment apart, counted at once by two consumers
    const tenantId = h.newTenant('batch');
    const [code] = (await sentWithLinks(tenantId, 'b5')) as [string];
    h.clock.advance(3_000);
    const early = await clickEvent(code);
    h.clock.advance(10);
    const late = await clickEvent(code);

    // Act
    const [a, b] = await Promise.all([countLinkClicks([late], deps), countLinkClicks([early], deps)]);

    // Assert
    const firsts = [...(a ?? []), ...(b ?? [])].filter((c) => typeof c === 'object' && c.firstOnLink);
    expect(firsts).toHaveLength(1);
    expect(await ledgerEntry(tenantId, 'b5')).toMatchObject({ clicks: 2, clickedAt: early.at });
  });

  it('counts a click delivered twice at once (two batches sharing one batch write) once', async () => {
    // Arrange
    const tenantId = h.newTenant('batch');
    const [code] = (await sentWithLinks(tenantId, 'b6')) as [string];
    h.clock.advance(3_000);
    const event = await clickEvent(code);

    // Act
    const [a, b] = await Promise.all([
      countLinkClicks([event], deps, () => false),
      countLinkClicks([event], deps, () => false),
    ]);

    // Assert
    expect([a, b]).toEqual([[COUNTED], [COUNTED]]);
    expect(await ledgerEntry(tenantId, 'b6')).toMatchObject({ clicks: 1, linkClicks: { 0: 1 } });
  });
});
