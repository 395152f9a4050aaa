import type { ReactNode } from 'react';
import { humanize } from '../lib/format';

export function PageHeader({ title, actions, children }: { title: string; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1>{title}</h1>
        {children}
      </div>
      {actions ? <div className="page-actions">{actions}</div> : null}
    </header>
  );
}

const STATUS_TONE: Record<string, string> = {
  draft: 'neutral',
  scheduled: 'info',
  sending: 'progress',
  sent: 'success',
  cancelled: 'muted',
  active: 'success',
  paused: 'warning',
  waiting: 'info',
  completed: 'success',
  exited: 'muted',
  delivered: 'success',
  failed: 'danger',
  skipped: 'muted',
  queued: 'neutral',
  opted_in: 'success',
  opted_out: 'danger',
  unknown: 'neutral',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${STATUS_TONE[status] ?? 'neutral'}`}>{humanize(status)}</span>;
}

export function Stat({ label, value, detail }: { label: string; value: ReactNode; detail?: ReactNode }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd>
        <span className="stat-value">{value}</span>
        {detail ? <span className="stat-detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

export function Banner({
  tone = 'info',
  children,
  title,
}: {
  tone?: 'info' | 'warning' | 'error' | 'success';
  children: ReactNode;
  title?: string;
}) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {title ? <strong>{title} </strong> : null}
      {children}
    </div>
  );
}

/** A table that scrolls sideways on a phone; focusable so a keyboard can scroll it too. */
export function TableRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1).
    <section className="table-region" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function ErrorNote({ error, retry }: { error: Error; retry?: () => void }) {
  return (
    <div className="banner banner-error" role="alert">
      {error.message}{' '}
      {retry ? (
        <button type="button" className="link-button" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
