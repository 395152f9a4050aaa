import { useState } from 'react';
import { must } from '../api/client';
import type { Campaign } from '../api/types';
import { useApp } from '../app-context';
import { formatDateTime, formatNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { Banner, ErrorNote, Loading, PageHeader, StatusBadge, TableRegion } from '../ui/parts';
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
      {list.error ? <ErrorNote error={list.error} retry={list.reload} /> : null}
      {!list.data && list.loading ? <Loading what="campaigns" /> : null}
      {list.data && list.data.items.length === 0 ? (
        <div className="empty">
          <h2>No campaigns yet</h2>
          <p>Write your first text: pick who gets it, see the count and the cost as you type, then send or schedule.</p>
          <Link className="button button-primary" href="/campaigns/new">
            + New Campaign
          </Link>
          <SampleContactsOffer />
        </div>
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <TableRegion label="Campaigns">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">
                  Audience
                </th>
                <th scope="col">Scheduled / sent</th>
                <th scope="col" className="num">
                  Delivered
                </th>
                <th scope="col" className="num">
                  Replies
                </th>
                <th scope="col" className="num">
                  Opt-outs
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((campaign) => {
                const editable = campaign.status === 'draft';
                const launched = campaign.status !== 'draft' && campaign.status !== 'scheduled';
                return (
                  <tr key={campaign.id}>
                    <th scope="row">
                      <Link href={editable ? `/campaigns/${campaign.id}/edit` : `/campaigns/${campaign.id}`}>
                        {campaign.name}
                      </Link>
                    </th>
                    <td>
                      <StatusBadge status={campaign.status} />
                    </td>
                    <td className="num">{launched ? formatNumber(campaign.counts.audience) : '—'}</td>
                    <td>{timeColumn(campaign, zone)}</td>
                    <td className="num">{launched ? formatNumber(campaign.counts.delivered) : '—'}</td>
                    <td className="num">{launched ? formatNumber(campaign.counts.replies) : '—'}</td>
                    <td className="num">{launched ? formatNumber(campaign.counts.optOuts) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {list.data?.nextCursor ? (
        <button type="button" className="button" onClick={() => setPages((count) => count + 1)}>
          Show more campaigns
        </button>
      ) : null}
      {list.data?.items.some((campaign) => campaign.status === 'sending') ? (
        <Banner>Campaigns that are sending update their numbers on their results page.</Banner>
      ) : null}
    </>
  );
}
