import { type ReactNode, useId } from 'react';
import { humanize } from '../lib/format';
import type { AsyncState } from '../lib/hooks';

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

/** A titled card, named by its heading for screen readers. */
export function Card({ title, children }: { title: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** What a page shows when it has nothing yet: a heading, then what to do about it. */
export function EmptyState({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="empty">
      <h2>{title}</h2>
      {children}
    </div>
  );
}

/**
 * An API read as the page shows it: its error with "Try again", "Loading {what}…" until the first answer, `empty`
 * when the answer `isEmpty`, else `children` with it (kept on screen while a newer read runs).
 */
export function Loaded<T>({
  state,
  what,
  isEmpty,
  empty,
  children,
}: {
  state: Pick<AsyncState<T>, 'data' | 'error' | 'reload'>;
  what: string;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
  children: (data: T) => ReactNode;
}) {
  const { data, error, reload } = state;
  return (
    <>
      {error ? <ErrorNote error={error} retry={reload} /> : null}
      {data === undefined ? error ? null : <Loading what={what} /> : isEmpty?.(data) ? empty : children(data)}
    </>
  );
}

/** The button under a list that reads its next page. */
export function ShowMore({ what, onClick }: { what: string; onClick: () => void }) {
  return (
    <button type="button" className="button" onClick={onClick}>
      Show more {what}
    </button>
  );
}
