import { must } from '../api/client';
import type { WorkflowDetail } from '../api/types';
import { useApp } from '../app-context';
import { formatNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { type Column, DataTable } from '../ui/data-table';
import { EmptyState, Loaded, PageHeader, StatusBadge } from '../ui/parts';
import { describeTrigger } from './describe';

const WORKFLOW_COLUMNS: Column<WorkflowDetail>[] = [
  { header: 'Name', cell: (workflow) => <Link href={`/workflows/${workflow.id}`}>{workflow.name}</Link> },
  { header: 'Status', cell: (workflow) => <StatusBadge status={workflow.status} /> },
  { header: 'Trigger', cell: (workflow) => describeTrigger(workflow.trigger) },
  { header: 'Enrolled', numeric: true, cell: (workflow) => formatNumber(workflow.stats.enrolled) },
  { header: 'In progress', numeric: true, cell: (workflow) => formatNumber(workflow.stats.active) },
  { header: 'Completed', numeric: true, cell: (workflow) => formatNumber(workflow.stats.completed) },
];

/** Workflows with their trigger, status and enrollment counts. */
export default function WorkflowsPage() {
  useTitle('Workflows');
  const { api } = useApp();
  const list = useAsync(
    async (signal) => {
      const workflows = (await must(api.GET('/v1/workflows', { params: { query: { limit: 100 } }, signal }))).items;
      // The list has no counts; each workflow's own page answers with its enrollment stats.
      return Promise.all(
        workflows.map((workflow) =>
          must(api.GET('/v1/workflows/{id}', { params: { path: { id: workflow.id } }, signal })),
        ),
      );
    },
    [api],
  );
  return (
    <>
      <PageHeader
        title="Workflows"
        actions={
          <Link className="button button-primary" href="/workflows/new">
            + New Workflow
          </Link>
        }
      >
        <p className="subtitle">Texts that go out by themselves when a contact does something.</p>
      </PageHeader>
      <Loaded
        state={list}
        what="workflows"
        isEmpty={(data) => data.length === 0}
        empty={
          <EmptyState title="No workflows yet">
            <p>Start from a template: new lead follow-up, appointment reminder or post-appointment check-in.</p>
            <Link className="button button-primary" href="/workflows/new">
              + New Workflow
            </Link>
          </EmptyState>
        }
      >
        {(data) => <DataTable label="Workflows" columns={WORKFLOW_COLUMNS} rows={data} rowKey={(w) => w.id} />}
      </Loaded>
    </>
  );
}
