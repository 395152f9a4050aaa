import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { carrierControlBody } from '../../local/local-carrier-route';
import { clockAdvanceResult, clockMoveBody, clockReading } from '../../local/local-clock.schema';
import * as audiences from '../audiences/audiences.schema';
import * as campaigns from '../campaigns/campaigns.schema';
import * as contacts from '../contacts/contacts.schema';
import * as linkRedirect from '../link-redirect/link-redirect.schema';
import * as numbers from '../numbers/numbers.schema';
import * as numbersAdmin from '../numbers-admin/numbers-admin.schema';
import { apiRoutes } from '../routes';
import * as settings from '../settings/settings.schema';
import * as smartLists from '../smart-lists/smart-lists.schema';
import * as smsPreview from '../sms-preview/sms-preview.schema';
import * as workflows from '../workflows/workflows.schema';

const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ path: z.string(), message: z.string() })),
  }),
  requestId: z.string(),
});

type Operation = Omit<RouteConfig, 'method' | 'path'>;

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const body = <T extends z.ZodType>(schema: T) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
const errors = {
  400: json(errorBody, 'Malformed input; `details` names each field'),
  401: json(errorBody, 'Missing or invalid bearer token'),
  404: json(errorBody, 'Not found (also for another tenant’s resources)'),
  409: json(errorBody, 'Conflict'),
  413: json(errorBody, 'Body larger than 1 MB'),
  422: json(errorBody, 'Valid JSON that breaks a rule'),
};

/** Where a message body is accepted: one limit, in segments, with one message. */
const SEGMENT_LIMIT =
  'A body must fit in the tenant\'s `settings.maxSegments` (default 10, at most 10) as it will be sent, opt-out footer included and placeholders counted as written: otherwise a 400 whose detail names the body field, e.g. "must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1600 characters)".';

