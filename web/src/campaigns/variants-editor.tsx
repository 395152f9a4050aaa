import type { Audience, AudiencePreview, MessageType } from '../api/types';
import { SelectField, TextField } from '../ui/forms';
import { Composer } from './composer';
import {
  type AbTestDraft,
  addVariant,
  DEFAULT_AB_TEST,
  MAX_VARIANTS,
  MIN_VARIANTS,
  removeVariant,
  sharesTotal,
  splitEvenly,
  type VariantDraft,
  versionName,
  type WinnerMetric,
} from './variants';

export interface VariantsEditorProps {
  variants: VariantDraft[];
  abTest: AbTestDraft | null;
  onChange: (variants: VariantDraft[], abTest: AbTestDraft | null) => void;
  /** Back to one message (version A's text). */
  onStop: () => void;
  audience: Audience | undefined;
  messageType: MessageType;
  sample: AudiencePreview['sample'];
  /** The API's error for a field path (`variants`, `variants.1.body`, `abTest.testPercent`...). */
  errorAt: (path: string) => string | undefined;
  /** Whether the campaign shortens and counts its links (click-through can only be the metric then). */
  tracksLinks: boolean;
}

/**
 * A/B versions of the message: 2 to 5 texts, each with its live counts and the share of recipients it gets, and
 * optionally a test share first, then the winner to the rest. The server checks it all again and names the field.
 */
export function VariantsEditor(props: VariantsEditorProps) {
  const { variants, abTest, onChange, errorAt } = props;
  const total = sharesTotal(variants);
  const setVariant = (index: number, patch: Partial<VariantDraft>) =>
    onChange(
      variants.map((variant, at) => (at === index ? { ...variant, ...patch } : variant)),
      abTest,
    );
  const setTest = (patch: Partial<AbTestDraft>) => onChange(variants, { ...(abTest ?? DEFAULT_AB_TEST), ...patch });

  return (
    <div className="variants">
      <p className="hint">
        Each recipient gets one version, the same one however often the campaign is retried; results show each version's
        deliveries, replies and clicks with a note on whether the difference is significant.
      </p>
      {variants.map((variant, index) => (
        <section key={versionName(index)} className="variant" aria-label={versionName(index)}>
          <Composer
            label={`${versionName(index)} message`}
            body={variant.body}
            onChange={(body) => setVariant(index, { body })}
            audience={props.audience}
            messageType={props.messageType}
            sample={props.sample}
            error={errorAt(`variants.${index}.body`)}
          />
          <div className="variant-actions">
            <WholeNumberField
              className="inline-field"
              label={`${versionName(index)} share (%)`}
              range={[1, 99]}
              value={variant.percent}
              error={errorAt(`variants.${index}.percent`)}
              onChange={(percent) => setVariant(index, { percent })}
            />
            {variants.length > MIN_VARIANTS ? (
              <button
                type="button"
                className="button button-quiet"
                onClick={() => onChange(removeVariant(variants, index), abTest)}
              >
                Remove {versionName(index)}
              </button>
            ) : null}
          </div>
        </section>
      ))}
      <p className={total === 100 ? 'hint' : 'field-error'} role={total === 100 ? undefined : 'alert'}>
        {total === 100 ? 'The shares add up to 100%.' : `The shares add up to ${total}%; they must add up to 100%.`}
        {errorAt('variants') ? ` ${errorAt('variants')}` : ''}
      </p>
      <div className="step-actions">
        {variants.length < MAX_VARIANTS ? (
          <button type="button" className="button" onClick={() => onChange(addVariant(variants), abTest)}>
            Add a version
          </button>
        ) : null}
        <button type="button" className="button" onClick={() => onChange(splitEvenly(variants), abTest)}>
          Split evenly
        </button>
        <button type="button" className="button button-quiet" onClick={props.onStop}>
          Back to one message
        </button>
      </div>
      <WinnerSettings
        abTest={abTest}
        onToggle={(on) => onChange(variants, on ? DEFAULT_AB_TEST : null)}
        onChange={setTest}
        errorAt={errorAt}
        tracksLinks={props.tracksLinks}
      />
    </div>
  );
}

function WinnerSettings({
  abTest,
  onToggle,
  onChange,
  errorAt,
  tracksLinks,
}: {
  abTest: AbTestDraft | null;
  onToggle: (on: boolean) => void;
  onChange: (patch: Partial<AbTestDraft>) => void;
  errorAt: (path: string) => string | undefined;
  tracksLinks: boolean;
}) {
  return (
    <fieldset className="winner-settings">
      <legend>Test, then send the winner</legend>
      <label className="checkbox">
        <input type="checkbox" checked={abTest !== null} onChange={(event) => onToggle(event.target.checked)} /> Send
        the versions to a test share first, then the best one to everyone else
      </label>
      {errorAt('abTest') ? <p className="field-error">{errorAt('abTest')}</p> : null}
      {abTest ? (
        <div className="two-columns">
          <WholeNumberField
            label="Test share (% of the audience)"
            range={[5, 50]}
            value={abTest.testPercent}
            hint="5 to 50; the shares above split this test share."
            error={errorAt('abTest.testPercent')}
            onChange={(testPercent) => onChange({ testPercent })}
          />
          <WholeNumberField
            label="Wait before picking the winner (minutes)"
            range={[15, 4320]}
            value={abTest.waitMinutes}
            hint="15 minutes to 3 days; a wait that ends after your send window closes holds the rest until it opens."
            error={errorAt('abTest.waitMinutes')}
            onChange={(waitMinutes) => onChange({ waitMinutes })}
          />
          <SelectField
            label="Winner by"
            value={abTest.winnerMetric}
            error={errorAt('abTest.winnerMetric')}
            hint={tracksLinks ? undefined : 'Click-through needs tracked links.'}
            onChange={(event) => onChange({ winnerMetric: event.target.value as WinnerMetric })}
          >
            <option value="responseRate">Response rate (replies)</option>
            <option value="clickThroughRate" disabled={!tracksLinks}>
              Click-through rate (tracked links)
            </option>
          </SelectField>
        </div>
      ) : null}
    </fieldset>
  );
}

/** A number input that hands back whole numbers (an empty box reads as 0; the server names what is out of range). */
function WholeNumberField({
  label,
  range,
  value,
  onChange,
  ...rest
}: {
  label: string;
  range: [number, number];
  value: number;
  onChange: (value: number) => void;
  hint?: string;
  error?: string | undefined;
  className?: string;
}) {
  return (
    <TextField
      {...rest}
      label={label}
      type="number"
      min={range[0]}
      max={range[1]}
      value={String(value)}
      onChange={(event) => onChange(Math.round(Number(event.target.value) || 0))}
    />
  );
}
