import { type KeyboardEvent, useId, useState } from 'react';
import type { AudiencePreview, SmartList, TagSummary } from '../api/types';
import { formatNumber } from '../lib/format';
import { FieldError } from '../ui/forms';
import type { AudienceDraft } from './audience';

type TagGroup = 'any' | 'all' | 'none';

const GROUPS: { key: TagGroup; label: string; hint: string }[] = [
  { key: 'any', label: 'Any of these tags', hint: 'Contacts with at least one of them.' },
  { key: 'all', label: 'All of these tags', hint: 'Contacts with every one of them.' },
  { key: 'none', label: 'None of these tags', hint: 'Leaves out contacts with any of them.' },
];

function TagList({
  label,
  hint,
  tags,
  knownTags,
  onChange,
  error,
}: {
  label: string;
  hint: string;
  tags: string[];
  knownTags: string[];
  onChange: (tags: string[]) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const add = () => {
    const tag = text.trim();
    if (tag && !tags.includes(tag)) onChange([...tags, tag]);
    setText('');
  };
  const onKey = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter' || event.key === ',') {
      event.preventDefault();
      add();
    } else if (event.key === 'Backspace' && !text && tags.length) {
      onChange(tags.slice(0, -1));
    }
  };
  return (
    <div className={`field tag-field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="tag-input">
        {tags.map((tag) => (
          <span key={tag} className="tag">
            {tag}
            <button
              type="button"
              className="tag-remove"
              aria-label={`Remove ${tag} from ${label.toLowerCase()}`}
              onClick={() => onChange(tags.filter((other) => other !== tag))}
            >
              ×
            </button>
          </span>
        ))}
        <input
          id={id}
          list={`${id}-tags`}
          value={text}
          placeholder="Type a tag, then Enter"
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKey}
          onBlur={add}
        />
        <datalist id={`${id}-tags`}>
          {knownTags
            .filter((tag) => !tags.includes(tag))
            .map((tag) => (
              <option key={tag} value={tag} />
            ))}
        </datalist>
      </div>
      <p className="hint" id={`${id}-hint`}>
        {hint}
      </p>
      <FieldError message={error} id={`${id}-error`} />
    </div>
  );
}

/** The live count of who gets the text, and why the others do not; `total` is how many contacts there are in all. */
export function AudienceCount({
  preview,
  total,
  loading,
}: {
  preview: AudiencePreview | undefined;
  total?: number | undefined;
  loading: boolean;
}) {
  const ofTotal = total === undefined ? '' : ` of your ${formatNumber(total)}`;
  return (
    <div className={`audience-count${loading ? ' counts-stale' : ''}`} aria-live="polite">
      <p className="big-number">
        <span data-testid="audience-eligible">{preview ? formatNumber(preview.eligible) : '—'}</span>{' '}
        <span className="big-number-label">will get this text</span>
      </p>
      {preview ? (
        <>
          <p className="hint">
            {formatNumber(preview.matched)}
            {ofTotal} contacts match; left out:
          </p>
          <ul className="exclusions">
            <li>
              Opted out: <strong data-testid="excluded-opted-out">{formatNumber(preview.excluded.optedOut)}</strong>
            </li>
            <li>
              No consent: <strong>{formatNumber(preview.excluded.noConsent)}</strong>
            </li>
            <li>
              Invalid number: <strong>{formatNumber(preview.excluded.invalidPhone)}</strong>
            </li>
            <li>
              Texted recently (frequency cap): <strong>{formatNumber(preview.excluded.frequencyCapped)}</strong>
            </li>
          </ul>
        </>
      ) : (
        <p className="hint">
          Choose tags or a Smart List to see who gets the text
          {total === undefined ? '.' : ` (you have ${formatNumber(total)} contacts).`}
        </p>
      )}
    </div>
  );
}

/** How many of the contacts' tags are offered as one-click choices. */
const SUGGESTED_TAGS = 24;

/** The contacts' tags as buttons, so that nobody has to guess a tag's name: a click adds it to "Any of these tags". */
function TagSuggestions({
  tags,
  knownTags,
  onChange,
}: {
  tags: Extract<AudienceDraft, { kind: 'tags' }>;
  knownTags: TagSummary[];
  onChange: (draft: AudienceDraft) => void;
}) {
  const chosen = new Set([...tags.any, ...tags.all, ...tags.none]);
  // The most used first: those are the audiences people most often mean.
  const offered = knownTags
    .filter(({ tag }) => !chosen.has(tag))
    .sort((a, b) => b.contacts - a.contacts)
    .slice(0, SUGGESTED_TAGS);
  if (offered.length === 0) return null;
  return (
    <fieldset className="chips tag-suggestions">
      <legend>Your tags: choose one to add it to “Any of these tags”</legend>
      {offered.map(({ tag, contacts }) => (
        <button key={tag} type="button" className="chip" onClick={() => onChange({ ...tags, any: [...tags.any, tag] })}>
          + {tag} <span className="chip-count">({formatNumber(contacts)})</span>
        </button>
      ))}
    </fieldset>
  );
}

/** Tag groups (any/all/none) or a Smart List. */
export function AudiencePicker({
  value,
  onChange,
  smartLists,
  knownTags,
  error,
}: {
  value: AudienceDraft;
  onChange: (draft: AudienceDraft) => void;
  smartLists: SmartList[];
  knownTags: TagSummary[];
  error?: string | undefined;
}) {
  const name = useId();
  const tags = value.kind === 'tags' ? value : { kind: 'tags' as const, any: [], all: [], none: [] };
  return (
    <div className="audience-picker">
      <fieldset className="radio-group">
        <legend>Send to</legend>
        <label>
          <input
            type="radio"
            name={name}
            checked={value.kind === 'tags'}
            onChange={() => onChange({ kind: 'tags', any: [], all: [], none: [] })}
          />{' '}
          Contacts by tag
        </label>
        <label>
          <input
            type="radio"
            name={name}
            checked={value.kind === 'smartList'}
            onChange={() => onChange({ kind: 'smartList', smartListId: smartLists[0]?.id ?? '' })}
          />{' '}
          A Smart List
        </label>
      </fieldset>
      {value.kind === 'tags' ? <TagSuggestions tags={tags} knownTags={knownTags} onChange={onChange} /> : null}
      {value.kind === 'tags' ? (
        GROUPS.map((group, index) => (
          <TagList
            key={group.key}
            label={group.label}
            hint={group.hint}
            tags={tags[group.key]}
            knownTags={knownTags.map(({ tag }) => tag)}
            error={index === 0 ? error : undefined}
            onChange={(next) => onChange({ ...tags, [group.key]: next })}
          />
        ))
      ) : (
        <div className={`field${error ? ' field-invalid' : ''}`}>
          <label htmlFor={`${name}-list`}>Smart List</label>
          <select
            id={`${name}-list`}
            value={value.smartListId}
            onChange={(event) => onChange({ kind: 'smartList', smartListId: event.target.value })}
          >
            {smartLists.length === 0 ? <option value="">No Smart Lists yet</option> : null}
            {smartLists.map((list) => (
              <option key={list.id} value={list.id}>
                {list.name}
              </option>
            ))}
          </select>
          <FieldError message={error} />
        </div>
      )}
    </div>
  );
}
