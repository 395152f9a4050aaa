import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import type { Contact } from '../api/types';
import { useApp } from '../app-context';
import { contactName } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, navigate, useLocation, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { TextField } from '../ui/forms';
import { EmptyState, Loaded, PageHeader, ShowMore, StatusBadge } from '../ui/parts';
import { AddContactForm } from './add-contact-form';
import { SampleContactsOffer } from './sample-contacts';

const CONTACT_COLUMNS: Column<Contact>[] = [
  { header: 'Name', cell: (contact) => <Link href={`/contacts/${contact.id}`}>{contactName(contact)}</Link> },
  { header: 'Phone', cell: (contact) => contact.phone },
  {
    header: 'Tags',
    cell: (contact) =>
      contact.tags.map((one) => (
        <span key={one} className="tag">
          {one}
        </span>
      )),
  },
  { header: 'Consent', cell: (contact) => <StatusBadge status={contact.smsConsent.status} /> },
  { header: 'Time zone', cell: (contact) => contact.timeZone },
];

/** Contacts, searched by tag (the API lists by tag; the tag is kept in the URL so a search can be shared). */
export default function ContactsPage() {
  useTitle('Contacts');
  const { api } = useApp();
  const { query } = useLocation();
  const tag = query.get('tag') ?? '';
  const [text, setText] = useState(tag);
  const [pages, setPages] = useState(1);
  const [adding, setAdding] = useState(false);
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
      <PageHeader
        title="Contacts"
        actions={
          adding ? null : (
            <button type="button" className="button button-primary" onClick={() => setAdding(true)}>
              + Add contact
            </button>
          )
        }
      >
        <p className="subtitle">Everyone this business can text, with their tags and consent.</p>
      </PageHeader>
      {adding ? <AddContactForm onCancel={() => setAdding(false)} /> : null}
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
      <Loaded
        state={list}
        what="contacts"
        isEmpty={(data) => data.items.length === 0}
        empty={
          tag ? (
            <p>No contact is tagged “{tag}”.</p>
          ) : (
            <EmptyState title="No contacts yet">
              <SampleContactsOffer onLoaded={list.reload} />
            </EmptyState>
          )
        }
      >
        {(data) => <DataTable label="Contacts" columns={CONTACT_COLUMNS} rows={data.items} rowKey={(c) => c.id} />}
      </Loaded>
      {list.data?.more ? <ShowMore what="contacts" onClick={() => setPages((count) => count + 1)} /> : null}
    </>
  );
}
