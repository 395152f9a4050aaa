import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import type { CampaignResults, CampaignWarning, LedgerEntry, LedgerStatus } from '../api/types';
import { useApp } from '../app-context';
import { formatDateTime, formatMoney, formatNumber, formatPercent, humanize } from '../lib/format';
import { useAsync, useInterval } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { FormError, SelectField, TextField, useFieldErrors } from '../ui/forms';
import { Banner, Card, ErrorNote, Loaded, Loading, PageHeader, ShowMore, Stat, StatusBadge } from '../ui/parts';
import { ClicksCard, VariantsCard } from './campaign-engagement';
import { DeliveryChart } from './delivery-chart';
import { LocalClockJump } from './local-clock-jump';

const LEDGER_STATUSES: LedgerStatus[] = ['queued', 'sent', 'delivered', 'failed', 'skipped', 'cancelled', 'unknown'];
/** The chart reads at most this many ledger entries (10 pages). */
const CHART_ENTRIES = 5000;

type TagRow = [tag: string, row: CampaignResults['byTag'][string]];

const TAG_COLUMNS: Column<TagRow>[] = [
  { header: 'Tag', cell: ([tag]) => tag },
  { header: 'Recipients', numeric: true, cell: ([, row]) => formatNumber(row.recipients) },
  { header: 'Delivered', numeric: true, cell: ([, row]) => formatNumber(row.delivered) },
  { header: 'Replies', numeric: true, cell: ([, row]) => formatNumber(row.replies) },
  { header: 'Opt-outs', numeric: true, cell: ([, row]) => formatNumber(row.optOuts) },
];

function recipientColumns(zone: string | undefined): Column<LedgerEntry>[] {
  return [
    { header: 'Phone', cell: (entry) => <Link href={`/contacts/${entry.contactId}`}>{entry.phone}</Link> },
    { header: 'Status', cell: (entry) => <StatusBadge status={entry.status} /> },
    {
      header: 'Reason',
      cell: (entry) => (
        <>
          {entry.reason ? humanize(entry.reason) : ''}
          {entry.notBefore ? ` (not before ${formatDateTime(entry.notBefore, zone)})` : ''}
        </>
      ),
    },
    { header: 'Segments', numeric: true, cell: (entry) => entry.segments },
    { header: 'Sent', cell: (entry) => formatDateTime(entry.sentAt, zone) },
    { header: 'Delivered', cell: (entry) => formatDateTime(entry.deliveredAt, zone) },
    { header: 'Replied', cell: (entry) => formatDateTime(entry.repliedAt, zone) },
  ];
}

