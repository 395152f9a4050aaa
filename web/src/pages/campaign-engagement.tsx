import type { CampaignResults } from '../api/types';
import { formatDateTime, formatNumber, formatPercent } from '../lib/format';
import { type Column, DataTable } from '../ui/data-table';
import { Card, Stat } from '../ui/parts';

type LinkRow = CampaignResults['links'][number];
type VariantRow = NonNullable<CampaignResults['variants']>[number];
/** The significance notes are read for their text only (the generated types differ on the `compared` pair). */
type AbTest = Omit<NonNullable<CampaignResults['abTest']>, 'testSignificance'> & { testSignificance: { note: string } };
type VariantResults = Pick<CampaignResults, 'variants'> & {
  abTest?: AbTest | undefined;
  variantSignificance?: { responseRate: { note: string }; clickThroughRate: { note: string } } | undefined;
};

const LINK_COLUMNS: Column<LinkRow>[] = [
  { header: 'Link', cell: (link) => link.url ?? `Link ${link.index + 1}` },
  { header: 'Clicks', numeric: true, cell: (link) => formatNumber(link.clicks) },
  { header: 'Clickers', numeric: true, cell: (link) => formatNumber(link.uniqueClickers) },
  { header: 'Click-through', numeric: true, cell: (link) => formatPercent(link.clickThroughRate) },
];

function variantColumns(winner: number | null): Column<VariantRow>[] {
  return [
    {
      header: 'Variant',
      cell: (v) => `Variant ${v.variant + 1}${v.variant === winner ? ' (winner)' : ''}`,
    },
    { header: 'Split', numeric: true, cell: (v) => `${v.percent}%` },
    { header: 'Recipients', numeric: true, cell: (v) => formatNumber(v.recipients) },
    { header: 'Delivered', numeric: true, cell: (v) => formatNumber(v.delivered) },
    { header: 'Replies', numeric: true, cell: (v) => formatNumber(v.replies) },
    { header: 'Response rate', numeric: true, cell: (v) => formatPercent(v.responseRate) },
    { header: 'Clickers', numeric: true, cell: (v) => formatNumber(v.uniqueClickers) },
    { header: 'Click-through', numeric: true, cell: (v) => formatPercent(v.clickThroughRate) },
  ];
}

const PHASES: Record<AbTest['phase'], string> = {
  testing: 'Sending the test',
  waiting: 'Waiting for the test results',
  sendingWinner: 'Sending the winner to the rest',
  done: 'Done',
  cancelled: 'Cancelled (no winner sent)',
};

/** Tracked links: clicks in all and per link (people only: previewers and scanners are not counted). */
export function ClicksCard({
  results,
}: {
  results: Pick<CampaignResults, 'clicks' | 'uniqueClickers' | 'clickThroughRate' | 'links'>;
}) {
  return (
    <Card title="Clicks">
      <dl className="stats">
        <Stat label="Clicks" value={formatNumber(results.clicks)} />
        <Stat
          label="Clickers"
          value={formatNumber(results.uniqueClickers)}
          detail={`${formatPercent(results.clickThroughRate)} click-through`}
        />
      </dl>
      <DataTable label="Clicks per link" columns={LINK_COLUMNS} rows={results.links} rowKey={(l) => String(l.index)} />
    </Card>
  );
}

/** A/B variants: figures per variant with the significance note; for test-then-winner, the test and its winner. */
export function VariantsCard({ results, timeZone }: { results: VariantResults; timeZone?: string | undefined }) {
  const variants = results.variants ?? [];
  const ab = results.abTest;
  const winner = ab?.winner?.variant ?? null;
  return (
    <Card title={ab ? 'A/B test, then the winner' : 'A/B variants'}>
      {ab ? (
        <>
          <p>
            <strong>{PHASES[ab.phase]}</strong>: the test went to {ab.testPercent}% of the audience; the winner by{' '}
            {ab.winnerMetric === 'responseRate' ? 'response rate' : 'click-through rate'}
            {ab.testEndsAt
              ? ` is picked at ${formatDateTime(ab.testEndsAt, timeZone)}`
              : ` after ${ab.waitMinutes} minutes`}
            .
          </p>
          {ab.winner ? <p className="winner">Winner: {ab.winner.reason}.</p> : null}
          <h3>The test</h3>
          <DataTable
            label="Test figures per variant"
            columns={variantColumns(winner)}
            rows={ab.testVariants}
            rowKey={(v) => String(v.variant)}
          />
          <p className="hint">{ab.testSignificance.note}</p>
          <p className="hint">{ab.winnerRule}</p>
          <h3>Everyone</h3>
        </>
      ) : null}
      <DataTable
        label="Figures per variant"
        columns={variantColumns(winner)}
        rows={variants}
        rowKey={(v) => String(v.variant)}
      />
      {results.variantSignificance ? (
        <p className="hint">
          {results.variantSignificance.responseRate.note}; {results.variantSignificance.clickThroughRate.note}
        </p>
      ) : null}
    </Card>
  );
}
