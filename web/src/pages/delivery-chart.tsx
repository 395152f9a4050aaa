import type { LedgerEntry } from '../api/types';
import { formatDateTime } from '../lib/format';

interface Bucket {
  start: number;
  sent: number;
  delivered: number;
}

/** Bucket sizes a person reads easily, smallest first. */
const BUCKET_SIZES_MS = [1, 5, 15, 60, 300, 900, 3600, 6 * 3600, 86_400].map((seconds) => seconds * 1000);

/** Sent and delivered per time bucket (at most `maxBuckets`, of a round size), from the ledger's timestamps. */
export function bucketize(entries: LedgerEntry[], maxBuckets = 24): { buckets: Bucket[]; sizeMs: number } {
  const times = entries.flatMap((entry) =>
    [entry.sentAt, entry.deliveredAt].filter((at): at is string => Boolean(at)).map((at) => Date.parse(at)),
  );
  if (times.length === 0) return { buckets: [], sizeMs: 0 };
  const span = Math.max(...times) - Math.min(...times);
  const sizeMs =
    BUCKET_SIZES_MS.find((size) => span / size < maxBuckets) ?? Math.ceil(span / maxBuckets / 86_400_000) * 86_400_000;
  const first = Math.floor(Math.min(...times) / sizeMs) * sizeMs;
  const result: Bucket[] = Array.from(
    { length: Math.floor((Math.max(...times) - first) / sizeMs) + 1 },
    (_, index) => ({
      start: first + index * sizeMs,
      sent: 0,
      delivered: 0,
    }),
  );
  const at = (time: number) => result[Math.min(result.length - 1, Math.floor((time - first) / sizeMs))] as Bucket;
  for (const entry of entries) {
    if (entry.sentAt) at(Date.parse(entry.sentAt)).sent++;
    if (entry.deliveredAt) at(Date.parse(entry.deliveredAt)).delivered++;
  }
  return { buckets: result, sizeMs };
}

function describeSize(ms: number): string {
  if (ms < 60_000) return `${ms / 1000} s`;
  if (ms < 3_600_000) return `${ms / 60_000} min`;
  if (ms < 86_400_000) return `${ms / 3_600_000} h`;
  return `${ms / 86_400_000} day${ms === 86_400_000 ? '' : 's'}`;
}

/** The delivery-over-time chart: sent and delivered per interval, summed up in its caption. */
export function DeliveryChart({ entries, timeZone }: { entries: LedgerEntry[]; timeZone?: string | undefined }) {
  const { buckets, sizeMs } = bucketize(entries);
  if (buckets.length === 0) return <p className="hint">Nothing has been sent yet.</p>;
  const max = Math.max(1, ...buckets.map((bucket) => Math.max(bucket.sent, bucket.delivered)));
  const width = 640;
  const height = 160;
  // A few wide bars for a short campaign, never wider than a twelfth of the chart.
  const barWidth = width / Math.max(buckets.length, 12);
  const startLabel = formatDateTime(new Date(buckets[0]!.start).toISOString(), timeZone);
  const last = formatDateTime(new Date(buckets.at(-1)!.start).toISOString(), timeZone);
  // The last bucket's time, where it says something new and there is room for it beside the first one's.
  const endLabel = last !== startLabel && buckets.length * barWidth >= width / 2 ? last : undefined;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-labelledby="chart-caption"
        preserveAspectRatio="xMinYMid meet"
      >
        <title>Sent and delivered over time</title>
        {buckets.map((bucket, index) => {
          const sentHeight = (bucket.sent / max) * height;
          const deliveredHeight = (bucket.delivered / max) * height;
          return (
            <g key={bucket.start}>
              <rect
                x={index * barWidth + 2}
                y={height - sentHeight}
                width={Math.max(1, barWidth - 4)}
                height={sentHeight}
                className="bar-sent"
              />
              <rect
                x={index * barWidth + 2 + barWidth / 4}
                y={height - deliveredHeight}
                width={Math.max(1, barWidth / 2 - 2)}
                height={deliveredHeight}
                className="bar-delivered"
              />
            </g>
          );
        })}
        <line x1="0" y1={height} x2={width} y2={height} className="axis" />
        <text x="0" y={height + 16} className="axis-label">
          {startLabel}
        </text>
        {endLabel ? (
          <text x={buckets.length * barWidth} y={height + 16} textAnchor="end" className="axis-label">
            {endLabel}
          </text>
        ) : null}
      </svg>
      <figcaption id="chart-caption">
        <span className="legend legend-sent">Sent</span> <span className="legend legend-delivered">Delivered</span> per{' '}
        {describeSize(sizeMs)} from {startLabel}; at most {max} in one {describeSize(sizeMs)}.
      </figcaption>
    </figure>
  );
}