/** Results of one campaign: rates and flags, failures, delivery over time, by tag, and every recipient's message. */
export default function CampaignResultsPage({ id }: { id: string }) {
  const { api, settings, config } = useApp();
  const campaign = useAsync(
    (signal) => must(api.GET('/v1/campaigns/{id}', { params: { path: { id } }, signal })),
    [api, id],
  );
  const results = useAsync(
    (signal) => must(api.GET('/v1/campaigns/{id}/results', { params: { path: { id } }, signal })),
    [api, id],
  );
  const [launchWarnings] = useState<CampaignWarning[]>(() => {
    try {
      return JSON.parse(sessionStorage.getItem(`sms-console.warnings.${id}`) ?? '[]') as CampaignWarning[];
    } catch {
      return [];
    }
  });
  const status = results.data?.status ?? campaign.data?.status;
  // Receipts can still arrive after the last hand-over: keep reading while a sent text has no outcome yet.
  const settling = results.data
    ? results.data.sent > results.data.delivered + results.data.failed + results.data.unknown
    : false;
  const live = status === 'sending' || status === 'scheduled' || settling;
  const chart = useAsync(
    async (signal) => {
      const entries: LedgerEntry[] = [];
      let cursor: string | undefined;
      do {
        const page = await must(
          api.GET('/v1/campaigns/{id}/messages', {
            params: { path: { id }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        );
        entries.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && entries.length < CHART_ENTRIES);
      return { entries, complete: !cursor };
    },
    [api, id, results.data?.delivered, results.data?.sent],
  );
  useInterval(
    () => {
      results.reload();
      if (status === 'scheduled') campaign.reload();
    },
    status === 'scheduled' ? 5000 : 1500,
    live,
  );

  const [confirmCancel, setConfirmCancel] = useState(false);
  const [actionError, setActionError] = useState<string>();
  const cancel = async () => {
    setActionError(undefined);
    try {
      campaign.set(await must(api.POST('/v1/campaigns/{id}/cancel', { params: { path: { id } } })));
      results.reload();
    } catch (error) {
      setActionError((error as Error).message);
    }
    setConfirmCancel(false);
  };

  useTitle(campaign.data ? `Results: ${campaign.data.name}` : 'Campaign results');
  if (campaign.error) return <ErrorNote error={campaign.error} retry={campaign.reload} />;
  if (!campaign.data) return <Loading what="the campaign" />;
  const zone = settings?.defaultTimeZone;
  const r = results.data;
  const c = campaign.data;

  return (
    <>
      <PageHeader
        title={c.name}
        actions={
          live ? (
            confirmCancel ? (
              <div className="confirm-inline">
                <span>Stop every text not yet handed to the carrier?</span>
                <button type="button" className="button button-danger" onClick={cancel}>
                  Yes, cancel campaign
                </button>
                <button type="button" className="button" onClick={() => setConfirmCancel(false)}>
                  Keep it
                </button>
              </div>
            ) : (
              <button type="button" className="button button-danger" onClick={() => setConfirmCancel(true)}>
                Cancel campaign
              </button>
            )
          ) : null
        }
      >
        <p className="subtitle">
          <StatusBadge status={status ?? c.status} />{' '}
          {c.status === 'scheduled' && c.scheduledAt ? `Goes out ${formatDateTime(c.scheduledAt, zone)}` : null}
          {c.launchedAt ? `Launched ${formatDateTime(c.launchedAt, zone)}` : null}
          {c.cancelledAt ? ` · cancelled ${formatDateTime(c.cancelledAt, zone)}` : null}
        </p>
      </PageHeader>
      {actionError ? <Banner tone="error">{actionError}</Banner> : null}
      {launchWarnings.length > 0 ? (
        <Banner tone="warning" title="Warnings when you confirmed it:">
          <ul>
            {launchWarnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        </Banner>
      ) : null}
      {r?.nextSendAt ? (
        <Banner>
          Some recipients are held for their send window or their own time: the next texts go out{' '}
          {formatDateTime(r.nextSendAt, zone)}.
          <LocalClockJump to={r.nextSendAt} onMoved={results.reload} />
        </Banner>
      ) : null}
      {status === 'scheduled' && c.scheduledAt && config.auth === 'local' ? (
        <Banner>
          No need to wait on the local stack:
          <LocalClockJump
            to={c.scheduledAt}
            onMoved={() => {
              campaign.reload();
              results.reload();
            }}
          />
        </Banner>
      ) : null}
      {results.error ? <ErrorNote error={results.error} retry={results.reload} /> : null}
      {!r ? (
        <Loading what="results" />
      ) : (
        <>
          <Card title="Overview">
            <dl className="stats">
              <Stat label="Audience" value={formatNumber(r.audience)} />
              <Stat label="Sent" value={formatNumber(r.sent)} detail={r.pending ? `${r.pending} pending` : undefined} />
              <Stat label="Delivered" value={formatNumber(r.delivered)} detail={formatPercent(r.deliveryRate)} />
              <Stat label="Failed" value={formatNumber(r.failed)} />
              <Stat
                label="Replies"
                value={formatNumber(r.replies)}
                detail={`${formatPercent(r.responseRate)} response rate`}
              />
              <Stat label="Opt-outs" value={formatNumber(r.optOuts)} detail={formatPercent(r.optOutRate)} />
              <Stat label="Segments" value={formatNumber(r.segments)} detail={`≈ ${formatMoney(r.estimatedCost)}`} />
            </dl>
            <h3>Health</h3>
            {r.flags.length > 0 ? (
              <ul className="flags">
                {r.flags.map((flag) => (
                  <li key={flag.code} className="flag">
                    {flag.message}
                  </li>
                ))}
              </ul>
            ) : (
              <p>No health flags.</p>
            )}
            <p className="hint">{r.flagRule}</p>
            <h3>Skipped</h3>
            <ul className="inline-list">
              {Object.entries(r.skipped).map(([reason, count]) => (
                <li key={reason}>
                  {humanize(reason)}: <strong>{formatNumber(count)}</strong>
                </li>
              ))}
            </ul>
          </Card>

          {r.links.length > 0 || r.clicks > 0 ? <ClicksCard results={r} /> : null}
          {r.variants ? <VariantsCard results={r} timeZone={zone} /> : null}

          <div className="two-columns">
            <Card title="Failures by category">
              {Object.keys(r.failedByReason).length === 0 ? (
                <p className="hint">No failures.</p>
              ) : (
                <ul className="bars">
                  {Object.entries(r.failedByReason)
                    .sort((a, b) => b[1] - a[1])
                    .map(([reason, count]) => (
                      <li key={reason}>
                        <span className="bar-label">{humanize(reason)}</span>
                        <span className="bar-track" aria-hidden="true">
                          <span className="bar-fill" style={{ width: `${(count / Math.max(1, r.failed)) * 100}%` }} />
                        </span>
                        <span className="bar-value">{formatNumber(count)}</span>
                      </li>
                    ))}
                </ul>
              )}
            </Card>
            <Card title="Delivery over time">
              {chart.data ? (
                <DeliveryChart entries={chart.data.entries} timeZone={zone} />
              ) : (
                <Loading what="the chart" />
              )}
              {chart.data && !chart.data.complete ? (
                <p className="hint">Drawn from the first {formatNumber(chart.data.entries.length)} recipients.</p>
              ) : null}
            </Card>
          </div>

          <Card title="By tag">
            {Object.keys(r.byTag).length === 0 ? (
              <p className="hint">No tagged recipients yet.</p>
            ) : (
              <DataTable
                label="Results by tag"
                columns={TAG_COLUMNS}
                rows={Object.entries(r.byTag)}
                rowKey={([tag]) => tag}
              />
            )}
          </Card>

          <RespondersList campaignId={id} replies={r.replies} />
        </>
      )}
      <Recipients campaignId={id} zone={zone} version={`${r?.sent}-${r?.delivered}-${r?.replies}-${r?.optOuts}`} />
    </>
  );
}

function RespondersList({ campaignId, replies }: { campaignId: string; replies: number }) {
  const { api } = useApp();
  const [name, setName] = useState('');
  const [done, setDone] = useState<string>();
  const errors = useFieldErrors(['name']);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    try {
      const answer = await must(
        api.POST('/v1/campaigns/{id}/responders-list', {
          params: { path: { id: campaignId } },
          body: name.trim() ? { name: name.trim() } : {},
        }),
      );
      setDone(
        `Smart List “${answer.smartList.name}” ${answer.created ? 'created' : 'updated'} with ${answer.responders} responder${answer.responders === 1 ? '' : 's'}.`,
      );
    } catch (error) {
      errors.fail(error);
    }
  };
  return (
    <Card title="Responders">
      <form className="inline-form" onSubmit={save} noValidate>
        <TextField
          label="Smart List name"
          hint="Leave empty for a name from the campaign's."
          value={name}
          error={errors.at('name')}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" className="button" disabled={replies === 0}>
          Save responders as a Smart List
        </button>
      </form>
      {replies === 0 ? <p className="hint">No replies yet.</p> : null}
      <FormError message={errors.general} />
      {done ? <p role="status">{done}</p> : null}
    </Card>
  );
}

function Recipients({ campaignId, zone, version }: { campaignId: string; zone?: string | undefined; version: string }) {
  const { api } = useApp();
  const [status, setStatus] = useState<LedgerStatus | ''>('');
  const [pages, setPages] = useState(1);
  const list = useAsync(
    async (signal) => {
      const items: LedgerEntry[] = [];
      let cursor: string | undefined;
      let more = false;
      for (let page = 0; page < pages; page++) {
        const answer = await must(
          api.GET('/v1/campaigns/{id}/messages', {
            params: {
              path: { id: campaignId },
              query: { limit: 50, ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) },
            },
            signal,
          }),
        );
        items.push(...answer.items);
        cursor = answer.nextCursor ?? undefined;
        more = Boolean(cursor);
        if (!cursor) break;
      }
      return { items, more };
    },
    [api, campaignId, status, pages, version],
  );
  return (
    <Card title="Recipients">
      <SelectField
        label="Show"
        value={status}
        className="inline-field"
        onChange={(event) => {
          setStatus(event.target.value as LedgerStatus | '');
          setPages(1);
        }}
      >
        <option value="">Every recipient</option>
        {LEDGER_STATUSES.map((value) => (
          <option key={value} value={value}>
            {humanize(value)}
          </option>
        ))}
      </SelectField>
      <Loaded
        state={list}
        what="recipients"
        isEmpty={(data) => data.items.length === 0}
        empty={<p className="hint">No recipients {status ? `with status “${humanize(status)}”` : 'yet'}.</p>}
      >
        {(data) => (
          <DataTable
            label="Messages to recipients"
            columns={recipientColumns(zone)}
            rows={data.items}
            rowKey={(entry) => entry.contactId}
          />
        )}
      </Loaded>
      {list.data?.more ? <ShowMore what="recipients" onClick={() => setPages((count) => count + 1)} /> : null}
    </Card>
  );
}
