import type { Context } from 'aws-lambda';
import type { Clock } from '../../ports/clock.port';

/**
 * The Lambda `Context` a locally invoked handler gets: the same fields Lambda passes, with a deadline counted on the
 * injected clock, so handlers that read `getRemainingTimeInMillis()` (Powertools, batch loops) behave as on AWS.
 */
export function createLambdaContext(functionName: string, requestId: string, timeoutMs: number, clock: Clock): Context {
  const deadline = clock.now().getTime() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - clock.now().getTime()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
