import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api } from '../api/client';
import type { Settings, SmsPreview } from '../api/types';
import { AppContext, type AppContextValue } from '../app-context';
import { type AbTestDraft, addVariant, evenShares, removeVariant, startTesting, type VariantDraft } from './variants';
import { VariantsEditor } from './variants-editor';

describe('A/B version shares', () => {
  it('splits evenly into whole percentages that add up to 100, for 2 to 5 versions', () => {
    expect(evenShares(2)).toEqual([50, 50]);
    expect(evenShares(3)).toEqual([34, 33, 33]);
    for (let count = 2; count <= 5; count++) expect(evenShares(count).reduce((a, b) => a + b, 0)).toBe(100);
  });

  it('starts from the message as version A, adds up to five and removes down to two, the split even each time', () => {
    const two = startTesting('Open house Saturday');
    expect(two).toEqual([
      { body: 'Open house Saturday', percent: 50 },
      { body: '', percent: 50 },
    ]);
    let many = two;
    for (let i = 0; i < 5; i++) many = addVariant(many);
    expect(many.map((v) => v.percent)).toEqual([20, 20, 20, 20, 20]);
    expect(removeVariant(removeVariant(removeVariant(removeVariant(many, 4), 3), 2), 1)).toHaveLength(2);
  });
});

function Harness({ initial, onStop }: { initial: VariantDraft[]; onStop: () => void }) {
  const [variants, setVariants] = useState(initial);
  const [abTest, setAbTest] = useState<AbTestDraft | null>(null);
  return (
    <VariantsEditor
      variants={variants}
      abTest={abTest}
      onChange={(nextVariants, nextTest) => {
        setVariants(nextVariants);
        setAbTest(nextTest);
      }}
      onStop={onStop}
      audience={{ tags: { any: ['VIP'] } }}
      messageType="PROMOTIONAL"
      sample={[]}
      errorAt={(path) => (path === 'variants.1.body' ? 'must not be empty' : undefined)}
      tracksLinks={false}
    />
  );
}

function renderEditor(initial: VariantDraft[]) {
  const api = {
    POST: async (_path: string, options: { body: { body: string } }) => ({
      data: {
        finalBody: options.body.body,
        characters: options.body.body.length,
        encoding: 'GSM-7',
        segments: 1,
        unitsPerSegment: 160,
        remainingInSegment: 160 - options.body.body.length,
        nonGsmCharacters: [],
        warnings: [],
      } as unknown as SmsPreview,
      response: new Response('{}'),
    }),
  } as unknown as Api;
  const context: AppContextValue = {
    api,
    config: { auth: 'local' },
    tenantId: 't',
    settings: { autoAppendOptOut: false, optOutText: '' } as unknown as Settings,
    refreshSettings: () => undefined,
    readNow: async () => new Date(0),
    signOut: () => undefined,
  };
  let stopped = 0;
  render(
    <AppContext.Provider value={context}>
      <Harness initial={initial} onStop={() => stopped++} />
    </AppContext.Provider>,
  );
  return { stopped: () => stopped };
}

describe('VariantsEditor', () => {
  afterEach(cleanup);

  it('edits each version with its own counts and share, and says when the shares do not add up to 100', async () => {
    renderEditor(startTesting('Open house Saturday'));
    expect((screen.getByLabelText('Version A message') as HTMLTextAreaElement).value).toBe('Open house Saturday');
    fireEvent.change(screen.getByLabelText('Version B message'), { target: { value: 'Tour on Saturday?' } });
    expect((screen.getByLabelText('Version B message') as HTMLTextAreaElement).value).toBe('Tour on Saturday?');
    expect(screen.getByText('must not be empty')).toBeTruthy();
    expect(screen.getByText('The shares add up to 100%.')).toBeTruthy();

    fireEvent.change(screen.getByLabelText('Version A share (%)'), { target: { value: '70' } });
    expect(screen.getByText(/The shares add up to 120%; they must add up to 100%/).getAttribute('role')).toBe('alert');
    fireEvent.click(screen.getByRole('button', { name: 'Split evenly' }));
    await waitFor(() => expect(screen.getByText('The shares add up to 100%.')).toBeTruthy());
  });

  it('adds a third version with an even split, removes it again, and goes back to one message', () => {
    const { stopped } = renderEditor(startTesting('Hi'));
    fireEvent.click(screen.getByRole('button', { name: 'Add a version' }));
    expect((screen.getByLabelText('Version C share (%)') as HTMLInputElement).value).toBe('33');
    expect((screen.getByLabelText('Version A share (%)') as HTMLInputElement).value).toBe('34');
    fireEvent.click(screen.getByRole('button', { name: 'Remove Version C' }));
    expect(screen.queryByLabelText('Version C message')).toBeNull();
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Back to one message' }));
    expect(stopped()).toBe(1);
  });

  it('turns test-then-winner on with sensible defaults; click-through is offered only with tracked links', () => {
    renderEditor(startTesting('Hi'));
    expect(screen.queryByLabelText('Test share (% of the audience)')).toBeNull();
    fireEvent.click(screen.getByRole('checkbox'));
    expect((screen.getByLabelText('Test share (% of the audience)') as HTMLInputElement).value).toBe('20');
    expect((screen.getByLabelText('Wait before picking the winner (minutes)') as HTMLInputElement).value).toBe('240');
    const clickThrough = screen.getByRole('option', {
      name: 'Click-through rate (tracked links)',
    }) as HTMLOptionElement;
    expect(clickThrough.disabled).toBe(true);
  });
});
