import type { paths } from './schema.gen';

/** The JSON an operation answers with on `status`, straight from the generated OpenAPI types. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends Record<S, { content: { 'application/json': infer J } }>
    ? J
    : never
  : never;

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer J } };
}
  ? J
  : never;

export type Settings = ResponseOf<'/v1/settings', 'get'>;
export type SettingsPatch = BodyOf<'/v1/settings', 'patch'>;
export type SenderNumber = ResponseOf<'/v1/numbers', 'get'>['items'][number];
export type Contact = ResponseOf<'/v1/contacts/{id}', 'get'>;
export type TagSummary = ResponseOf<'/v1/tags', 'get'>['items'][number];
export type ConsentEvent = ResponseOf<'/v1/contacts/{id}/consent', 'get'>['items'][number];
export type Campaign = ResponseOf<'/v1/campaigns/{id}', 'get'>;
export type CampaignWarning =
  ResponseOf<'/v1/campaigns/{id}/send', 'post', 202> extends { warnings: infer W }
    ? W extends (infer One)[]
      ? One
      : never
    : { code: string; message: string };
export type CampaignResults = ResponseOf<'/v1/campaigns/{id}/results', 'get'>;
export type LedgerEntry = ResponseOf<'/v1/campaigns/{id}/messages', 'get'>['items'][number];
export type LedgerStatus = NonNullable<
  NonNullable<paths['/v1/campaigns/{id}/messages']['get']['parameters']['query']>['status']
>;
export type ScheduleBody = BodyOf<'/v1/campaigns/{id}/schedule', 'post'>;
export type AudiencePreview = ResponseOf<'/v1/audiences/preview', 'post'>;
export type SmsPreview = ResponseOf<'/v1/sms/preview', 'post'>;
export type MessageType = NonNullable<
  SmsPreview extends never ? never : BodyOf<'/v1/sms/preview', 'post'>['messageType']
>;
export type SmartList = ResponseOf<'/v1/smart-lists/{id}', 'get'>;
export type Workflow = ResponseOf<'/v1/workflows', 'get'>['items'][number];
export type WorkflowDetail = ResponseOf<'/v1/workflows/{id}', 'get'>;
export type WorkflowInput = BodyOf<'/v1/workflows', 'post'>;
export type WorkflowStep = Workflow['steps'][number];
export type WorkflowTrigger = Workflow['trigger'];
export type Enrollment = ResponseOf<'/v1/workflows/{id}/enrollments', 'get'>['items'][number];
export type FormSubmission = BodyOf<'/v1/forms/{formId}/submissions', 'post'>;

/**
 * An audience as the console builds it. The OpenAPI document describes `audience` as free-form (the server's keyed
 * union does not translate to JSON Schema), so this one shape mirrors API.md's `{tags: {any, all, none}}` or
 * `{smartListId}`; the server validates it and its errors name the field.
 */
export type Audience = { tags: { any?: string[]; all?: string[]; none?: string[] } } | { smartListId: string };
