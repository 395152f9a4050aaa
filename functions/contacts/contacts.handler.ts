import {
  deleteContact,
  getContact,
  listConsentHistory,
  listContacts,
  listTags,
} from '../../shared/app/contacts/contact-queries.use-case';
import { addContactTags, removeContactTag } from '../../shared/app/contacts/contact-tags.use-case';
import { createContact } from '../../shared/app/contacts/create-contact.use-case';
import { importContacts } from '../../shared/app/contacts/import-contacts.use-case';
import { updateContact } from '../../shared/app/contacts/update-contact.use-case';
import {
  listContactMessages,
  listConversations,
  markConversationRead,
} from '../../shared/app/conversations/conversations.use-case';
import { createContactsDeps } from '../../shared/config/contacts-deps.factory';
import { createConversationStore } from '../../shared/config/conversation-deps.factory';
import { parseOrThrow } from '../../shared/domain/validation';
import { httpHandler } from '../../shared/middleware/http-handler';
import {
  addTagsBody,
  consentQuery,
  contactIdParams,
  contactMessagesQuery,
  conversationParams,
  conversationsQuery,
  createContactBody,
  importContactsBody,
  listContactsQuery,
  listTagsQuery,
  patchContactBody,
  tagParams,
} from './contacts.schema';

const deps = createContactsDeps();
const conversationDeps = { ...deps, conversations: createConversationStore() };

export const { lambdaHandler, handler } = httpHandler({
  'POST /v1/contacts': async ({ tenantId, body }) => ({
    statusCode: 201,
    body: await createContact(tenantId, parseOrThrow(createContactBody, body), deps),
  }),
  'POST /v1/contacts/import': async ({ tenantId, body }) => ({
    statusCode: 200,
    body: await importContacts(tenantId, parseOrThrow(importContactsBody, body).contacts, deps),
  }),
  'GET /v1/contacts': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listContacts(tenantId, parseOrThrow(listContactsQuery, query, 'query string'), deps),
  }),
  'GET /v1/tags': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listTags(tenantId, parseOrThrow(listTagsQuery, query, 'query string'), deps),
  }),
  'GET /v1/contacts/{id}': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await getContact(tenantId, parseOrThrow(contactIdParams, pathParameters, 'path').id, deps),
  }),
  'PATCH /v1/contacts/{id}': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await updateContact(
      tenantId,
      parseOrThrow(contactIdParams, pathParameters, 'path').id,
      parseOrThrow(patchContactBody, body),
      deps,
    ),
  }),
  'DELETE /v1/contacts/{id}': async ({ tenantId, pathParameters }) => {
    await deleteContact(tenantId, parseOrThrow(contactIdParams, pathParameters, 'path').id, deps);
    return { statusCode: 204 };
  },
  'GET /v1/contacts/{id}/consent': async ({ tenantId, pathParameters, query }) => ({
    statusCode: 200,
    body: await listConsentHistory(
      tenantId,
      parseOrThrow(contactIdParams, pathParameters, 'path').id,
      parseOrThrow(consentQuery, query, 'query string'),
      deps,
    ),
  }),
  'POST /v1/contacts/{id}/tags': async ({ tenantId, pathParameters, body }) => ({
    statusCode: 200,
    body: await addContactTags(
      tenantId,
      parseOrThrow(contactIdParams, pathParameters, 'path').id,
      parseOrThrow(addTagsBody, body).tags,
      deps,
    ),
  }),
  'DELETE /v1/contacts/{id}/tags/{tag}': async ({ tenantId, pathParameters }) => {
    const { id, tag } = parseOrThrow(tagParams, pathParameters, 'path');
    return { statusCode: 200, body: await removeContactTag(tenantId, id, tag, deps) };
  },
  'GET /v1/contacts/{id}/messages': async ({ tenantId, pathParameters, query }) => ({
    statusCode: 200,
    body: await listContactMessages(
      tenantId,
      parseOrThrow(contactIdParams, pathParameters, 'path').id,
      parseOrThrow(contactMessagesQuery, query, 'query string'),
      conversationDeps,
    ),
  }),
  'GET /v1/conversations': async ({ tenantId, query }) => ({
    statusCode: 200,
    body: await listConversations(tenantId, parseOrThrow(conversationsQuery, query, 'query string'), conversationDeps),
  }),
  'POST /v1/conversations/{contactId}/read': async ({ tenantId, pathParameters }) => ({
    statusCode: 200,
    body: await markConversationRead(
      tenantId,
      parseOrThrow(conversationParams, pathParameters, 'path').contactId,
      conversationDeps,
    ),
  }),
});
