/**
 * A sender's messages-per-second budget, shared by every worker that sends from it. `acquire` resolves `true` at the
 * caller's turn to hand one message to the carrier, or `false` at once when it can promise no turn before `notAfter`
 * (epoch ms: a worker about to run out of time takes no turn it cannot use, and one that finds the sender's rate held
 * by other workers steps back; either hands its recipients back). On AWS the budget lives in DynamoDB (workers in
 * many Lambdas share it as leases of rate shares); locally one in-process bucket serves every worker.
 */
export interface RateBudget {
  acquire(sender: string, messagesPerSecond: number, notAfter?: number): Promise<boolean>;
}
