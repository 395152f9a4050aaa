import { handleWorkflowMessage } from '../../shared/app/workflows/handle-workflow-message.use-case';
import { createWorkflowDeps } from '../../shared/config/workflow-deps.factory';
import { workflowMessageSchema } from '../../shared/domain/workflows/workflow-messages';
import { logger } from '../../shared/middleware/logger';
import { parseSqsBody, sqsHandler } from '../../shared/middleware/sqs-handler';

const deps = createWorkflowDeps();

/** Consumer of the `workflows` queue (and target of the minute-bucket schedules): wake-ups, date triggers, sweeps. */
export const { lambdaHandler, handler } = sqsHandler(async (record) => {
  const message = parseSqsBody(record, workflowMessageSchema);
  const outcome = await handleWorkflowMessage(message, deps);
  logger.debug('workflow message handled', { kind: message.kind, outcome });
});
