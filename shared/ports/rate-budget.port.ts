/**
 * A sender's messages-per-second budget, shared by every worker that sends from it. `acquire` resolves `true` at the
 * caller's turn to hand one message to the carrier, or `false` at once when no turn comes before `notAfter` (epoch
 * ms: a worker about to run out of time takes no turn it cannot use, and hands its recipients back). On AWS the
 * budget lives in DynamoDB (workers in many Lambdas share it); locally one in-process bucket serves every worker.
 */
export interface RateBudget {
  acquire(sender: string, messagesPerSecond: number, notAfter?: number): Promise<boolean>;
}
