import type { LedgerEntry } from '../api/types';
import { formatDateTime } from '../lib/format';

interface Bucket {
  start: number;
  sent: number;
  delivered: number;
}

/** Sent and delivered per time bucket (about 24 buckets over the campaign's span), from the ledger's timestamps. */
export function bucketize(entries: LedgerEntry[], buckets = 24): { buckets: Bucket[]; sizeMs: number } {
  const times = entries.flatMap((entry) =>
    [entry.sentAt, entry.deliveredAt].filter((at): at is string => Boolean(at)).map((at) => Date.parse(at)),
  );
  if (times.length === 0) return { buckets: [], sizeMs: 0 };
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = Math.max(last - first, 60_000);
  const sizeMs = Math.ceil(span / buckets / 1000) * 1000 || 1000;
  const result: Bucket[] = Array.from({ length: Math.floor(span / sizeMs) + 1 }, (_, index) => ({
    start: first + index * sizeMs,
    sent: 0,
    delivered: 0,
  }));
  const at = (time: number) => result[Math.min(result.length - 1, Math.floor((time - first) / sizeMs))] as Bucket;
  for (const entry of entries) {
    if (entry.sentAt) at(Date.parse(entry.sentAt)).sent++;
    if (entry.deliveredAt) at(Date.parse(entry.deliveredAt)).delivered++;
  }
  return { buckets: result, sizeMs };
}

/** The delivery-over-time chart: bars of delivered per bucket over sent, with a table for screen readers. */
export function DeliveryChart({ entries, timeZone }: { entries: LedgerEntry[]; timeZone?: string | undefined }) {
  const { buckets } = bucketize(entries);
  if (buckets.length === 0) return <p className="hint">Nothing has been sent yet.</p>;
  const max = Math.max(1, ...buckets.map((bucket) => Math.max(bucket.sent, bucket.delivered)));
  const width = 640;
  const height = 160;
  const barWidth = width / buckets.length;
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height + 20}`}
        role="img"
        aria-labelledby="chart-caption"
        preserveAspectRatio="none"
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
          {formatDateTime(new Date(buckets[0]!.start).toISOString(), timeZone)}
        </text>
        <text x={width} y={height + 16} textAnchor="end" className="axis-label">
          {formatDateTime(new Date(buckets.at(-1)!.start).toISOString(), timeZone)}
        </text>
      </svg>
      <figcaption id="chart-caption">
        <span className="legend legend-sent">Sent</span> <span className="legend legend-delivered">Delivered</span> per
        interval, from {formatDateTime(new Date(buckets[0]!.start).toISOString(), timeZone)}; peak {max} in one
        interval.
      </figcaption>
    </figure>
  );
}
