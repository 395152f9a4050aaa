import { useState } from 'react';
import { must } from '../api/client';
import { useApp } from '../app-context';
import { useAsync } from '../lib/hooks';
import { Link } from '../lib/router';

/**
 * On the local stack, a tenant with no contacts yet is offered the demo contacts (the same set `npm run demo:load`
 * imports, through the same public import API), so a first campaign has someone to go to.
 */
export function SampleContactsOffer({ onLoaded }: { onLoaded?: () => void } = {}) {
  const { api, config } = useApp();
  const [state, setState] = useState<'idle' | 'loading' | 'done' | 'failed'>('idle');
  const [message, setMessage] = useState<string>();
  const contacts = useAsync(
    (signal) => must(api.GET('/v1/contacts', { params: { query: { limit: 1 } }, signal })),
    [api],
  );
  if (state === 'done') return <p role="status">{message}</p>;
  if (config.auth !== 'local' || !contacts.data || contacts.data.items.length > 0) {
    return contacts.data && contacts.data.items.length === 0 ? (
      <p>
        No contacts yet: add them on the <Link href="/contacts">Contacts</Link> page (+ Add contact), or import them
        through the API (<code>POST /v1/contacts/import</code>).
      </p>
    ) : null;
  }
  const load = async () => {
    setState('loading');
    try {
      const { demoContacts } = await import('./sample-contacts-data');
      const result = await must(api.POST('/v1/contacts/import', { body: { contacts: demoContacts(300) } }));
      setMessage(`${result.created + result.updated} sample contacts added.`);
      setState('done');
      onLoaded?.();
    } catch (error) {
      setMessage((error as Error).message);
      setState('failed');
    }
  };
  return (
    <div className="sample-offer">
      <p>This business has no contacts yet. On the local stack you can add 300 sample contacts to try things with.</p>
      <button type="button" className="button" onClick={load} disabled={state === 'loading'}>
        {state === 'loading' ? 'Adding…' : 'Add sample contacts'}
      </button>
      {message ? <p role="status">{message}</p> : null}
    </div>
  );
}
