import { type FormEvent, useState } from 'react';
import { must } from '../api/client';
import type { Enrollment } from '../api/types';
import { useApp } from '../app-context';
import { formatDateTime, formatNumber } from '../lib/format';
import { useAsync, useInterval } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { FormError, TextField, useFieldErrors } from '../ui/forms';
import { Banner, Card, ErrorNote, Loaded, Loading, PageHeader, Stat, StatusBadge } from '../ui/parts';
import { describeTrigger } from './describe';
import { WorkflowGraph } from './workflow-graph';

function enrollmentColumns(zone: string | undefined): Column<Enrollment>[] {
  return [
    {
      header: 'Contact',
      cell: (enrollment) => (
        <Link href={`/contacts/${enrollment.contactId}`}>Contact {enrollment.contactId.slice(-6)}</Link>
      ),
    },
    {
      header: 'Status',
      cell: (enrollment) => (
        <>
          <StatusBadge status={enrollment.status} />
          {enrollment.exitReason ? ` ${enrollment.exitReason}` : ''}
        </>
      ),
    },
    { header: 'Step', cell: (enrollment) => enrollment.currentStepId },
    { header: 'Next', cell: (enrollment) => formatDateTime(enrollment.nextWakeAt, zone) },
    { header: 'Enrolled', cell: (enrollment) => formatDateTime(enrollment.enrolledAt, zone) },
  ];
}

/** One workflow: its steps as a graph, activate or pause, its enrollments; form triggers can be tried from here. */
export default function WorkflowPage({ id }: { id: string }) {
  const { api, settings } = useApp();
  const zone = settings?.defaultTimeZone;
  const workflow = useAsync(
    (signal) => must(api.GET('/v1/workflows/{id}', { params: { path: { id } }, signal })),
    [api, id],
  );
  const enrollments = useAsync(
    (signal) =>
      must(api.GET('/v1/workflows/{id}/enrollments', { params: { path: { id }, query: { limit: 100 } }, signal })),
    [api, id],
  );
  const [actionError, setActionError] = useState<string>();
  useInterval(
    () => {
      enrollments.reload();
      workflow.reload();
    },
    3000,
    workflow.data?.status === 'active',
  );
  useTitle(workflow.data ? `Workflow: ${workflow.data.name}` : 'Workflow');

  if (workflow.error) return <ErrorNote error={workflow.error} retry={workflow.reload} />;
  if (!workflow.data) return <Loading what="the workflow" />;
  const w = workflow.data;

  const act = async (action: 'activate' | 'pause' | 'resume') => {
    setActionError(undefined);
    try {
      const path = `/v1/workflows/{id}/${action}` as const;
      await must(api.POST(path, { params: { path: { id } } }));
      workflow.reload();
    } catch (error) {
      const details = (error as { details?: { path: string; message: string }[] }).details ?? [];
      setActionError(
        [(error as Error).message, ...details.map((detail) => `${detail.path}: ${detail.message}`)].join(' — '),
      );
    }
  };

  return (
    <>
      <PageHeader
        title={w.name}
        actions={
          w.status === 'active' ? (
            <button type="button" className="button" onClick={() => void act('pause')}>
              Pause
            </button>
          ) : (
            <button
              type="button"
              className="button button-primary"
              onClick={() => void act(w.status === 'paused' ? 'resume' : 'activate')}
            >
              {w.status === 'paused' ? 'Resume' : 'Activate'}
            </button>
          )
        }
      >
        <p className="subtitle">
          <Link href="/workflows">Workflows</Link> · <StatusBadge status={w.status} /> · version {w.version} ·{' '}
          {describeTrigger(w.trigger)}
        </p>
      </PageHeader>
      {actionError ? <Banner tone="error">{actionError}</Banner> : null}
      <dl className="stats">
        <Stat label="Enrolled" value={formatNumber(w.stats.enrolled)} />
        <Stat label="In progress" value={formatNumber(w.stats.active)} />
        <Stat label="Completed" value={formatNumber(w.stats.completed)} />
        <Stat label="Exited" value={formatNumber(w.stats.exited)} />
        <Stat label="Texts sent" value={formatNumber(w.stats.steps.reduce((sum, step) => sum + step.sent, 0))} />
        <Stat label="Replies" value={formatNumber(w.stats.steps.reduce((sum, step) => sum + step.replied, 0))} />
      </dl>
      <div className="two-columns">
        <Card title="Steps">
          <WorkflowGraph trigger={w.trigger} steps={w.steps} />
        </Card>
        <div>
          {w.trigger.type === 'form_submitted' ? (
            <TryForm formId={w.trigger.formId} onSubmitted={enrollments.reload} />
          ) : null}
          <Card title="Enrollments">
            <Loaded
              state={enrollments}
              what="enrollments"
              isEmpty={(data) => data.items.length === 0}
              empty={
                <p className="hint">
                  No one yet. {w.status === 'active' ? 'Contacts enroll when the trigger fires.' : 'Activate it first.'}
                </p>
              }
            >
              {(data) => (
                <DataTable
                  label="Enrollments"
                  columns={enrollmentColumns(zone)}
                  rows={data.items}
                  rowKey={(enrollment) => enrollment.id}
                />
              )}
            </Loaded>
          </Card>
        </div>
      </div>
    </>
  );
}

/** Submits the workflow's form as a lead would (the public forms API), to see the workflow run. */
function TryForm({ formId, onSubmitted }: { formId: string; onSubmitted: () => void }) {
  const { api } = useApp();
  const [phone, setPhone] = useState('');
  const [firstName, setFirstName] = useState('');
  const [done, setDone] = useState<string>();
  const errors = useFieldErrors(['phone', 'firstName']);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    setDone(undefined);
    try {
      const answer = await must(
        api.POST('/v1/forms/{formId}/submissions', {
          params: { path: { formId } },
          body: { phone, ...(firstName ? { firstName } : {}), smsConsent: 'opted_in' },
        }),
      );
      setDone(`Submitted: ${answer.created ? 'a new contact' : 'an existing contact'} entered the form.`);
      setTimeout(onSubmitted, 500);
    } catch (error) {
      errors.fail(error);
    }
  };
  return (
    <Card title="Try the form">
      <p className="hint">Submits form “{formId}” as a lead on your website would, with consent to texts.</p>
      <form onSubmit={submit} noValidate>
        <FormError message={errors.general} />
        <TextField
          label="Phone"
          type="tel"
          value={phone}
          error={errors.at('phone')}
          onChange={(event) => setPhone(event.target.value)}
        />
        <TextField
          label="First name"
          value={firstName}
          error={errors.at('firstName')}
          onChange={(event) => setFirstName(event.target.value)}
        />
        <button type="submit" className="button">
          Submit the form
        </button>
        {done ? <p role="status">{done}</p> : null}
      </form>
    </Card>
  );
}
