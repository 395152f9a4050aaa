import type { Conversation, ConversationMessage } from '../../domain/conversations/conversation-message';
import type { Clock } from '../../ports/clock.port';
import type { ContactStore } from '../../ports/contact-store.port';
import type { ConversationStore } from '../../ports/conversation-store.port';
import type { Page, PageRequest } from '../../ports/page';
import { getContact } from '../contacts/contact-queries.use-case';

export interface ConversationDeps {
  contacts: ContactStore;
  conversations: ConversationStore;
  clock: Clock;
}

/**
 * `GET /v1/contacts/{id}/messages`: every text to and from the contact, in time order, with what became of it.
 * Another tenant's contact (or none) is a 404 before anything is read.
 */
export async function listContactMessages(
  tenantId: string,
  contactId: string,
  query: PageRequest & { order: 'asc' | 'desc' },
  deps: Pick<ConversationDeps, 'contacts' | 'conversations'>,
): Promise<Page<ConversationMessage>> {
  await getContact(tenantId, contactId, deps);
  return deps.conversations.listMessages(tenantId, contactId, query);
}

/** `GET /v1/conversations`: the tenant's contacts by latest inbound text, with their unread counts. */
export async function listConversations(
  tenantId: string,
  query: PageRequest,
  deps: Pick<ConversationDeps, 'contacts' | 'conversations'>,
): Promise<Page<Conversation>> {
  const page = await deps.conversations.listConversations(tenantId, query);
  const contacts = await deps.contacts.getContacts(
    tenantId,
    page.items.map((summary) => summary.contactId),
  );
  const items: Conversation[] = [];
  for (const summary of page.items) {
    // A contact deleted since keeps no conversation.
    const contact = contacts.get(summary.contactId)?.contact;
    if (!contact) continue;
    const { firstName, lastName, phone } = contact;
    items.push({ ...summary, firstName, lastName, phone });
  }
  return { items, nextCursor: page.nextCursor };
}

/**
 * `POST /v1/conversations/{contactId}/read`: the person has read the conversation now, so nothing received until now
 * is unread; a text received later is.
 */
export async function markConversationRead(
  tenantId: string,
  contactId: string,
  deps: ConversationDeps,
): Promise<{ contactId: string; unread: 0; lastReadAt: string }> {
  await getContact(tenantId, contactId, deps);
  const at = deps.clock.now().toISOString();
  await deps.conversations.markRead(tenantId, contactId, at);
  return { contactId, unread: 0, lastReadAt: at };
}
