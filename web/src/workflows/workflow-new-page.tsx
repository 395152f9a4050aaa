import { type FormEvent, useId, useState } from 'react';
import { must } from '../api/client';
import type { WorkflowInput, WorkflowStep, WorkflowTrigger } from '../api/types';
import { useApp } from '../app-context';
import { navigate, useTitle } from '../lib/router';
import { FieldError, FormError, TextArea, TextField, useFieldErrors } from '../ui/forms';
import { PageHeader } from '../ui/parts';
import { STEP_TITLES } from './describe';
import { WORKFLOW_TEMPLATES } from './templates';
import { WorkflowGraph } from './workflow-graph';

type Unit = 'M' | 'H' | 'D';
const UNIT_LABELS: Record<Unit, string> = { M: 'minutes', H: 'hours', D: 'days' };

/** `PT2H` <-> 2 hours; `-PT24H` keeps its sign outside. */
function splitDuration(iso: string): { amount: number; unit: Unit } {
  const match = /^-?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  const minutes = match ? Number(match[1] ?? 0) * 1440 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0) : 0;
  if (minutes > 0 && minutes % 1440 === 0) return { amount: minutes / 1440, unit: 'D' };
  if (minutes > 0 && minutes % 60 === 0) return { amount: minutes / 60, unit: 'H' };
  return { amount: minutes, unit: 'M' };
}

function joinDuration(amount: number, unit: Unit, negative = false): string {
  const value = Math.max(0, Math.round(amount));
  return `${negative ? '-' : ''}${unit === 'D' ? `P${value}D` : `PT${value}${unit}`}`;
}

