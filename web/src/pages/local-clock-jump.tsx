import { useState } from 'react';
import { must } from '../api/client';
import { useApp } from '../app-context';
import { formatDateTime } from '../lib/format';

/**
 * On the local stack only: moves the stack's clock to `to` (`POST /local/clock`, which fires what falls due on the
 * way), so that someone trying the console sees a scheduled or held campaign go out without waiting for it.
 */
export function LocalClockJump({ to, onMoved }: { to: string; onMoved: () => void }) {
  const { api, config, settings } = useApp();
  const label = formatDateTime(to, settings?.defaultTimeZone);
  const [state, setState] = useState<'idle' | 'moving' | 'failed'>('idle');
  if (config.auth !== 'local') return null;
  const move = async () => {
    setState('moving');
    try {
      await must(api.POST('/local/clock', { body: { to } }));
      setState('idle');
      onMoved();
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      {' '}
      <button type="button" className="link-button" onClick={move} disabled={state === 'moving'}>
        {state === 'moving' ? 'Moving the clock…' : `Local stack: move its clock to ${label}`}
      </button>
      {state === 'failed' ? ' (the clock could not be moved; try again)' : null}
    </>
  );
}
