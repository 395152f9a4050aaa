import type { ConversationMessage } from '../domain/conversations/conversation-message';
import type { Page, PageRequest } from './page';

/** A contact's conversation as kept: the latest inbound text, the unread ones, when it was last read. */
export interface ConversationSummary {
  contactId: string;
  lastInboundAt: string;
  unread: number;
  lastReadAt: string | null;
}

/** The texts to and from each contact of a tenant, and the tenant's conversations (read side). */
export interface ConversationStore {
  /** One contact's texts either way, in time order (`asc`: oldest first). */
  listMessages(
    tenantId: string,
    contactId: string,
    page: PageRequest & { order: 'asc' | 'desc' },
  ): Promise<Page<ConversationMessage>>;
  /** The tenant's conversations, latest inbound text first. */
  listConversations(tenantId: string, page: PageRequest): Promise<Page<ConversationSummary>>;
  /** Marks every text received up to `at` read (texts handled later but received before `at` stay read). */
  markRead(tenantId: string, contactId: string, at: string): Promise<void>;
}
