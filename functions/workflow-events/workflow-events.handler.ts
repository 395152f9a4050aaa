import { handleContactEvent } from '../../shared/app/workflows/handle-contact-event.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { workflowEventSchema } from '../../shared/domain/workflows/workflow-event.schema';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createWorkflowDeps();

/** Consumer of the `events` queue: contact changes and inbound texts enroll, re-plan and exit workflow runs. */
export const { lambdaHandler, handler } = sqsHandler(async (record) => {
  await handleContactEvent(parseSqsBody(record, workflowEventSchema), deps);
});
