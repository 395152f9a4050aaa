import { useState } from 'react';
import { must } from '../api/client';
import type { Campaign } from '../api/types';
import { useApp } from '../app-context';
import { formatDateTime, formatNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { Banner, EmptyState, Loaded, PageHeader, ShowMore, StatusBadge } from '../ui/parts';
import { SampleContactsOffer } from './sample-contacts';

/** Drafts first (they are the work in progress), then by the time that matters for each, newest first. */
export function sortCampaigns(campaigns: Campaign[]): Campaign[] {
  const when = (campaign: Campaign) =>
    campaign.launchedAt ?? campaign.scheduledAt ?? campaign.updatedAt ?? campaign.createdAt;
  return [...campaigns].sort(
    (a, b) =>
      Number(a.status !== 'draft') - Number(b.status !== 'draft') || (when(b) ?? '').localeCompare(when(a) ?? ''),
  );
}

function timeColumn(campaign: Campaign, timeZone: string | undefined): string {
  if (campaign.status === 'scheduled') return `Scheduled ${formatDateTime(campaign.scheduledAt, timeZone)}`;
  if (campaign.launchedAt) return `Sent ${formatDateTime(campaign.launchedAt, timeZone)}`;
  if (campaign.status === 'cancelled') return `Cancelled ${formatDateTime(campaign.cancelledAt, timeZone)}`;
  return `Edited ${formatDateTime(campaign.updatedAt, timeZone)}`;
}

/** Counts mean something once a campaign has gone out; before that they show a dash. */
const launched = (campaign: Campaign) => campaign.status !== 'draft' && campaign.status !== 'scheduled';
const countOf = (campaign: Campaign, key: 'audience' | 'delivered' | 'replies' | 'optOuts') =>
  launched(campaign) ? formatNumber(campaign.counts[key]) : '—';

function campaignColumns(zone: string | undefined): Column<Campaign>[] {
  return [
    {
      header: 'Name',
      cell: (campaign) => (
        <Link href={campaign.status === 'draft' ? `/campaigns/${campaign.id}/edit` : `/campaigns/${campaign.id}`}>
          {campaign.name}
        </Link>
      ),
    },
    { header: 'Status', cell: (campaign) => <StatusBadge status={campaign.status} /> },
    { header: 'Audience', numeric: true, cell: (campaign) => countOf(campaign, 'audience') },
    { header: 'Scheduled / sent', cell: (campaign) => timeColumn(campaign, zone) },
    { header: 'Delivered', numeric: true, cell: (campaign) => countOf(campaign, 'delivered') },
    { header: 'Replies', numeric: true, cell: (campaign) => countOf(campaign, 'replies') },
    { header: 'Opt-outs', numeric: true, cell: (campaign) => countOf(campaign, 'optOuts') },
  ];
}

/** Marketing > SMS Campaigns: every campaign with its status and headline numbers, and "+ New Campaign". */
export function CampaignsPage() {
  useTitle('SMS Campaigns');
  const { api, settings } = useApp();
  const [pages, setPages] = useState(1);
  const list = useAsync(
    async (signal) => {
      const items: Campaign[] = [];
      let cursor: string | undefined;
      let nextCursor: string | null = null;
      for (let page = 0; page < pages; page++) {
        const answer = await must(
          api.GET('/v1/campaigns', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        items.push(...answer.items);
        nextCursor = answer.nextCursor;
        if (!nextCursor) break;
        cursor = nextCursor;
      }
      return { items: sortCampaigns(items), nextCursor };
    },
    [api, pages],
  );
  const zone = settings?.defaultTimeZone;

  return (
    <>
      <PageHeader
        title="SMS Campaigns"
        actions={
          <Link className="button button-primary" href="/campaigns/new">
            + New Campaign
          </Link>
        }
      >
        <p className="subtitle">One-time texts to a Smart List or a group of tags, sent now or scheduled.</p>
      </PageHeader>
      <Loaded
        state={list}
        what="campaigns"
        isEmpty={(data) => data.items.length === 0}
        empty={
          <EmptyState title="No campaigns yet">
            <p>
              Write your first text: pick who gets it, see the count and the cost as you type, then send or schedule.
            </p>
            <Link className="button button-primary" href="/campaigns/new">
              + New Campaign
            </Link>
            <SampleContactsOffer />
          </EmptyState>
        }
      >
        {(data) => (
          <DataTable label="Campaigns" columns={campaignColumns(zone)} rows={data.items} rowKey={(c) => c.id} />
        )}
      </Loaded>
      {list.data?.nextCursor ? <ShowMore what="campaigns" onClick={() => setPages((count) => count + 1)} /> : null}
      {list.data?.items.some((campaign) => campaign.status === 'sending') ? (
        <Banner>Campaigns that are sending update their numbers on their results page.</Banner>
      ) : null}
    </>
  );
}
