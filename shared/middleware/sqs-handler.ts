import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { logger } from './logger';

/** A message that can never succeed (bad JSON, wrong shape): it fails every receive and lands in the DLQ. */
export class PoisonMessageError extends Error {
  override readonly name = 'PoisonMessageError';
}

/** Parses an SQS body (JSON, possibly wrapped in an SNS notification) with a zod schema. */
export function parseSqsBody<S extends z.ZodType>(record: SQSRecord, schema: S): z.output<S> {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
    const envelope = body as { Type?: string; Message?: string };
    if (envelope?.Type === 'Notification' && typeof envelope.Message === 'string') body = JSON.parse(envelope.Message);
  } catch {
    throw new PoisonMessageError(`message ${record.messageId} is not JSON`);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PoisonMessageError(
      `message ${record.messageId}: ${issue?.path.join('.') || '(body)'}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * Builds an SQS consumer with partial batch responses (Powertools BatchProcessor): a failed record
 * goes back to the queue alone and, after the queue's maxReceiveCount, to its DLQ with its reason logged.
 */
export function sqsHandler(processRecord: (record: SQSRecord, context: Context) => Promise<void>) {
  const processor = new BatchProcessor(EventType.SQS);
  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
    processPartialResponse(
      event,
      async (record: SQSRecord) => {
        try {
          await processRecord(record, context);
        } catch (error) {
          logger.error('record failed', {
            messageId: record.messageId,
            receiveCount: record.attributes?.ApproximateReceiveCount,
            error: error as Error,
          });
          throw error;
        }
      },
      processor,
      { context },
    );
  return {
    lambdaHandler,
    handler: middy<SQSEvent, SQSBatchResponse>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler(lambdaHandler),
  };
}

/**
 * Builds an SQS consumer that handles the whole batch at once (to group and batch writes across
 * records): `processBatch` gets every record and returns the ids of the messages to retry; a throw
 * retries the whole batch. Responds with partial batch failures.
 */
export function sqsBatchHandler(processBatch: (records: SQSRecord[], context: Context) => Promise<string[]>) {
  const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    try {
      const failed = await processBatch(event.Records, context);
      return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
    } catch (error) {
      logger.error('batch failed', { records: event.Records.length, error: error as Error });
      return { batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })) };
    }
  };
  return {
    lambdaHandler,
    handler: middy<SQSEvent, SQSBatchResponse>()
      .use(injectLambdaContext(logger, { resetKeys: true }))
      .handler(lambdaHandler),
  };
}
