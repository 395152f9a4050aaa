import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { must } from '../api/client';
import type { AudiencePreview, Campaign, MessageType, SmartList, TagSummary } from '../api/types';
import { useApp } from '../app-context';
import { formatNumber, partsInZone, timeZones } from '../lib/format';
import { useAsync, useDebounced } from '../lib/hooks';
import { navigate, useTitle } from '../lib/router';
import { SampleContactsOffer } from '../pages/sample-contacts';
import { FormError, SelectField, TextField, useFieldErrors } from '../ui/forms';
import { Banner, ErrorNote, Loading, PageHeader } from '../ui/parts';
import { type AudienceDraft, describeAudience, emptyAudience, fromAudience, toAudience } from './audience';
import { AudienceCount, AudiencePicker } from './audience-picker';
import { Composer } from './composer';
import { type SendPlan, sendWarnings } from './send-warnings';
import { type AbTestDraft, abTestInput, startTesting, type VariantDraft, type WinnerMetric } from './variants';
import { VariantsEditor } from './variants-editor';

const STEPS = ['Name', 'Audience', 'Message', 'Send'] as const;
const LOCAL_DRAFT_KEY = 'sms-console.new-campaign';
/** Edits are saved once typing pauses this long. */
const AUTOSAVE_MS = 700;

interface Draft {
  name: string;
  audience: AudienceDraft;
  body: string;
  messageType: MessageType;
  /** A/B versions (null: one message, `body`). */
  variants: VariantDraft[] | null;
  abTest: AbTestDraft | null;
}

/** The step that shows the field an API error names. */
function stepOf(path: string): number | undefined {
  const field = path.split('.')[0];
  if (field === 'name' || field === 'messageType') return 0;
  if (field === 'audience') return 1;
  if (field === 'body' || field === 'variants' || field === 'abTest') return 2;
  if (field === 'sendAt' || field === 'timeZone' || field === 'recipientTimeZone') return 3;
  return undefined;
}

const blankDraft: Draft = {
  name: '',
  audience: emptyAudience,
  body: '',
  messageType: 'PROMOTIONAL',
  variants: null,
  abTest: null,
};

function readLocalDraft(): Draft {
  try {
    return { ...blankDraft, ...(JSON.parse(localStorage.getItem(LOCAL_DRAFT_KEY) ?? '{}') as Partial<Draft>) };
  } catch {
    return blankDraft;
  }
}

/** The API's campaign input: one message, or A/B versions (version A's text lists the campaign). */
const inputOf = (draft: Draft) => ({
  name: draft.name.trim(),
  audience: toAudience(draft.audience),
  body: draft.variants ? (draft.variants[0]?.body ?? '') : draft.body,
  messageType: draft.messageType,
  variants: draft.variants,
  abTest: draft.variants ? abTestInput(draft.abTest) : null,
});

/** Every text the draft would send is written. */
const hasText = (draft: Draft) =>
  draft.variants ? draft.variants.every((variant) => variant.body.trim() !== '') : draft.body !== '';

type SaveState = 'idle' | 'saving' | 'saved' | 'failed';

