import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Api } from '../api/client';
import type { Settings, SmsPreview } from '../api/types';
import { AppContext, type AppContextValue } from '../app-context';
import { Composer } from './composer';

const FOOTER = 'Reply STOP to unsubscribe';

/** A stand-in for `POST /v1/sms/preview`: GSM-7 160/153 per segment, UCS-2 70/67, the footer appended. */
function fakePreview(body: string, overAudience: boolean): SmsPreview {
  const finalBody = `${body}\n${FOOTER}`;
  const unicode = [...finalBody].some((char) => (char.codePointAt(0) ?? 0) > 127);
  const single = unicode ? 70 : 160;
  const multi = unicode ? 67 : 153;
  const characters = [...finalBody].length;
  const segments = characters <= single ? 1 : Math.ceil(characters / multi);
  // Personalisation: the longest first name in the audience is 40 characters longer than the default.
  const worstCharacters = characters + (body.includes('{{contact.first_name') ? 40 : 0);
  const worstSegments = worstCharacters <= single ? 1 : Math.ceil(worstCharacters / multi);
  return {
    text: body,
    encoding: unicode ? 'UCS-2' : 'GSM-7',
    segments,
    characters,
    units: characters,
    unitsPerSegment: segments === 1 ? single : multi,
    remainingInSegment: (segments === 1 ? single : multi * segments) - characters,
    nonGsmCharacters: [],
    appliedReplacements: [],
    finalBody,
    warnings:
      body.toUpperCase() === body && body.length > 10
        ? [{ code: 'ALL_CAPS', message: 'All capitals read as shouting.' }]
        : [],
    ...(overAudience
      ? { worstCase: { segments: worstSegments, contacts: 3 }, estimatedSegments: worstSegments * 10 }
      : {}),
  } as SmsPreview;
}

function Harness({ initial, context }: { initial: string; context: AppContextValue }) {
  const [body, setBody] = useState(initial);
  return (
    <AppContext.Provider value={context}>
      <Composer
        body={body}
        onChange={setBody}
        audience={{ tags: { any: ['VIP'] } }}
        messageType="PROMOTIONAL"
        sample={[]}
      />
    </AppContext.Provider>
  );
}

function renderComposer(initial = '') {
  const calls: { body: string; audience: boolean }[] = [];
  const api = {
    POST: async (_path: string, options: { body: { body: string; audience?: unknown } }) => {
      calls.push({ body: options.body.body, audience: options.body.audience !== undefined });
      return {
        data: fakePreview(options.body.body, options.body.audience !== undefined),
        response: new Response('{}'),
      };
    },
  } as unknown as Api;
  const settings = { autoAppendOptOut: true, optOutText: FOOTER } as Settings;
  const context: AppContextValue = {
    api,
    config: { auth: 'local' },
    tenantId: 't',
    settings,
    refreshSettings: () => undefined,
    readNow: async () => new Date(0),
    signOut: () => undefined,
  };
  render(<Harness initial={initial} context={context} />);
  return { calls };
}

const count = (id: string) => screen.getByTestId(id).textContent;

describe('Composer live counts', () => {
  afterEach(cleanup);

  it('counts characters, encoding and segments of the text with its footer as you type', async () => {
    renderComposer();
    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'Open house Saturday' } });
    await waitFor(() => expect(count('count-characters')).toBe(String(19 + 1 + FOOTER.length)));
    expect(count('count-encoding')).toBe('GSM-7');
    expect(count('count-segments')).toBe('1');
    expect(screen.getByText(FOOTER)).toBeTruthy();

    fireEvent.change(box, { target: { value: 'x'.repeat(160) } });
    await waitFor(() => expect(count('count-segments')).toBe('2'));
  });

  it('switches to UCS-2 when a character outside GSM-7 is typed', async () => {
    renderComposer('Hello');
    await waitFor(() => expect(count('count-encoding')).toBe('GSM-7'));
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Hello 🎉' } });
    await waitFor(() => expect(count('count-encoding')).toBe('UCS-2'));
  });

  it('shows the worst case per recipient over the audience once personalised', async () => {
    renderComposer();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'x'.repeat(100) } });
    await waitFor(() => expect(count('count-worst')).toBe('1 segment'));
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: '+ First name' }));
    });
    await waitFor(() => expect(count('count-worst')).toBe('2 segments'));
    expect((screen.getByLabelText('Message') as HTMLTextAreaElement).value).toContain(
      '{{contact.first_name | default: "there"}}',
    );
  });

  it('asks once per pause in typing, not once per key', async () => {
    const { calls } = renderComposer();
    const box = screen.getByLabelText('Message');
    for (const text of ['H', 'He', 'Hel', 'Hell', 'Hello']) fireEvent.change(box, { target: { value: text } });
    await waitFor(() => expect(count('count-characters')).toBe(String(5 + 1 + FOOTER.length)));
    expect(calls.filter((call) => !call.audience).map((call) => call.body)).toEqual(['Hello']);
  });

  it('lists the content warnings the API gives', async () => {
    renderComposer();
    fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'HUGE SALE TODAY ONLY' } });
    await screen.findByText('All capitals read as shouting.');
  });
});
