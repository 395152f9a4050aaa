import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import type { Campaign, LedgerEntry } from '../api/types';
import { useApp } from '../app-context';
import { contactName, formatDateTime, humanize } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { FieldError, FormError, TextField, useFieldErrors } from '../ui/forms';
import { Card, ErrorNote, Loaded, Loading, PageHeader, StatusBadge } from '../ui/parts';

/** Opt-outs the person made (a STOP word, the carrier's list, a suppressed number): only they can undo them. */
const PERSON_SOURCES = new Set(['inbound_keyword', 'carrier', 'suppression_list']);

/** How many recent campaigns, and ledger entries of each, the message history looks through. */
const HISTORY_CAMPAIGNS = 20;
const HISTORY_ENTRIES_PER_CAMPAIGN = 2000;

/** A campaign text to the contact: the campaign and the contact's entry in its ledger. */
type CampaignText = { campaign: Campaign; entry: LedgerEntry };

/**
 * The API has no per-contact message list: the history is gathered from the ledgers of the recent campaigns (each
 * entry says when the text was sent, delivered and answered).
 */
async function messagesOf(api: ReturnType<typeof useApp>['api'], contactId: string, signal: AbortSignal) {
  const campaigns: Campaign[] = (
    await must(api.GET('/v1/campaigns', { params: { query: { limit: 100 } }, signal }))
  ).items
    .filter((campaign) => campaign.launchedAt)
    .sort((a, b) => (b.launchedAt ?? '').localeCompare(a.launchedAt ?? ''))
    .slice(0, HISTORY_CAMPAIGNS);
  const found: CampaignText[] = [];
  let partial = false;
  await Promise.all(
    campaigns.map(async (campaign) => {
      let cursor: string | undefined;
      let seen = 0;
      do {
        const page = await must(
          api.GET('/v1/campaigns/{id}/messages', {
            params: { path: { id: campaign.id }, query: { limit: 500, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        );
        seen += page.items.length;
        const entry = page.items.find((item) => item.contactId === contactId);
        if (entry) {
          found.push({ campaign, entry });
          return;
        }
        cursor = page.nextCursor ?? undefined;
      } while (cursor && seen < HISTORY_ENTRIES_PER_CAMPAIGN);
      if (cursor) partial = true;
    }),
  );
  found.sort((a, b) => (b.campaign.launchedAt ?? '').localeCompare(a.campaign.launchedAt ?? ''));
  return { found, partial };
}

function messageColumns(zone: string | undefined): Column<CampaignText>[] {
  return [
    { header: 'Campaign', cell: ({ campaign }) => <Link href={`/campaigns/${campaign.id}`}>{campaign.name}</Link> },
    {
      header: 'Status',
      cell: ({ entry }) => (
        <>
          <StatusBadge status={entry.status} />
          {entry.reason ? ` ${humanize(entry.reason)}` : ''}
        </>
      ),
    },
    { header: 'Sent', cell: ({ entry }) => formatDateTime(entry.sentAt, zone) },
    { header: 'Delivered', cell: ({ entry }) => formatDateTime(entry.deliveredAt, zone) },
    { header: 'Replied', cell: ({ entry }) => formatDateTime(entry.repliedAt, zone) },
  ];
}

export default function ContactPage({ id }: { id: string }) {
  const { api, settings } = useApp();
  const zone = settings?.defaultTimeZone;
  const contact = useAsync(
    (signal) => must(api.GET('/v1/contacts/{id}', { params: { path: { id } }, signal })),
    [api, id],
  );
  const consent = useAsync(
    (signal) => must(api.GET('/v1/contacts/{id}/consent', { params: { path: { id }, query: { limit: 100 } }, signal })),
    [api, id, contact.data?.smsConsent.at],
  );
  const messages = useAsync((signal) => messagesOf(api, id, signal), [api, id]);
  const [newTag, setNewTag] = useState('');
  const errors = useFieldErrors(['tags', 'smsConsent']);
  useTitle(contact.data ? contactName(contact.data) : 'Contact');

  if (contact.error) return <ErrorNote error={contact.error} retry={contact.reload} />;
  if (!contact.data) return <Loading what="the contact" />;
  const c = contact.data;

  const addTag = async (event: FormEvent) => {
    event.preventDefault();
    if (!newTag.trim()) return;
    errors.clear();
    try {
      contact.set(
        await must(api.POST('/v1/contacts/{id}/tags', { params: { path: { id } }, body: { tags: [newTag.trim()] } })),
      );
      setNewTag('');
    } catch (error) {
      errors.fail(error);
    }
  };
  const removeTag = async (tag: string) => {
    errors.clear();
    try {
      contact.set(await must(api.DELETE('/v1/contacts/{id}/tags/{tag}', { params: { path: { id, tag } } })));
    } catch (error) {
      errors.fail(error);
    }
  };
  const setConsent = async (smsConsent: 'opted_in' | 'opted_out') => {
    errors.clear();
    try {
      contact.set(await must(api.PATCH('/v1/contacts/{id}', { params: { path: { id } }, body: { smsConsent } })));
    } catch (error) {
      errors.fail(error);
    }
  };

  return (
    <>
      <PageHeader title={contactName(c)}>
        <p className="subtitle">
          <Link href="/contacts">Contacts</Link> · {c.phone} · {c.timeZone}
        </p>
      </PageHeader>
      <FormError message={errors.general} />
      <div className="two-columns">
        <Card title="Details">
          <dl className="details">
            <dt>Phone</dt>
            <dd>{c.phone}</dd>
            <dt>Email</dt>
            <dd>{c.email ?? '—'}</dd>
            <dt>Time zone</dt>
            <dd>{c.timeZone}</dd>
            <dt>Last text from them</dt>
            <dd>{formatDateTime(c.lastInboundAt, zone)}</dd>
            {Object.entries(c.customFields).map(([field, value]) => (
              <div key={field} className="details-row">
                <dt>{field}</dt>
                <dd>{String(value)}</dd>
              </div>
            ))}
          </dl>
          <h3>Tags</h3>
          <p>
            {c.tags.length === 0 ? 'No tags. ' : null}
            {c.tags.map((tag) => (
              <span key={tag} className="tag">
                {tag}
                <button
                  type="button"
                  className="tag-remove"
                  aria-label={`Remove tag ${tag}`}
                  onClick={() => void removeTag(tag)}
                >
                  ×
                </button>
              </span>
            ))}
          </p>
          <form className="inline-form" onSubmit={addTag}>
            <TextField
              label="Add a tag"
              value={newTag}
              error={errors.at('tags')}
              onChange={(event) => setNewTag(event.target.value)}
            />
            <button type="submit" className="button">
              Add tag
            </button>
          </form>
        </Card>
        <Card title="Consent">
          <p>
            <StatusBadge status={c.smsConsent.status} /> since {formatDateTime(c.smsConsent.at, zone)} (
            {humanize(c.smsConsent.source)})
          </p>
          <FieldError message={errors.at('smsConsent')} />
          {c.smsConsent.status === 'opted_out' && PERSON_SOURCES.has(c.smsConsent.source) ? (
            <p className="hint">Only the person can opt back in, by texting START to your number.</p>
          ) : c.smsConsent.status === 'opted_out' ? (
            <button type="button" className="button" onClick={() => void setConsent('opted_in')}>
              Opt back in
            </button>
          ) : (
            <button type="button" className="button button-danger" onClick={() => void setConsent('opted_out')}>
              Opt out (they asked to stop)
            </button>
          )}
          <h3>History</h3>
          <Loaded state={consent} what="consent history">
            {(history) => (
              <ol className="timeline">
                {history.items.map((event) => (
                  <li key={`${event.at}-${event.status}-${event.source}`}>
                    <StatusBadge status={event.status} /> {formatDateTime(event.at, zone)} · {humanize(event.source)}
                    {event.note ? ` · “${event.note}”` : ''}
                    {event.flaggedForReview ? ' · flagged for review' : ''}
                  </li>
                ))}
              </ol>
            )}
          </Loaded>
        </Card>
      </div>
      <Card title="Messages">
        <Loaded
          state={messages}
          what="messages"
          isEmpty={(data) => data.found.length === 0}
          empty={<p className="hint">No campaign texts to this contact yet.</p>}
        >
          {(data) => (
            <DataTable
              label="Messages"
              columns={messageColumns(zone)}
              rows={data.found}
              rowKey={(row) => row.campaign.id}
            />
          )}
        </Loaded>
        <p className="hint">
          Texts from campaigns (the {HISTORY_CAMPAIGNS} most recent{messages.data?.partial ? ', partly' : ''}); the
          words of their replies and workflow texts are not available through the API yet.
        </p>
      </Card>
    </>
  );
}
