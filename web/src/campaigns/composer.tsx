import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { must } from '../api/client';
import type { Audience, AudiencePreview, MessageType, SmsPreview } from '../api/types';
import { useApp } from '../app-context';
import { contactName, formatNumber } from '../lib/format';
import { useDebounced } from '../lib/hooks';
import { FieldShell, SelectField, TextField } from '../ui/forms';

/**
 * How long typing must pause before the count of the text is asked for: short enough to feel live (goal: 300 ms from
 * a change to the count), long enough not to ask once per key while someone types fast.
 */
export const PREVIEW_DEBOUNCE_MS = 80;
/** The worst case over the whole audience personalises every recipient's text: asked for after a longer pause. */
export const AUDIENCE_PREVIEW_DEBOUNCE_MS = 300;

export interface ComposerProps {
  body: string;
  onChange: (body: string) => void;
  audience: Audience | undefined;
  messageType: MessageType;
  /** Contacts to preview the text for (the audience's sample). */
  sample: AudiencePreview['sample'];
  error?: string | undefined;
  /** The message box's label ("Message"; an A/B version names itself). */
  label?: string | undefined;
}

interface Counts {
  body: string;
  plain?: SmsPreview;
  overAudience?: SmsPreview;
  failed?: string;
}

const chipFor = (field: string, fallback: string) =>
  fallback ? `{{contact.${field} | default: "${fallback.replace(/"/g, "'")}"}}` : `{{contact.${field}}}`;

/**
 * The message box with its live counts: characters, encoding and segments of the text as sent (footer included),
 * the worst case per recipient over the audience after personalisation, the content warnings, and a preview for a
 * sample contact. Counts come from `POST /v1/sms/preview`, so they are the server's own rules.
 */
