import type { MessageType } from '../domain/sms/sms.schema';

/** What the sender asks the carrier to send (AWS End User Messaging SMS `SendTextMessage`). */
export interface OutboundSms {
  destinationPhoneNumber: string;
  originationIdentity: string | null;
  messageBody: string;
  messageType: MessageType;
  configurationSetName?: string;
  /** Echoed in every delivery receipt: tenant, campaign (or workflow) and contact ids. */
  context: Record<string, string>;
}

/**
 * How a send ended, as the ledger must record it:
 * - `sent`: accepted, with the carrier's message id.
 * - `retryLater`: refused before sending (throttled, temporarily unavailable): safe to send again.
 * - `rejected`: refused for good (invalid number, opted out at the carrier, ...): never retry.
 * - `unknown`: the request may have reached the carrier (timeout, 5xx): never re-send automatically.
 */
export type SendOutcome =
  | { kind: 'sent'; messageId: string }
  | { kind: 'retryLater'; reason: string }
  | { kind: 'rejected'; reason: string; optedOut: boolean }
  | { kind: 'unknown'; reason: string };

export interface SmsGateway {
  send(message: OutboundSms): Promise<SendOutcome>;
}
