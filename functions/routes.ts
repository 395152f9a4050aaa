/**
 * The HTTP API's route table: one source for the CDK API stack and the local server,
 * so a route that exists locally exists on AWS and the other way round.
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ApiFunctionSpec {
  /** Entry file, relative to the repository root. */
  entry: string;
  /** Tables the function reads or writes (infra grants exactly these). */
  tables: {
    contacts?: 'read' | 'readWrite';
    campaigns?: 'read' | 'readWrite';
    workflows?: 'read' | 'readWrite';
    /** The operator's number registry: tenants' functions only ever read it. */
    numbers?: 'read' | 'readWrite';
  };
  /** Messaging resources it uses: queues it sends to, and whether it manages schedules. */
  messaging?: { sendsTo?: readonly ('launch' | 'send' | 'events' | 'workflows' | 'inbound')[]; schedules?: boolean };
}

export const apiFunctions = {
  // numbers read: a tenant may only pick a sender number assigned to it.
  settings: { entry: 'functions/settings/settings.handler.ts', tables: { contacts: 'readWrite', numbers: 'read' } },
  // contacts read: which of its numbers the tenant's settings pick.
  numbers: { entry: 'functions/numbers/numbers.handler.ts', tables: { contacts: 'read', numbers: 'read' } },
  contacts: {
    entry: 'functions/contacts/contacts.handler.ts',
    // campaigns read: a contact's conversation reads the texts sent to it (ledger entries and message records).
    tables: { contacts: 'readWrite', campaigns: 'read' },
    // Contact events (created, tag added, changed, deleted) feed the workflow triggers.
    messaging: { sendsTo: ['events'], schedules: false },
  },
  smartLists: { entry: 'functions/smart-lists/smart-lists.handler.ts', tables: { contacts: 'readWrite' } },
  audiences: { entry: 'functions/audiences/audiences.handler.ts', tables: { contacts: 'read' } },
  campaigns: {
    entry: 'functions/campaigns/campaigns.handler.ts',
    // contacts readWrite: a responders list tags the responders and saves a Smart List.
    // numbers read: a campaign is refused (422) while the tenant has no sender number.
    tables: { contacts: 'readWrite', campaigns: 'readWrite', numbers: 'read' },
    messaging: { sendsTo: ['launch'], schedules: true },
  },
  smsPreview: { entry: 'functions/sms-preview/sms-preview.handler.ts', tables: { contacts: 'read' } },
  // Workflow definitions, enrollments and form submissions. Sends: form events; resume re-arms on the runner queue.
  workflows: {
    entry: 'functions/workflows/workflows.handler.ts',
    tables: { contacts: 'readWrite', campaigns: 'read', workflows: 'readWrite' },
    messaging: { sendsTo: ['events', 'workflows'], schedules: false },
  },
  openapi: { entry: 'functions/openapi/openapi.handler.ts', tables: {} },
  // The public short-link redirect: finds the link by its code and counts the click on the campaign's ledger entry;
  // a workflow text's first click goes out as a `linkClicked` event for the workflow triggers.
  links: {
    entry: 'functions/link-redirect/link-redirect.handler.ts',
    tables: { campaigns: 'readWrite' },
    messaging: { sendsTo: ['events'], schedules: false },
  },
} as const satisfies Record<string, ApiFunctionSpec>;

export type ApiFunctionName = keyof typeof apiFunctions;

export interface ApiRoute {
  method: HttpMethod;
  /** API Gateway path template, e.g. `/v1/contacts/{id}`. */
  path: string;
  function: ApiFunctionName;
  /** Public routes skip the JWT authorizer; everything else requires it. */
  public?: boolean;
  /** Why a public route is public (the cdk-nag acknowledgement quotes it). */
  publicReason?: string;
  /** A route's own throttle (requests per second, burst) below the stage's, for public routes anyone can call. */
  throttle?: { rateLimit: number; burstLimit: number };
}