export function Composer({ body, onChange, audience, messageType, sample, error, label = 'Message' }: ComposerProps) {
  const { api, settings } = useApp();
  const textarea = useRef<HTMLTextAreaElement>(null);
  const [fallback, setFallback] = useState('there');
  const [previewFor, setPreviewFor] = useState('');
  const [counts, setCounts] = useState<Counts>({ body: '' });
  const [personal, setPersonal] = useState<SmsPreview>();
  const debouncedBody = useDebounced(body, PREVIEW_DEBOUNCE_MS);
  const audienceBody = useDebounced(body, AUDIENCE_PREVIEW_DEBOUNCE_MS);
  const audienceKey = JSON.stringify(audience ?? null);
  const countsId = useId();

  // The text alone answers fast (the live count); over the audience adds the per-recipient worst case.
  useEffect(() => {
    if (!debouncedBody) {
      setCounts({ body: '' });
      return;
    }
    const controller = new AbortController();
    must(api.POST('/v1/sms/preview', { body: { body: debouncedBody, messageType }, signal: controller.signal }))
      .then((plain) => {
        if (!controller.signal.aborted)
          setCounts((previous) => ({ ...previous, body: debouncedBody, plain, failed: undefined }));
      })
      .catch((failure: Error) => {
        if (!controller.signal.aborted)
          setCounts((previous) => ({ ...previous, body: debouncedBody, failed: failure.message }));
      });
    return () => controller.abort();
  }, [api, debouncedBody, messageType]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: audienceKey stands for the audience object.
  useEffect(() => {
    if (!audienceBody || !audience) {
      setCounts((previous) => ({ ...previous, overAudience: undefined }));
      return;
    }
    const controller = new AbortController();
    must(
      api.POST('/v1/sms/preview', {
        body: { body: audienceBody, messageType, audience },
        signal: controller.signal,
      }),
    )
      .then((overAudience) => !controller.signal.aborted && setCounts((previous) => ({ ...previous, overAudience })))
      .catch(() => undefined);
    return () => controller.abort();
  }, [api, audienceBody, messageType, audienceKey]);

  useEffect(() => {
    if (!previewFor || !debouncedBody) {
      setPersonal(undefined);
      return;
    }
    const controller = new AbortController();
    must(
      api.POST('/v1/sms/preview', {
        body: { body: debouncedBody, contactId: previewFor, messageType },
        signal: controller.signal,
      }),
    )
      .then((answer) => !controller.signal.aborted && setPersonal(answer))
      .catch(() => undefined);
    return () => controller.abort();
  }, [api, debouncedBody, previewFor, messageType]);

  const customFields = useMemo(
    () => [...new Set(sample.flatMap((contact) => Object.keys(contact.customFields ?? {})))].sort(),
    [sample],
  );

  const insert = (token: string) => {
    const element = textarea.current;
    const start = element?.selectionStart ?? body.length;
    const end = element?.selectionEnd ?? body.length;
    const next = body.slice(0, start) + token + body.slice(end);
    onChange(next);
    requestAnimationFrame(() => {
      element?.focus();
      element?.setSelectionRange(start + token.length, start + token.length);
    });
  };

  const plain = counts.plain;
  const worst = counts.overAudience?.worstCase;
  const stale = body !== counts.body;
  const footer =
    settings?.autoAppendOptOut && messageType === 'PROMOTIONAL' && plain?.finalBody.endsWith(settings.optOutText)
      ? settings.optOutText
      : undefined;
  const shown = personal ?? plain;

  return (
    <div className="composer">
      <div className="composer-main">
        <FieldShell
          label={label}
          error={error}
          hint="Personalise with the buttons below; the counts include the footer and update as you type."
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              ref={textarea}
              id={id}
              name="body"
              rows={6}
              value={body}
              aria-describedby={[describedBy, countsId].filter(Boolean).join(' ')}
              aria-invalid={invalid || undefined}
              onChange={(event) => onChange(event.target.value)}
            />
          )}
        </FieldShell>
        {footer ? (
          <p className="footer-note">
            Appended to every text: <span className="footer-text">{footer}</span>
          </p>
        ) : null}
        <fieldset className="chips">
          <legend>Personalise</legend>
          <button type="button" className="chip" onClick={() => insert(chipFor('first_name', fallback))}>
            + First name
          </button>
          <button type="button" className="chip" onClick={() => insert(chipFor('last_name', ''))}>
            + Last name
          </button>
          {customFields.map((field) => (
            <button key={field} type="button" className="chip" onClick={() => insert(chipFor(field, ''))}>
              + {field}
            </button>
          ))}
          <TextField
            className="inline-field"
            label="Default when the first name is missing"
            value={fallback}
            onChange={(event) => setFallback(event.target.value)}
          />
        </fieldset>
      </div>

      <aside className="composer-side" aria-label="Length and preview">
        <div id={countsId} className={`counts${stale ? ' counts-stale' : ''}`} aria-live="polite">
          <dl className="count-grid">
            <div>
              <dt>Characters</dt>
              <dd data-testid="count-characters">{plain ? formatNumber(plain.characters) : '0'}</dd>
            </div>
            <div>
              <dt>Encoding</dt>
              <dd data-testid="count-encoding">{plain ? plain.encoding : '—'}</dd>
            </div>
            <div>
              <dt>Segments</dt>
              <dd data-testid="count-segments">{plain ? plain.segments : 0}</dd>
            </div>
            <div>
              <dt>Worst case per recipient</dt>
              <dd data-testid="count-worst">
                {worst ? `${worst.segments} segment${worst.segments === 1 ? '' : 's'}` : '—'}
              </dd>
            </div>
          </dl>
          {plain ? (
            <p className="hint">
              {plain.remainingInSegment} characters left in this segment ({plain.unitsPerSegment} per segment in{' '}
              {plain.encoding}).
              {worst && worst.contacts > 0
                ? ` ${formatNumber(worst.contacts)} recipient${worst.contacts === 1 ? '' : 's'} get${worst.contacts === 1 ? 's' : ''} the longest text;`
                : ''}
              {counts.overAudience?.estimatedSegments !== undefined
                ? ` about ${formatNumber(counts.overAudience.estimatedSegments)} segments over the whole audience.`
                : ''}
            </p>
          ) : null}
          {counts.failed ? <p className="field-error">{counts.failed}</p> : null}
        </div>

        {plain && plain.nonGsmCharacters.length > 0 ? (
          <div className="banner banner-warning">
            <strong>Unicode characters</strong> make every segment shorter (70 instead of 160):{' '}
            {plain.nonGsmCharacters.map((char) => (
              <span key={`${char.position}-${char.char}`} className="char">
                “{char.char}”{char.replacement ? ` → “${char.replacement}”` : ''}{' '}
              </span>
            ))}
          </div>
        ) : null}

        {plain && plain.warnings.length > 0 ? (
          <ul className="warnings" aria-label="Content warnings">
            {plain.warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        ) : null}

        <SelectField label="Preview for" value={previewFor} onChange={(event) => setPreviewFor(event.target.value)}>
          <option value="">No one in particular</option>
          {sample.map((contact) => (
            <option key={contact.id} value={contact.id}>
              {contactName(contact)}
            </option>
          ))}
        </SelectField>
        <section className="phone" aria-label="Preview of the text">
          <p className="bubble">{shown?.finalBody ?? (body || 'Your message appears here.')}</p>
        </section>
      </aside>
    </div>
  );
}
