import { must } from '../api/client';
import type { WorkflowDetail } from '../api/types';
import { useApp } from '../app-context';
import { formatNumber } from '../lib/format';
import { useAsync } from '../lib/hooks';
import { Link, useTitle } from '../lib/router';
import { ErrorNote, Loading, PageHeader, StatusBadge, TableRegion } from '../ui/parts';
import { describeTrigger } from './describe';

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
      {list.error ? <ErrorNote error={list.error} retry={list.reload} /> : null}
      {!list.data ? <Loading what="workflows" /> : null}
      {list.data && list.data.length === 0 ? (
        <div className="empty">
          <h2>No workflows yet</h2>
          <p>Start from a template: new lead follow-up, appointment reminder or post-appointment check-in.</p>
          <Link className="button button-primary" href="/workflows/new">
            + New Workflow
          </Link>
        </div>
      ) : null}
      {list.data && list.data.length > 0 ? (
        <TableRegion label="Workflows">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Trigger</th>
                <th scope="col" className="num">
                  Enrolled
                </th>
                <th scope="col" className="num">
                  In progress
                </th>
                <th scope="col" className="num">
                  Completed
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((workflow: WorkflowDetail) => (
                <tr key={workflow.id}>
                  <th scope="row">
                    <Link href={`/workflows/${workflow.id}`}>{workflow.name}</Link>
                  </th>
                  <td>
                    <StatusBadge status={workflow.status} />
                  </td>
                  <td>{describeTrigger(workflow.trigger)}</td>
                  <td className="num">{formatNumber(workflow.stats.enrolled)}</td>
                  <td className="num">{formatNumber(workflow.stats.active)}</td>
                  <td className="num">{formatNumber(workflow.stats.completed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableRegion>
      ) : null}
    </>
  );
}