export const apiRoutes: readonly ApiRoute[] = [
  { method: 'GET', path: '/v1/openapi.json', function: 'openapi', public: true },
  { method: 'GET', path: '/v1/settings', function: 'settings' },
  { method: 'GET', path: '/v1/numbers', function: 'numbers' },
  { method: 'PATCH', path: '/v1/settings', function: 'settings' },
  { method: 'POST', path: '/v1/contacts', function: 'contacts' },
  { method: 'GET', path: '/v1/contacts', function: 'contacts' },
  { method: 'POST', path: '/v1/contacts/import', function: 'contacts' },
  { method: 'GET', path: '/v1/contacts/{id}', function: 'contacts' },
  { method: 'PATCH', path: '/v1/contacts/{id}', function: 'contacts' },
  { method: 'DELETE', path: '/v1/contacts/{id}', function: 'contacts' },
  { method: 'GET', path: '/v1/contacts/{id}/consent', function: 'contacts' },
  { method: 'POST', path: '/v1/contacts/{id}/tags', function: 'contacts' },
  { method: 'DELETE', path: '/v1/contacts/{id}/tags/{tag}', function: 'contacts' },
  { method: 'GET', path: '/v1/tags', function: 'contacts' },
  { method: 'GET', path: '/v1/contacts/{id}/messages', function: 'contacts' },
  { method: 'GET', path: '/v1/conversations', function: 'contacts' },
  { method: 'POST', path: '/v1/conversations/{contactId}/read', function: 'contacts' },
  { method: 'POST', path: '/v1/smart-lists', function: 'smartLists' },
  { method: 'GET', path: '/v1/smart-lists', function: 'smartLists' },
  { method: 'GET', path: '/v1/smart-lists/{id}', function: 'smartLists' },
  { method: 'PATCH', path: '/v1/smart-lists/{id}', function: 'smartLists' },
  { method: 'DELETE', path: '/v1/smart-lists/{id}', function: 'smartLists' },
  { method: 'POST', path: '/v1/audiences/preview', function: 'audiences' },
  { method: 'POST', path: '/v1/sms/preview', function: 'smsPreview' },
  { method: 'POST', path: '/v1/campaigns', function: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns', function: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns/{id}', function: 'campaigns' },
  { method: 'PATCH', path: '/v1/campaigns/{id}', function: 'campaigns' },
  { method: 'DELETE', path: '/v1/campaigns/{id}', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/send', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/schedule', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/cancel', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/pause', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/resume', function: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns/{id}/results', function: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns/{id}/messages', function: 'campaigns' },
  { method: 'GET', path: '/v1/campaigns/{id}/estimate', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/reconcile', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/responders-list', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/clickers-list', function: 'campaigns' },
  { method: 'POST', path: '/v1/campaigns/{id}/failed-list', function: 'campaigns' },
  { method: 'GET', path: '/v1/insights/send-times', function: 'campaigns' },
  { method: 'POST', path: '/v1/workflows', function: 'workflows' },
  { method: 'GET', path: '/v1/workflows', function: 'workflows' },
  { method: 'GET', path: '/v1/workflows/{id}', function: 'workflows' },
  { method: 'PATCH', path: '/v1/workflows/{id}', function: 'workflows' },
  { method: 'DELETE', path: '/v1/workflows/{id}', function: 'workflows' },
  { method: 'POST', path: '/v1/workflows/{id}/activate', function: 'workflows' },
  { method: 'POST', path: '/v1/workflows/{id}/pause', function: 'workflows' },
  { method: 'POST', path: '/v1/workflows/{id}/resume', function: 'workflows' },
  { method: 'GET', path: '/v1/workflows/{id}/enrollments', function: 'workflows' },
  { method: 'POST', path: '/v1/forms/{formId}/submissions', function: 'workflows' },
  {
    method: 'GET',
    path: '/l/{code}',
    function: 'links',
    public: true,
    publicReason:
      'it is the tracked short link people open from a text message on their phones, without an account; the code is 72 random bits, the answer is a redirect to the stored URL or a 404 page, and no tenant data is returned',
    throttle: { rateLimit: 200, burstLimit: 400 },
  },
];

/**
 * The operator's routes: sender numbers are assigned to tenants here, never by a tenant. On AWS they sit behind IAM
 * authorization (an operator's signed request), not the tenants' JWT authorizer; locally `POST /local/numbers` does
 * the same job. The local server does not serve these.
 */
export const adminFunctions = {
  // Sends to the inbound queue: an unrouted text the operator routes by hand goes round again.
  numbersAdmin: {
    entry: 'functions/numbers-admin/numbers-admin.handler.ts',
    tables: { numbers: 'readWrite' },
    messaging: { sendsTo: ['inbound'], schedules: false },
  },
} as const satisfies Record<string, ApiFunctionSpec>;

export type AdminFunctionName = keyof typeof adminFunctions;

export interface AdminRoute {
  method: HttpMethod;
  path: string;
  function: AdminFunctionName;
}

export const adminRoutes: readonly AdminRoute[] = [
  { method: 'GET', path: '/admin/numbers', function: 'numbersAdmin' },
  { method: 'POST', path: '/admin/numbers', function: 'numbersAdmin' },
  { method: 'GET', path: '/admin/unrouted', function: 'numbersAdmin' },
  { method: 'POST', path: '/admin/unrouted/{inboundMessageId}/route', function: 'numbersAdmin' },
];