/** One entry per route key of `functions/routes.ts`; a test checks none is missing. */
export const operations: Record<string, Operation> = {
  'GET /v1/openapi.json': {
    summary: 'This OpenAPI document',
    security: [],
    responses: { 200: { description: 'OpenAPI 3.1 document' } },
  },
  'GET /v1/settings': {
    summary: 'Read the tenant settings (defaults where never set)',
    responses: { 200: json(settings.settingsResponse, 'Settings'), 401: errors[401] },
  },
  'PATCH /v1/settings': {
    summary: 'Change some settings; a send window wider than 08:00-21:00 is refused',
    request: body(settings.patchSettingsBody),
    responses: { 200: json(settings.settingsResponse, 'Settings'), 400: errors[400], 401: errors[401] },
  },
  'GET /v1/numbers': {
    summary: 'The sender numbers assigned to the tenant (its own and its pools), and the one its texts go out from',
    description:
      'Numbers are assigned by the operator, never claimed by a tenant; settings.originationIdentity may pick one of these (422 SETTINGS.NUMBER_NOT_ASSIGNED otherwise). A tenant with none cannot send (422 CAMPAIGN.NO_SENDER_NUMBER).',
    responses: { 200: json(numbers.tenantNumbersResponse, 'Numbers'), 401: errors[401] },
  },
  'POST /v1/contacts': {
    summary: 'Create a contact (phone stored in E.164)',
    request: body(contacts.createContactBody),
    responses: {
      201: json(contacts.contactResponse, 'Created'),
      400: errors[400],
      401: errors[401],
      409: json(errorBody, 'The phone exists already; `error.contactId` names the contact'),
    },
  },
  'GET /v1/contacts': {
    summary: 'List contacts, optionally by tag',
    request: { query: contacts.listContactsQuery },
    responses: { 200: json(contacts.contactPageResponse, 'A page of contacts'), 400: errors[400], 401: errors[401] },
  },
  'POST /v1/contacts/import': {
    summary: 'Import up to 1000 contacts; existing phones are updated; bad rows reported by index',
    request: body(contacts.importContactsBody),
    responses: {
      200: json(contacts.importResponse, 'Import result'),
      400: errors[400],
      401: errors[401],
      413: errors[413],
    },
  },
  'GET /v1/contacts/{id}': {
    summary: 'Read a contact',
    request: { params: contacts.contactIdParams },
    responses: { 200: json(contacts.contactResponse, 'Contact'), 401: errors[401], 404: errors[404] },
  },
  'PATCH /v1/contacts/{id}': {
    summary: 'Change a contact; smsConsent may be set to opted_out or opted_in',
    description:
      'An opt-out the person made (a STOP word, the carrier, a suppressed number) is undone only by that person (START from the phone): opting them in here is a 422 CONSENT.PERSON_OPTED_OUT naming the opt-out. An opt-out set through the API can be undone through the API. A phone moved to a number that opted out is opted out.',
    request: { params: contacts.contactIdParams, ...body(contacts.patchContactBody) },
    responses: {
      200: json(contacts.contactResponse, 'Contact'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: json(errorBody, 'CONSENT.PERSON_OPTED_OUT: only the person can undo their opt-out'),
    },
  },
  'DELETE /v1/contacts/{id}': {
    summary: 'Delete a contact (an opt-out of its number is kept)',
    request: { params: contacts.contactIdParams },
    responses: { 204: { description: 'Deleted' }, 401: errors[401], 404: errors[404] },
  },
  'GET /v1/contacts/{id}/consent': {
    summary: 'The consent history of a contact, oldest first',
    request: { params: contacts.contactIdParams, query: contacts.consentQuery },
    responses: { 200: json(contacts.consentPageResponse, 'Consent events'), 401: errors[401], 404: errors[404] },
  },
  'GET /v1/contacts/{id}/messages': {
    summary: 'A contact’s conversation: every text to and from it, in time order',
    description:
      'Campaign texts, workflow texts, STOP/START confirmations and HELP answers sent to the contact, and every text it sent (replies, keywords), each with its status as the carrier’s receipts left it (inbound: received). Oldest first (`order=desc`: latest first); pages follow the usual `limit`/`cursor`. Another tenant’s contact is a 404.',
    request: { params: contacts.contactIdParams, query: contacts.contactMessagesQuery },
    responses: {
      200: json(contacts.contactMessagesResponse, 'A page of texts'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'GET /v1/conversations': {
    summary: 'Contacts by their latest inbound text, with unread counts',
    description:
      'One entry per contact that has texted in, latest first. `unread` counts the texts received since the conversation was last read (`POST /v1/conversations/{contactId}/read`).',
    request: { query: contacts.conversationsQuery },
    responses: {
      200: json(contacts.conversationsResponse, 'A page of conversations'),
      400: errors[400],
      401: errors[401],
    },
  },
  'POST /v1/conversations/{contactId}/read': {
    summary: 'Mark a conversation read',
    description:
      'Everything the contact sent until now is read (`unread` 0); a text received later counts as unread again. Idempotent.',
    request: { params: contacts.conversationParams },
    responses: { 200: json(contacts.conversationReadResponse, 'Read'), 401: errors[401], 404: errors[404] },
  },
  'POST /v1/contacts/{id}/tags': {
    summary: 'Add tags to a contact',
    request: { params: contacts.contactIdParams, ...body(contacts.addTagsBody) },
    responses: { 200: json(contacts.contactResponse, 'Contact'), 400: errors[400], 401: errors[401], 404: errors[404] },
  },
  'DELETE /v1/contacts/{id}/tags/{tag}': {
    summary: 'Remove a tag from a contact',
    request: { params: contacts.tagParams },
    responses: { 200: json(contacts.contactResponse, 'Contact'), 401: errors[401], 404: errors[404] },
  },
  'GET /v1/tags': {
    summary:
      'The tags contacts carry now, by name, with how many contacts carry each (tags no one carries are left out)',
    request: { query: contacts.listTagsQuery },
    responses: { 200: json(contacts.tagPageResponse, 'Tags'), 400: errors[400], 401: errors[401] },
  },
  'POST /v1/smart-lists': {
    summary: 'Save a contact filter as a Smart List',
    request: body(smartLists.createSmartListBody),
    responses: { 201: json(smartLists.smartListResponse, 'Created'), 400: errors[400], 401: errors[401] },
  },
  'GET /v1/smart-lists': {
    summary: 'List Smart Lists',
    request: { query: smartLists.listSmartListsQuery },
    responses: { 200: json(smartLists.smartListPageResponse, 'A page of Smart Lists'), 401: errors[401] },
  },
  'GET /v1/smart-lists/{id}': {
    summary: 'Read a Smart List',
    request: { params: smartLists.smartListIdParams },
    responses: { 200: json(smartLists.smartListResponse, 'Smart List'), 401: errors[401], 404: errors[404] },
  },
  'PATCH /v1/smart-lists/{id}': {
    summary: 'Rename a Smart List or replace its filter',
    request: { params: smartLists.smartListIdParams, ...body(smartLists.patchSmartListBody) },
    responses: {
      200: json(smartLists.smartListResponse, 'Smart List'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'DELETE /v1/smart-lists/{id}': {
    summary: 'Delete a Smart List',
    request: { params: smartLists.smartListIdParams },
    responses: { 204: { description: 'Deleted' }, 401: errors[401], 404: errors[404] },
  },
  'POST /v1/audiences/preview': {
    summary: 'The live audience count: matched, eligible, exclusions by reason and a sample',
    request: body(audiences.audiencePreviewBody),
    responses: {
      200: json(audiences.audiencePreviewResponse, 'Counts'),
      400: errors[400],
      401: errors[401],
      404: json(errorBody, 'The Smart List does not exist'),
    },
  },
  'POST /v1/campaigns': {
    summary: 'Create a draft campaign',
    description: SEGMENT_LIMIT,
    request: body(campaigns.createCampaignBody),
    responses: { 201: json(campaigns.campaignResponse, 'Draft'), 400: errors[400], 401: errors[401], 404: errors[404] },
  },
  'GET /v1/campaigns': {
    summary: 'List campaigns, newest first, with their counts',
    request: { query: campaigns.listCampaignsQuery },
    responses: { 200: json(campaigns.campaignPageResponse, 'A page of campaigns'), 401: errors[401] },
  },
  'GET /v1/campaigns/{id}': {
    summary: 'Read a campaign',
    request: { params: campaigns.campaignIdParams },
    responses: { 200: json(campaigns.campaignResponse, 'Campaign'), 401: errors[401], 404: errors[404] },
  },
  'PATCH /v1/campaigns/{id}': {
    summary: 'Edit a draft or scheduled campaign (409 once sending)',
    description: SEGMENT_LIMIT,
    request: { params: campaigns.campaignIdParams, ...body(campaigns.patchCampaignBody) },
    responses: {
      200: json(campaigns.campaignResponse, 'Campaign'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  'DELETE /v1/campaigns/{id}': {
    summary: 'Delete a draft or scheduled campaign (409 once sending)',
    request: { params: campaigns.campaignIdParams },
    responses: { 204: { description: 'Deleted' }, 401: errors[401], 404: errors[404], 409: errors[409] },
  },
  'POST /v1/campaigns/{id}/send': {
    summary:
      "Send now; the answer carries warnings (the preview's content warnings, send time, deferred recipients, recently messaged)",
    description: 'Takes no options: an empty body or {}. Anything else (a schedule belongs to /schedule) is a 400.',
    request: {
      params: campaigns.campaignIdParams,
      body: { content: { 'application/json': { schema: campaigns.sendCampaignBody } }, required: false },
    },
    responses: {
      202: json(campaigns.campaignWithWarningsResponse, 'Sending'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  'POST /v1/campaigns/{id}/schedule': {
    summary: "Schedule at a local time in a zone, or in each recipient's own zone; a past time is a 422",
    description:
      "The answer carries the same warnings as /send: the SMS preview's content warnings for the body over the audience (MULTI_SEGMENT, UCS2_CHARACTER, ...), the send time, deferred and recently messaged recipients.",
    request: { params: campaigns.campaignIdParams, ...body(campaigns.scheduleCampaignBody) },
    responses: {
      200: json(campaigns.campaignWithWarningsResponse, 'Scheduled'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: errors[422],
    },
  },
  'POST /v1/campaigns/{id}/cancel': {
    summary: 'Cancel: before the send time nothing goes; while sending, the rest is not handed to the carrier',
    request: { params: campaigns.campaignIdParams },
    responses: {
      200: json(campaigns.campaignResponse, 'Cancelled'),
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  'POST /v1/campaigns/{id}/pause': {
    summary: 'Pause a sending campaign',
    description:
      'Workers hand nobody more to the carrier; whoever waits stays queued or held. A paused campaign is never complete, and neither its watchdog nor a restart resumes it. Guards pause too: `pauseReason` is `manual`, `carrierFiltering` or `budget`. 409 `CAMPAIGN.INVALID_STATE` naming the state when it is not sending.',
    request: {
      params: campaigns.campaignIdParams,
      body: { content: { 'application/json': { schema: campaigns.pauseCampaignBody } }, required: false },
    },
    responses: {
      200: json(campaigns.campaignResponse, 'Paused'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  'POST /v1/campaigns/{id}/resume': {
    summary: 'Resume a paused campaign where it stopped',
    description:
      'Everyone still waiting is queued again and claimed once each (no duplicates). 409 `CAMPAIGN.INVALID_STATE` naming the state when it is not paused; 422 `CAMPAIGN.OVER_BUDGET` while its budget is still spent.',
    request: {
      params: campaigns.campaignIdParams,
      body: { content: { 'application/json': { schema: campaigns.pauseCampaignBody } }, required: false },
    },
    responses: {
      200: json(campaigns.campaignResponse, 'Sending again'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: errors[422],
    },
  },
  'POST /v1/campaigns/{id}/reconcile': {
    summary: 'Recount the counters from the per-recipient ledger (also done automatically when a campaign closes)',
    request: { params: campaigns.campaignIdParams },
    responses: { 202: json(campaigns.reconcileResponse, 'Recount queued'), 401: errors[401], 404: errors[404] },
  },
  'POST /v1/campaigns/{id}/responders-list': {
    summary: 'Save the responders as a Smart List (tags them replied:<campaignId>; again later adds late responders)',
    request: { params: campaigns.campaignIdParams, ...body(campaigns.respondersListBody.unwrap()) },
    responses: {
      200: json(campaigns.respondersListResponse, 'Existing list, responders tagged'),
      201: json(campaigns.respondersListResponse, 'List created'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'GET /v1/insights/send-times': {
    summary: 'The best times to send, from your own history',
    description:
      'Replies per text by the recipient’s local weekday and hour over your campaigns’ texts (the latest 20,000), each hour shrunk towards your overall rate and needing 20 texts: the best 3 hours. Under 300 texts: `enoughData: false` with a message. `send` and `schedule` warn `FAR_FROM_BEST_SEND_TIME` when the chosen time is over 2 hours from all of them.',
    responses: { 200: json(campaigns.sendTimeInsightsResponse, 'Best windows, or not enough data'), 401: errors[401] },
  },
  'POST /v1/campaigns/{id}/failed-list': {
    summary: 'Save the failed recipients as a Smart List, with their failure category',
    description:
      'Tags each recipient whose text failed `failed:<campaignId>` (the list filters on it) and `failed:<campaignId>:<category>` (invalidNumber, unreachable, spam, ...), so the category is a filter on the tags field; `byCategory` names each tag. Asking again adds later failures and keeps the list.',
    request: { params: campaigns.campaignIdParams, ...body(campaigns.failedListBody.unwrap()) },
    responses: {
      200: json(campaigns.failedListResponse, 'Existing list, failed recipients tagged'),
      201: json(campaigns.failedListResponse, 'List created'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'POST /v1/campaigns/{id}/clickers-list': {
    summary:
      'Save the recipients who clicked a tracked link as a Smart List (tags them clicked:<campaignId>; again later adds late clickers)',
    request: { params: campaigns.campaignIdParams, ...body(campaigns.clickersListBody.unwrap()) },
    responses: {
      200: json(campaigns.clickersListResponse, 'Existing list, clickers tagged'),
      201: json(campaigns.clickersListResponse, 'List created'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'GET /l/{code}': {
    summary: 'Follow a tracked short link: 302 to the original URL, counting the click when a person made it',
    description:
      "Public (no token), throttled. A click is counted once per recipient and link, repeat clicks apart; not counted: user agents of link previewers, scanners and HTTP libraries (empty, *bot*, crawler, spider, preview, facebookexternalhit, WhatsApp, Slack, Telegram, Discord, python-requests, Go-http-client, wget, ...), and clicks within 2 s of the text being sent or of its delivery receipt (carrier and security scanners open links as they arrive). Unknown or expired codes (the tenant's `linkRetentionDays`, default 90) get a plain HTML 404 page, never a redirect.",
    tags: ['links'],
    security: [],
    request: { params: linkRedirect.linkCodeParams },
    responses: {
      302: { description: 'Redirect to the link as written in the text (`Location`)' },
      404: {
        description: 'Plain HTML page: unknown or expired link',
        content: { 'text/html': { schema: z.string() } },
      },
    },
  },
  'GET /v1/campaigns/{id}/results': {
    summary: 'Delivered, failed, responses, opt-outs, rates and flags',
    request: { params: campaigns.campaignIdParams },
    responses: { 200: json(campaigns.resultsResponse, 'Results'), 401: errors[401], 404: errors[404] },
  },
  'GET /v1/campaigns/{id}/estimate': {
    summary: 'When the first and last texts will go out',
    description:
      'For a draft or scheduled campaign: its eligible audience as it is now, each recipient’s window (tenant window, legal and state hours, every zone of the number), segments as rendered, the sender’s rate and the carrier daily cap (settings.carrierDailyCap), from now, the proposed `sendAt`, or the schedule. For a sending or paused campaign: when the recipients still waiting will go. `waitingForNextWindow` counts recipients whose window closes before their turn. A proposed `sendAt` for a campaign that is no longer a draft or scheduled is a 409 `CAMPAIGN.INVALID_STATE` naming its state (`error.status`).',
    request: { params: campaigns.campaignIdParams, query: campaigns.estimateQueryParams },
    responses: {
      200: json(campaigns.estimateResponse, 'The estimate'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: json(errorBody, 'A proposed sendAt for a campaign already sending, paused, sent or cancelled'),
      422: errors[422],
    },
  },
  'GET /v1/campaigns/{id}/messages': {
    summary: 'The per-recipient ledger',
    request: { params: campaigns.campaignIdParams, query: campaigns.messagesQuery },
    responses: { 200: json(campaigns.messagesResponse, 'A page of recipients'), 401: errors[401], 404: errors[404] },
  },
  'POST /v1/workflows': {
    summary: 'Create a draft workflow (the graph is checked on activation)',
    description: SEGMENT_LIMIT,
    request: body(workflows.createWorkflowBody),
    responses: { 201: json(workflows.workflowResponse, 'Draft'), 400: errors[400], 401: errors[401] },
  },
  'GET /v1/workflows': {
    summary: 'List workflows, newest first',
    request: { query: workflows.listWorkflowsQuery },
    responses: { 200: json(workflows.workflowPageResponse, 'A page of workflows'), 400: errors[400], 401: errors[401] },
  },
  'GET /v1/workflows/{id}': {
    summary: 'Read a workflow with its enrollment totals and per-step counts',
    request: { params: workflows.workflowIdParams },
    responses: { 200: json(workflows.workflowWithStatsResponse, 'Workflow'), 401: errors[401], 404: errors[404] },
  },
  'PATCH /v1/workflows/{id}': {
    summary: 'Edit a workflow; once activated, an edit is a new version (running enrollments keep theirs)',
    description: SEGMENT_LIMIT,
    request: { params: workflows.workflowIdParams, ...body(workflows.patchWorkflowBody) },
    responses: {
      200: json(workflows.workflowResponse, 'Workflow'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: json(errorBody, 'The new version of an activated workflow does not hold together; `details` names the step'),
    },
  },
  'DELETE /v1/workflows/{id}': {
    summary: 'Delete a draft or paused workflow (409 while active)',
    request: { params: workflows.workflowIdParams },
    responses: { 204: { description: 'Deleted' }, 401: errors[401], 404: errors[404], 409: errors[409] },
  },
  'POST /v1/workflows/{id}/activate': {
    summary: 'Activate a draft (or resume a paused workflow); the graph must hold together',
    request: { params: workflows.workflowIdParams },
    responses: {
      200: json(workflows.workflowResponse, 'Active'),
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: json(errorBody, 'The graph does not hold together; `details` names each step path (steps.2.next)'),
    },
  },
  'POST /v1/workflows/{id}/pause': {
    summary: 'Pause: nothing new enrolls; running enrollments hold until resumed',
    request: { params: workflows.workflowIdParams },
    responses: {
      200: json(workflows.workflowResponse, 'Paused'),
      401: errors[401],
      404: errors[404],
      409: errors[409],
    },
  },
  'POST /v1/workflows/{id}/resume': {
    summary: 'Resume a paused workflow; held enrollments go on',
    request: { params: workflows.workflowIdParams },
    responses: {
      200: json(workflows.workflowResponse, 'Active'),
      401: errors[401],
      404: errors[404],
      409: errors[409],
      422: errors[422],
    },
  },
  'GET /v1/workflows/{id}/enrollments': {
    summary: 'Enrollments: status, current step, next wake-up, history',
    request: { params: workflows.workflowIdParams, query: workflows.enrollmentsQuery },
    responses: {
      200: json(workflows.enrollmentPageResponse, 'A page of enrollments'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
    },
  },
  'POST /v1/forms/{formId}/submissions': {
    summary: 'A form submission: creates or updates the contact (consent source form) and fires form_submitted',
    request: { params: workflows.formIdParams, ...body(workflows.formSubmissionBody) },
    responses: {
      202: json(workflows.formSubmissionResponse, 'Accepted; workflows run asynchronously'),
      400: errors[400],
      401: errors[401],
      409: errors[409],
    },
  },
  'POST /v1/sms/preview': {
    summary: 'The live character count: encoding, segments, footer, warnings; personalised or over an audience',
    description: SEGMENT_LIMIT,
    request: body(smsPreview.smsPreviewBody),
    responses: {
      200: json(smsPreview.smsPreviewResponse, 'Preview'),
      400: errors[400],
      401: errors[401],
      404: errors[404],
      422: json(errorBody, 'A template variable that is unknown and has no default (named in the message)'),
    },
  },
};

/** The request and answers of assigning a number, the operator's way on AWS and locally. */
const assignNumberOperation = {
  request: body(numbersAdmin.assignNumberBody),
  responses: {
    201: { description: 'Assigned' },
    400: errors[400],
    409: json(errorBody, 'NUMBER.TAKEN: another tenant or pool holds it'),
  },
};

const LOCAL_ONLY = 'Local stack only (`npm start`, tests, benchmarks): never deployed, no token needed.';

/** Routes of the one-machine stack (`local/local-stack.ts`), documented so people trying it can find them. */
export const localOperations: Record<string, Operation> = {
  'POST /local/numbers': {
    summary: 'Assign a sender number to a tenant, or to a pool it joins (what POST /admin/numbers does on AWS)',
    description: `${LOCAL_ONLY} A tenant's first /local/token already gives it a simulated number of its own.`,
    tags: ['local'],
    security: [],
    ...assignNumberOperation,
  },
  'POST /local/carrier': {
    summary: 'Make the simulated carrier filter sends (local only)',
    description: `${LOCAL_ONLY} \`{"blockRate":0.3,"blockReason":"SPAM"}\`: the simulated carrier fails that share of the sends it would deliver with that AWS failure type (\`TEXT_SPAM\`, ...), as carriers filtering a sender do; \`{"blockRate":0}\` ends it.`,
    tags: ['local'],
    security: [],
    request: body(carrierControlBody),
    responses: { 200: json(carrierControlBody, 'The control as set'), 400: errors[400] },
  },
  'GET /local/clock': {
    summary: "Read the local stack's clock",
    description: LOCAL_ONLY,
    tags: ['local'],
    security: [],
    responses: { 200: json(clockReading, 'The time on the stack') },
  },
  'POST /local/clock': {
    summary: 'Move the local clock forward, firing what falls due on the way in order',
    description: `${LOCAL_ONLY} Scheduled campaigns, workflow waits, recipients deferred to the window's opening and date triggers fire at their own instants, earliest first; the answer comes once the stack has settled at the new time. \`LOCAL_TIME\` starts the clock at a chosen instant.`,
    tags: ['local'],
    security: [],
    request: body(clockMoveBody),
    responses: {
      200: json(clockAdvanceResult, 'Moved'),
      400: errors[400],
      409: json(errorBody, 'The time is before the clock: it never moves backward (CLOCK.BACKWARD)'),
    },
  },
};

const OPERATOR_ONLY =
  'Operator only: on AWS behind IAM authorization (a SigV4-signed request), never a tenant token; locally `POST /local/numbers` assigns numbers.';

/** The operator's routes (`adminRoutes` in functions/routes.ts). */
export const adminOperations: Record<string, Operation> = {
  'GET /admin/numbers': {
    summary: 'Every registered sender number',
    description: OPERATOR_ONLY,
    tags: ['operator'],
    security: [],
    responses: { 200: { description: 'A page of numbers' }, 400: errors[400] },
  },
  'POST /admin/numbers': {
    summary: 'Assign a number (with its AWS phone number id and ARN) to a tenant, or to a pool the tenant joins',
    description: OPERATOR_ONLY,
    tags: ['operator'],
    security: [],
    ...assignNumberOperation,
  },
  'GET /admin/unrouted': {
    summary: 'Inbound texts no tenant could be found for (they raise the unrouted-inbound alarm)',
    description: OPERATOR_ONLY,
    tags: ['operator'],
    security: [],
    responses: { 200: { description: 'A page of unrouted texts' }, 400: errors[400] },
  },
  'POST /admin/unrouted/{inboundMessageId}/route': {
    summary: 'Deliver an unrouted inbound text to a tenant (it goes round the inbound queue again)',
    description: OPERATOR_ONLY,
    tags: ['operator'],
    security: [],
    request: { params: numbersAdmin.unroutedParams, ...body(numbersAdmin.routeUnroutedBody) },
    responses: { 202: { description: 'Routing' }, 400: errors[400], 404: errors[404] },
  },
};

/** Builds the OpenAPI 3.1 document from the same zod schemas that validate the requests. */
export function buildOpenApiDocument() {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  for (const route of apiRoutes) {
    const operation = operations[`${route.method} ${route.path}`];
    if (!operation) throw new Error(`No OpenAPI operation for ${route.method} ${route.path}`);
    registry.registerPath({ method: route.method.toLowerCase() as 'get', path: route.path, ...operation });
  }
  for (const [key, operation] of Object.entries({ ...adminOperations, ...localOperations })) {
    const [method, path] = key.split(' ') as [string, string];
    registry.registerPath({ method: method.toLowerCase() as 'get', path, ...operation });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'SMS engine API',
      version: '1.0.0',
      description: 'SMS campaigns and workflows of the CRM. The tenant comes from the bearer token only.',
    },
    security: [{ bearerAuth: [] }],
  });
}
