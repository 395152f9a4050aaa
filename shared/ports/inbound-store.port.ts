import type { InboundMessageRecord } from '../domain/inbound/inbound-message';

/** How a `beginInbound` found the message: first time, a retry of an unfinished one, or already done. */
export type InboundStart = { state: 'new' | 'unfinished' | 'done'; record: InboundMessageRecord };

/**
 * A tenant's inbound texts. Each inbound message is recorded once by
 * its carrier id (duplicated notifications act once) and kept with its text and what it did.
 */
export interface InboundStore {
  /** Records the message unless its id is known; returns the stored record and its state. */
  beginInbound(tenantId: string, record: InboundMessageRecord): Promise<InboundStart>;
  /** Marks the message handled, with what it did. */
  finishInbound(tenantId: string, record: InboundMessageRecord): Promise<void>;
  /** Takes the right to send the message's one automatic answer (at most once, even across retries). */
  claimAutoReply(tenantId: string, phone: string, inboundMessageId: string): Promise<boolean>;
  /**
   * Notes a contact's inbound text on its conversation: the latest inbound time (orders the conversations list) and
   * the unread texts (each counted once, none from before the conversation was last read).
   */
  noteConversation(tenantId: string, contactId: string, receivedAt: string, inboundMessageId: string): Promise<void>;
  /** A phone's inbound messages, newest first. */
  listInbound(tenantId: string, phone: string, limit: number): Promise<InboundMessageRecord[]>;
}
