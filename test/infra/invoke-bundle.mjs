/**
 * Runs one Lambda bundle the way the Node.js runtime does: a fresh process imports the bundle's
 * module and calls its `handler(event, context)`. Usage:
 *   node invoke-bundle.mjs <bundle index.mjs> <event.json> <result.json>
 * The result goes to a file because the handler's logger owns stdout.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundlePath, eventPath, resultPath] = process.argv.slice(2);
const { handler } = await import(pathToFileURL(bundlePath).href);
if (typeof handler !== 'function') throw new Error(`${bundlePath} exports no handler function`);

const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
const deadline = Date.now() + 10_000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${functionName}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '512',
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/${functionName}`,
  logStreamName: '2025/11/26/[$LATEST]0123456789abcdef0123456789abcdef',
  getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  done: () => {},
  fail: () => {},
  succeed: () => {},
};

const event = JSON.parse(readFileSync(eventPath, 'utf8'));
const result = await handler(event, context);
writeFileSync(resultPath, JSON.stringify(result ?? null));