function DurationField({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string;
  onChange: (iso: string) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const negative = value.startsWith('-');
  const { amount, unit } = splitDuration(value);
  return (
    <fieldset className={`duration${error ? ' field-invalid' : ''}`}>
      <legend>{label}</legend>
      <label htmlFor={`${id}-amount`} className="visually-hidden-label">
        Amount
      </label>
      <input
        id={`${id}-amount`}
        type="number"
        min={0}
        value={amount}
        onChange={(event) => onChange(joinDuration(Number(event.target.value), unit, negative))}
      />
      <label htmlFor={`${id}-unit`} className="visually-hidden-label">
        Unit
      </label>
      <select
        id={`${id}-unit`}
        value={unit}
        onChange={(event) => onChange(joinDuration(amount, event.target.value as Unit, negative))}
      >
        {(Object.keys(UNIT_LABELS) as Unit[]).map((one) => (
          <option key={one} value={one}>
            {UNIT_LABELS[one]}
          </option>
        ))}
      </select>
      <FieldError message={error} />
    </fieldset>
  );
}

function TriggerFields({
  trigger,
  onChange,
  error,
}: {
  trigger: WorkflowTrigger;
  onChange: (trigger: WorkflowTrigger) => void;
  error: (path: string) => string | undefined;
}) {
  switch (trigger.type) {
    case 'form_submitted':
      return (
        <TextField
          label="Form id"
          hint={`Your website posts to /v1/forms/${trigger.formId || '<form id>'}/submissions.`}
          value={trigger.formId}
          error={error('trigger.formId')}
          onChange={(event) => onChange({ ...trigger, formId: event.target.value })}
        />
      );
    case 'tag_added':
      return (
        <TextField
          label="When this tag is added"
          value={trigger.tag}
          error={error('trigger.tag')}
          onChange={(event) => onChange({ ...trigger, tag: event.target.value })}
        />
      );
    case 'inbound_keyword':
      return (
        <TextField
          label="Keyword"
          value={trigger.keyword}
          error={error('trigger.keyword')}
          onChange={(event) => onChange({ ...trigger, keyword: event.target.value })}
        />
      );
    case 'date_field':
      return (
        <>
          <TextField
            label="Date field (custom field of the contact)"
            value={trigger.field}
            error={error('trigger.field')}
            onChange={(event) => onChange({ ...trigger, field: event.target.value })}
          />
          <DurationField
            label="How long before the date"
            value={trigger.offset}
            error={error('trigger.offset')}
            onChange={(offset) => onChange({ ...trigger, offset: offset.startsWith('-') ? offset : `-${offset}` })}
          />
        </>
      );
    default:
      return null;
  }
}

function StepFields({
  step,
  index,
  onChange,
  error,
}: {
  step: WorkflowStep;
  index: number;
  onChange: (step: WorkflowStep) => void;
  error: (path: string) => string | undefined;
}) {
  const at = (field: string) => error(`steps.${index}.${field}`);
  switch (step.type) {
    case 'send_sms':
      return (
        <TextArea
          label={`Text (step ${index + 1})`}
          rows={3}
          value={step.body}
          error={at('body')}
          onChange={(event) => onChange({ ...step, body: event.target.value })}
        />
      );
    case 'wait':
      return (
        <DurationField
          label={`Wait (step ${index + 1})`}
          value={step.duration}
          error={at('duration')}
          onChange={(duration) => onChange({ ...step, duration })}
        />
      );
    case 'wait_for_reply':
      return (
        <DurationField
          label={`Wait for a reply for at most (step ${index + 1})`}
          value={step.timeout}
          error={at('timeout')}
          onChange={(timeout) => onChange({ ...step, timeout })}
        />
      );
    case 'add_tag':
    case 'remove_tag':
      return (
        <TextField
          label={`Tag (step ${index + 1})`}
          value={step.tag}
          error={at('tag')}
          onChange={(event) => onChange({ ...step, tag: event.target.value })}
        />
      );
    default:
      return at('') ? <p className="field-error">{at('')}</p> : null;
  }
}

/** Create a workflow from one of three starter templates, edited before it is saved (as a draft). */
export default function WorkflowNewPage() {
  useTitle('New workflow');
  const { api } = useApp();
  const [draft, setDraft] = useState<WorkflowInput>();
  const [busy, setBusy] = useState(false);
  const errors = useFieldErrors(['name', 'trigger', ...(draft?.steps ?? []).map((_, index) => `steps.${index}`)]);

  if (!draft) {
    return (
      <>
        <PageHeader title="New workflow">
          <p className="subtitle">Start from a template; you can change every text, wait and trigger next.</p>
        </PageHeader>
        <ul className="templates">
          {WORKFLOW_TEMPLATES.map((template) => (
            <li key={template.id} className="card template">
              <h2>{template.title}</h2>
              <p>{template.description}</p>
              <button
                type="button"
                className="button button-primary"
                aria-label={`Use this template: ${template.title}`}
                onClick={() => setDraft(structuredClone(template.workflow))}
              >
                Use this template
              </button>
            </li>
          ))}
        </ul>
      </>
    );
  }

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setBusy(true);
    try {
      const workflow = await must(api.POST('/v1/workflows', { body: draft }));
      navigate(`/workflows/${workflow.id}`);
    } catch (error) {
      errors.fail(error);
    } finally {
      setBusy(false);
    }
  };
  const setStep = (index: number, step: WorkflowStep) =>
    setDraft({ ...draft, steps: draft.steps.map((one, at) => (at === index ? step : one)) });

  return (
    <>
      <PageHeader title={draft.name || 'New workflow'}>
        <p className="subtitle">Created as a draft: activate it on its page once it reads right.</p>
      </PageHeader>
      <div className="two-columns">
        <form className="card" onSubmit={submit} noValidate aria-label="Workflow">
          <FormError message={errors.general} />
          <TextField
            label="Workflow name"
            value={draft.name}
            error={errors.at('name')}
            onChange={(event) => setDraft({ ...draft, name: event.target.value })}
          />
          <h2>Trigger</h2>
          <TriggerFields
            trigger={draft.trigger}
            onChange={(trigger) => setDraft({ ...draft, trigger })}
            error={(path) => errors.at(path, 'trigger')}
          />
          <h2>Steps</h2>
          <ol className="step-editor">
            {draft.steps.map((step, index) => (
              <li key={step.id}>
                <p className="step-editor-title">
                  {index + 1}. {STEP_TITLES[step.type]}
                </p>
                <StepFields
                  step={step}
                  index={index}
                  onChange={(next) => setStep(index, next)}
                  error={(path) => errors.at(path)}
                />
                {errors.at(`steps.${index}`) &&
                !['send_sms', 'wait', 'wait_for_reply', 'add_tag', 'remove_tag'].includes(step.type) ? (
                  <p className="field-error">{errors.at(`steps.${index}`)}</p>
                ) : null}
              </li>
            ))}
          </ol>
          <div className="step-actions">
            <button type="button" className="button" onClick={() => setDraft(undefined)}>
              Choose another template
            </button>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Creating…' : 'Create workflow'}
            </button>
          </div>
        </form>
        <section className="card" aria-labelledby="graph-title">
          <h2 id="graph-title">How it runs</h2>
          <WorkflowGraph trigger={draft.trigger} steps={draft.steps as WorkflowStep[]} />
        </section>
      </div>
    </>
  );
}