/** New or edit campaign, as steps: name, audience (live count), message (live counts), send now or schedule. */
export default function CampaignEditorPage({ id }: { id?: string | undefined }) {
  const { api, settings, readNow } = useApp();
  const [campaignId, setCampaignId] = useState(id);
  const [draft, setDraft] = useState<Draft>(() => (id ? blankDraft : readLocalDraft()));
  const [loaded, setLoaded] = useState(!id);
  const [loadError, setLoadError] = useState<Error>();
  const [step, setStep] = useState(0);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const savedRef = useRef<string>('');
  const savingRef = useRef<Promise<string | undefined>>(Promise.resolve(id));
  /** The campaign this page created: its URL changes to its edit page, but nothing needs loading. */
  const createdRef = useRef<string>(undefined);
  /** The saved campaign's id, read by effects that may run before a re-render shows the new id. */
  const idRef = useRef(id);
  const errors = useFieldErrors([
    'name',
    'audience',
    'body',
    'variants',
    'abTest',
    'messageType',
    'sendAt',
    'timeZone',
    'recipientTimeZone',
  ]);
  useTitle(draft.name ? `Campaign: ${draft.name}` : 'New campaign');

  // An existing draft: load it once (a new one that has just been created keeps its state).
  useEffect(() => {
    if (!id || id === createdRef.current) return;
    must(api.GET('/v1/campaigns/{id}', { params: { path: { id } } }))
      .then((campaign: Campaign) => {
        if (campaign.status !== 'draft') {
          navigate(`/campaigns/${campaign.id}`, { replace: true });
          return;
        }
        const next: Draft = {
          name: campaign.name,
          audience: fromAudience(campaign.audience),
          body: campaign.body,
          messageType: campaign.messageType,
          variants: campaign.variants?.map(({ body, percent }) => ({ body, percent })) ?? null,
          abTest: campaign.abTest
            ? {
                testPercent: campaign.abTest.testPercent,
                waitMinutes: campaign.abTest.waitMinutes,
                winnerMetric: campaign.abTest.winnerMetric as WinnerMetric,
              }
            : null,
        };
        savedRef.current = JSON.stringify(inputOf(next));
        setDraft(next);
        setLoaded(true);
      })
      .catch(setLoadError);
  }, [api, id]);

  const smartLists = useAsync(
    async (signal) => (await must(api.GET('/v1/smart-lists', { params: { query: { limit: 500 } }, signal }))).items,
    [api],
  );
  // The tenant's tags with how many contacts carry each: the picker offers them, so no tag name is guessed.
  const knownTags = useAsync(
    async (signal) => {
      const tags: TagSummary[] = [];
      let cursor: string | undefined;
      do {
        const page = await must(
          api.GET('/v1/tags', { params: { query: { limit: 500, ...(cursor ? { cursor } : {}) } }, signal }),
        );
        tags.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return tags;
    },
    [api],
  );

  // The whole list, counted as the editor opens: the audience step shows it beside the live count, and the server's
  // snapshot of the contacts is then warm by the time a tag is chosen (every count after that takes milliseconds).
  const everyone = useAsync(
    async (signal) =>
      (await must(api.POST('/v1/audiences/preview', { body: { audience: { filter: { all: [] } } }, signal }))).matched,
    [api],
  );

  // The live audience count.
  const audience = toAudience(draft.audience);
  const audienceKey = JSON.stringify(audience ?? null);
  const [preview, setPreview] = useState<{ key: string; value: AudiencePreview }>();
  const [previewError, setPreviewError] = useState<string>();
  // A tag added or removed is one deliberate change, not typing: it is counted at once (a stale answer is dropped).
  // biome-ignore lint/correctness/useExhaustiveDependencies: contacts added here (the sample contacts) count again.
  useEffect(() => {
    const wanted = JSON.parse(audienceKey) as ReturnType<typeof toAudience> | null;
    if (!wanted) {
      setPreview(undefined);
      return;
    }
    const controller = new AbortController();
    must(
      api.POST('/v1/audiences/preview', {
        body: { audience: wanted, messageType: draft.messageType },
        signal: controller.signal,
      }),
    )
      .then((value) => {
        if (controller.signal.aborted) return;
        setPreview({ key: audienceKey, value });
        setPreviewError(undefined);
      })
      .catch((error: Error) => !controller.signal.aborted && setPreviewError(error.message));
    return () => controller.abort();
  }, [api, audienceKey, draft.messageType, everyone.data]);

  // Drafts save as you go: created once it has a name, an audience and a text; then every pause saves the changes.
  const save = useCallback(
    (current: Draft): Promise<string | undefined> => {
      const input = inputOf(current);
      const serialized = JSON.stringify(input);
      savingRef.current = savingRef.current.then(async (existingId) => {
        if (serialized === savedRef.current) return existingId;
        if (!input.name || !input.audience || !hasText(current)) return existingId;
        setSaveState('saving');
        try {
          const body = { ...input, audience: input.audience };
          const campaign = existingId
            ? await must(api.PATCH('/v1/campaigns/{id}', { params: { path: { id: existingId } }, body }))
            : await must(api.POST('/v1/campaigns', { body }));
          savedRef.current = serialized;
          errors.clear();
          setSaveState('saved');
          if (!existingId) {
            createdRef.current = campaign.id;
            idRef.current = campaign.id;
            localStorage.removeItem(LOCAL_DRAFT_KEY);
            setCampaignId(campaign.id);
            navigate(`/campaigns/${campaign.id}/edit`, { replace: true });
          }
          return campaign.id;
        } catch (error) {
          errors.fail(error);
          setSaveState('failed');
          return existingId;
        }
      });
      return savingRef.current;
    },
    [api, errors.clear, errors.fail],
  );

  const debouncedDraft = useDebounced(draft, AUTOSAVE_MS);
  useEffect(() => {
    if (!loaded) return;
    // Until the server has the draft, the browser keeps it (a reload or a closed tab loses nothing).
    if (!idRef.current) localStorage.setItem(LOCAL_DRAFT_KEY, JSON.stringify(debouncedDraft));
    void save(debouncedDraft);
  }, [debouncedDraft, loaded, save]);

  const update = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const smartListName = smartLists.data?.find(
    (list: SmartList) => draft.audience.kind === 'smartList' && list.id === draft.audience.smartListId,
  )?.name;

  if (loadError) return <ErrorNote error={loadError} />;
  if (!loaded) return <Loading what="the campaign" />;

  const missing = !draft.name.trim() ? 0 : !audience ? 1 : !hasText(draft) ? 2 : undefined;

  return (
    <>
      <PageHeader
        title={draft.name.trim() || 'New campaign'}
        actions={
          !campaignId && (draft.name || draft.body || toAudience(draft.audience)) ? (
            <button
              type="button"
              className="button button-quiet"
              onClick={() => {
                localStorage.removeItem(LOCAL_DRAFT_KEY);
                setDraft(blankDraft);
                setStep(0);
              }}
            >
              Start over
            </button>
          ) : null
        }
      >
        <p className="subtitle" aria-live="polite">
          {saveState === 'saving'
            ? 'Saving…'
            : saveState === 'saved'
              ? 'Draft saved'
              : saveState === 'failed'
                ? 'Not saved: see the message below'
                : campaignId
                  ? 'Draft'
                  : 'Saved as a draft once it has a name, an audience and a message'}
        </p>
      </PageHeader>
      <nav aria-label="Campaign steps">
        <ol className="steps">
          {STEPS.map((label, index) => (
            <li key={label}>
              <button
                type="button"
                className="step"
                aria-current={index === step ? 'step' : undefined}
                onClick={() => setStep(index)}
              >
                <span className="step-number">{index + 1}</span> {label}
              </button>
            </li>
          ))}
        </ol>
      </nav>
      <FormError message={errors.general} />
      {errors.issues
        .filter((issue) => stepOf(issue.path) !== undefined && stepOf(issue.path) !== step)
        .map((issue) => (
          <div key={issue.path} className="banner banner-error" role="alert">
            {STEPS[stepOf(issue.path) as number]}: {issue.message}{' '}
            <button type="button" className="link-button" onClick={() => setStep(stepOf(issue.path) as number)}>
              Go to that step
            </button>
          </div>
        ))}

      <section className="card">
        <h2>
          <span className="visually-hidden-label">Step {step + 1} of 4: </span>
          {STEPS[step]}
        </h2>
        {step === 0 ? (
          <TextField
            label="Campaign name"
            name="name"
            value={draft.name}
            maxLength={200}
            autoComplete="off"
            hint="For you and your team; recipients never see it."
            error={errors.at('name')}
            onChange={(event) => update({ name: event.target.value })}
          />
        ) : null}
        {step === 0 ? (
          <SelectField
            label="Kind of message"
            value={draft.messageType}
            error={errors.at('messageType')}
            hint="Marketing texts go only to contacts who opted in, inside your send window, with the opt-out footer."
            onChange={(event) => update({ messageType: event.target.value as MessageType })}
          >
            <option value="PROMOTIONAL">Marketing (promotional)</option>
            <option value="TRANSACTIONAL">Service (transactional)</option>
          </SelectField>
        ) : null}
        {step === 1 ? (
          <div className="two-columns">
            <AudiencePicker
              value={draft.audience}
              onChange={(next) => update({ audience: next })}
              smartLists={smartLists.data ?? []}
              knownTags={knownTags.data ?? []}
              error={errors.at('audience')}
            />
            <div>
              <AudienceCount
                preview={preview?.value}
                total={everyone.data}
                loading={Boolean(audience) && preview?.key !== audienceKey}
              />
              {everyone.data === 0 ? (
                <SampleContactsOffer
                  onLoaded={() => {
                    everyone.reload();
                    knownTags.reload();
                  }}
                />
              ) : null}
              {previewError ? <p className="field-error">{previewError}</p> : null}
            </div>
          </div>
        ) : null}
        {step === 2 && draft.variants ? (
          <VariantsEditor
            variants={draft.variants}
            abTest={draft.abTest}
            onChange={(variants, abTest) => update({ variants, abTest })}
            onStop={() => update({ body: draft.variants?.[0]?.body ?? draft.body, variants: null, abTest: null })}
            audience={audience}
            messageType={draft.messageType}
            sample={preview?.value.sample ?? []}
            errorAt={(path) =>
              errors.issues
                .filter((issue) => issue.path === path)
                .map((issue) => issue.message)
                .join('; ') || undefined
            }
            tracksLinks={settings?.trackLinks ?? false}
          />
        ) : null}
        {step === 2 && !draft.variants ? (
          <>
            <Composer
              body={draft.body}
              onChange={(body) => update({ body })}
              audience={audience}
              messageType={draft.messageType}
              sample={preview?.value.sample ?? []}
              error={errors.at('body')}
            />
            <button
              type="button"
              className="button"
              onClick={() => update({ variants: startTesting(draft.body), abTest: null })}
            >
              Test versions of this message (A/B)
            </button>
          </>
        ) : null}
        {step === 3 ? (
          <SendStep
            campaignId={campaignId}
            ready={missing === undefined}
            missingStep={missing}
            goTo={setStep}
            flush={() => save(draft)}
            summary={{
              name: draft.name.trim(),
              audience: describeAudience(draft.audience, smartListName),
              eligible: preview?.value.eligible,
            }}
            preview={preview?.value}
            errors={errors}
            readNow={readNow}
            settings={settings}
          />
        ) : null}
        {step < 3 ? (
          <div className="step-actions">
            {step > 0 ? (
              <button type="button" className="button" onClick={() => setStep(step - 1)}>
                Back
              </button>
            ) : null}
            <button type="button" className="button button-primary" onClick={() => setStep(step + 1)}>
              Next: {STEPS[step + 1]}
            </button>
          </div>
        ) : null}
      </section>
    </>
  );
}

function SendStep({
  campaignId,
  ready,
  missingStep,
  goTo,
  flush,
  summary,
  preview,
  errors,
  readNow,
  settings,
}: {
  campaignId: string | undefined;
  ready: boolean;
  missingStep: number | undefined;
  goTo: (step: number) => void;
  flush: () => Promise<string | undefined>;
  summary: { name: string; audience: string; eligible: number | undefined };
  preview: AudiencePreview | undefined;
  errors: ReturnType<typeof useFieldErrors>;
  readNow: () => Promise<Date>;
  settings: ReturnType<typeof useApp>['settings'];
}) {
  const { api } = useApp();
  const zone = settings?.defaultTimeZone ?? 'America/New_York';
  const [mode, setMode] = useState<'now' | 'schedule'>('now');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('10:00');
  const [zoneMode, setZoneMode] = useState<'zone' | 'recipient'>('zone');
  const [timeZone, setTimeZone] = useState(zone);
  const [now, setNow] = useState<Date>();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmTitle = useRef<HTMLHeadingElement>(null);
  // The button that opened the confirmation is gone: the keyboard continues at its title.
  useEffect(() => {
    if (confirming) confirmTitle.current?.focus();
  }, [confirming]);
  const zones = useMemo(() => timeZones([zone]), [zone]);

  // Tomorrow by the API's clock (the local stack's clock may be ahead of this machine's).
  useEffect(() => {
    void readNow().then((instant) => {
      setNow(instant);
      setDate((current) => current || partsInZone(new Date(instant.getTime() + 86_400_000), zone).date);
    });
  }, [readNow, zone]);

  const plan: SendPlan | undefined =
    mode === 'now'
      ? now && { mode: 'now', now }
      : { mode: 'schedule', date, time, timeZone: zoneMode === 'recipient' ? 'recipient' : timeZone };
  const warnings = plan ? sendWarnings(plan, settings, preview) : [];

  if (!ready) {
    return (
      <Banner tone="warning">
        Finish the campaign first:{' '}
        <button type="button" className="link-button" onClick={() => goTo(missingStep ?? 0)}>
          {missingStep === 0 ? 'give it a name' : missingStep === 1 ? 'choose an audience' : 'write the message'}
        </button>
        .
      </Banner>
    );
  }

  const review = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setConfirming(true);
  };

  const confirm = async () => {
    setBusy(true);
    try {
      const id = (await flush()) ?? campaignId;
      if (!id) throw new Error('The draft could not be saved; see the messages above.');
      const answer =
        mode === 'now'
          ? await must(api.POST('/v1/campaigns/{id}/send', { params: { path: { id } } }))
          : await must(
              api.POST('/v1/campaigns/{id}/schedule', {
                params: { path: { id } },
                body:
                  zoneMode === 'recipient'
                    ? { sendAt: `${date}T${time}`, recipientTimeZone: true }
                    : { sendAt: `${date}T${time}`, timeZone },
              }),
            );
      sessionStorage.setItem(`sms-console.warnings.${id}`, JSON.stringify(answer.warnings ?? []));
      navigate(`/campaigns/${id}`);
    } catch (error) {
      errors.fail(error);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={review} noValidate>
      <fieldset className="radio-group">
        <legend>When</legend>
        <label>
          <input type="radio" name="when" checked={mode === 'now'} onChange={() => setMode('now')} /> Send now
        </label>
        <label>
          <input type="radio" name="when" checked={mode === 'schedule'} onChange={() => setMode('schedule')} /> Schedule
        </label>
      </fieldset>
      {mode === 'schedule' ? (
        <div className="schedule">
          <div className="two-columns">
            <TextField
              label="Send date"
              type="date"
              name="sendDate"
              value={date}
              error={errors.at('sendAt')}
              onChange={(event) => setDate(event.target.value)}
              required
            />
            <TextField
              label="Send time"
              type="time"
              name="sendTime"
              value={time}
              onChange={(event) => setTime(event.target.value)}
              required
            />
          </div>
          <fieldset className="radio-group">
            <legend>Time zone</legend>
            <label>
              <input type="radio" name="zone" checked={zoneMode === 'zone'} onChange={() => setZoneMode('zone')} /> At
              this time in one time zone
            </label>
            <label>
              <input
                type="radio"
                name="zone"
                checked={zoneMode === 'recipient'}
                onChange={() => setZoneMode('recipient')}
              />{' '}
              At this time in each recipient's own time zone
            </label>
          </fieldset>
          {zoneMode === 'zone' ? (
            <SelectField
              label="Time zone"
              value={timeZone}
              error={errors.at('timeZone', 'recipientTimeZone')}
              onChange={(event) => setTimeZone(event.target.value)}
            >
              {zones.map((name) => (
                <option key={name} value={name}>
                  {name.replace(/_/g, ' ')}
                </option>
              ))}
            </SelectField>
          ) : null}
        </div>
      ) : null}

      {warnings.length > 0 ? (
        <div className="banner banner-warning" role="status">
          <strong>Before you confirm:</strong>
          <ul>
            {warnings.map((warning) => (
              <li key={warning.code}>{warning.message}</li>
            ))}
          </ul>
        </div>
      ) : null}

      {confirming ? (
        <section className="confirm" aria-labelledby="confirm-title">
          <h3 id="confirm-title" ref={confirmTitle} tabIndex={-1}>
            {mode === 'now' ? 'Send this campaign now?' : 'Schedule this campaign?'}
          </h3>
          <p>
            “{summary.name}” to {summary.audience.charAt(0).toLowerCase() + summary.audience.slice(1)}:{' '}
            <strong>
              {summary.eligible === undefined ? 'counting…' : `${formatNumber(summary.eligible)} recipients`}
            </strong>
            {mode === 'schedule'
              ? `, ${date} at ${time} ${zoneMode === 'recipient' ? "in each recipient's time zone" : `(${timeZone})`}`
              : ''}
            .
          </p>
          <div className="step-actions">
            <button type="button" className="button" onClick={() => setConfirming(false)} disabled={busy}>
              Back
            </button>
            <button type="button" className="button button-primary" onClick={confirm} disabled={busy}>
              {busy ? 'Working…' : mode === 'now' ? 'Confirm and send' : 'Confirm schedule'}
            </button>
          </div>
        </section>
      ) : (
        <div className="step-actions">
          <button type="submit" className="button button-primary">
            {mode === 'now' ? 'Review and send' : 'Review schedule'}
          </button>
        </div>
      )}
    </form>
  );
}
