/**
 * A sender's messages-per-second budget, shared by every worker that sends from it: `acquire` resolves when the
 * caller may hand one message to the carrier. On AWS the budget lives in DynamoDB (workers in many Lambdas share it);
 * locally one in-process bucket serves every worker.
 */
export interface RateBudget {
  acquire(sender: string, messagesPerSecond: number, signal?: AbortSignal): Promise<void>;
}
