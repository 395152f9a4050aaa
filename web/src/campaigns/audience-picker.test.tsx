import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudiencePreview, TagSummary } from '../api/types';
import type { AudienceDraft } from './audience';
import { AudienceCount, AudiencePicker } from './audience-picker';

const TAGS: TagSummary[] = [
  { tag: 'Newsletter', contacts: 20 },
  { tag: 'VIP', contacts: 94 },
  { tag: 'Past Client', contacts: 24 },
];

function Harness({ initial }: { initial: AudienceDraft }) {
  const [draft, setDraft] = useState(initial);
  return (
    <>
      <AudiencePicker value={draft} onChange={setDraft} smartLists={[]} knownTags={TAGS} />
      <output data-testid="draft">{JSON.stringify(draft)}</output>
    </>
  );
}

const suggestions = () =>
  Array.from(
    screen.getByRole('group', { name: /Your tags/ }).querySelectorAll('button'),
    (button) => button.textContent,
  );

afterEach(cleanup);

describe('the audience picker', () => {
  it('offers the tags most used first, with their counts, and a click adds one to "Any of these tags"', () => {
    // Arrange
    render(<Harness initial={{ kind: 'tags', any: [], all: [], none: ['Past Client'] }} />);

    // Act
    const offered = suggestions();
    fireEvent.click(screen.getByRole('button', { name: /^\+ VIP/ }));

    // Assert: a tag already chosen (Past Client, in "none") is not offered; VIP, once added, no longer is.
    expect(offered).toEqual(['+ VIP (94)', '+ Newsletter (20)']);
    expect(JSON.parse(screen.getByTestId('draft').textContent ?? '')).toEqual({
      kind: 'tags',
      any: ['VIP'],
      all: [],
      none: ['Past Client'],
    });
    expect(suggestions()).toEqual(['+ Newsletter (20)']);
  });

  it('shows the count out of all the contacts, and the whole list before anything is chosen', () => {
    // Arrange
    const preview = {
      matched: 94,
      eligible: 81,
      excluded: { optedOut: 0, noConsent: 13, invalidPhone: 0, frequencyCapped: 0 },
      sample: [],
    } as unknown as AudiencePreview;

    // Act
    const { rerender } = render(<AudienceCount preview={undefined} total={300} loading={false} />);
    const before = document.body.textContent;
    rerender(<AudienceCount preview={preview} total={300} loading={false} />);

    // Assert
    expect(before).toContain('(you have 300 contacts)');
    expect(screen.getByTestId('audience-eligible').textContent).toBe('81');
    expect(document.body.textContent).toContain('94 of your 300 contacts match');
  });
});
