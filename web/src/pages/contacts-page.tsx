import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import type { Contact } from '../api/types';
import { useApp } from '../app-context';
import { contactName } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, navigate, useLocation, useTitle } from '../lib/router';
import { TextField } from '../ui/forms';
import { ErrorNote, Loading, PageHeader, StatusBadge, TableRegion } from '../ui/parts';
import { SampleContactsOffer } from './sample-contacts';

/** Contacts, searched by tag (the API lists by tag; the tag is kept in the URL so a search can be shared). */
export default function ContactsPage() {
  useTitle('Contacts');
  const { api } = useApp();
  const { query } = useLocation();
  const tag = query.get('tag') ?? '';
  const [text, setText] = useState(tag);
  const [pages, setPages] = useState(1);
  const list = useAsync(
    async (signal) => {
      const items: Contact[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < pages; page++) {
        const answer = await must(
          api.GET('/v1/contacts', {
            params: { query: { limit: 50, ...(tag ? { tag } : {}), ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        );
        items.push(...answer.items);
        cursor = answer.nextCursor ?? undefined;
        if (!cursor) break;
      }
      return { items, more: Boolean(cursor) };
    },
    [api, tag, pages],
  );
  const search = (event: FormEvent) => {
    event.preventDefault();
    setPages(1);
    navigate(text.trim() ? `/contacts?tag=${encodeURIComponent(text.trim())}` : '/contacts');
  };
  return (
    <>
      <PageHeader title="Contacts">
        <p className="subtitle">Everyone this business can text, with their tags and consent.</p>
      </PageHeader>
      <form className="inline-form" aria-label="Search contacts by tag" onSubmit={search}>
        <TextField label="Tag" name="tag" value={text} onChange={(event) => setText(event.target.value)} />
        <button type="submit" className="button">
          Search
        </button>
        {tag ? (
          <button
            type="button"
            className="button button-quiet"
            onClick={() => {
              setText('');
              navigate('/contacts');
            }}
          >
            Show everyone
          </button>
        ) : null}
      </form>
      {list.error ? <ErrorNote error={list.error} retry={list.reload} /> : null}
      {!list.data ? <Loading what="contacts" /> : null}
      {list.data && list.data.items.length === 0 ? (
        tag ? (
          <p>No contact is tagged “{tag}”.</p>
        ) : (
          <div className="empty">
            <h2>No contacts yet</h2>
            <SampleContactsOffer onLoaded={list.reload} />
          </div>
        )
      ) : null}
      {list.data && list.data.items.length > 0 ? (
        <TableRegion label="Contacts">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Phone</th>
                <th scope="col">Tags</th>
                <th scope="col">Consent</th>
                <th scope="col">Time zone</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((contact) => (
                <tr key={contact.id}>
                  <th scope="row">
                    <Link href={`/contacts/${contact.id}`}>{contactName(contact)}</Link>
                  </th>
                  <td>{contact.phone}</td>
                  <td>
                    {contact.tags.map((one) => (
                      <span key={one} className="tag">
                        {one}
                      </span>
                    ))}
                  </td>
                  <td>
                    <StatusBadge status={contact.smsConsent.status} />
                  </td>
                  <td>{contact.timeZone}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
      {list.data?.more ? (
        <button type="button" className="button" onClick={() => setPages((count) => count + 1)}>
          Show more contacts
        </button>
      ) : null}
    </>
  );
}
