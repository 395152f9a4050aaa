export { type ContentCheckInput, checkContent } from './content-checks';
export { GSM_BASIC_CHARACTERS, GSM_EXTENSION_CHARACTERS, gsmSeptetsOf, isGsmText } from './gsm-alphabet';
export { suggestGsmReplacement } from './gsm-replacements';
export { FILTERED_LINK_SHORTENERS, findLinks } from './links';
export { type AnalyzeOptions, analyzeMessage } from './message-analysis';
export { appendOptOutFooter, hasOptOutInstruction } from './opt-out';
export {
  assertBodyWithinSegmentLimit,
  bodySegmentIssue,
  MAX_SEGMENTS_BOUNDS,
  refineBodyWithinSegmentBound,
  type SegmentLimitSettings,
  segmentLimitIssue,
} from './segment-limit';
export {
  countSegments,
  GSM_PART_SEPTETS,
  GSM_SINGLE_SEPTETS,
  measureSegments,
  type SegmentCount,
  type SmsEncoding,
  splitIntoSegments,
  UCS2_PART_UNITS,
  UCS2_SINGLE_UNITS,
} from './segments';
export * from './sms.schema';
export {
  type AudienceSegments,
  AudienceSegmentTally,
  estimateAudienceSegments,
  previewSmsMessage,
  type SmsPreview,
  type SmsPreviewInput,
} from './sms-preview';
export {
  type CompiledTemplate,
  type CustomFieldNames,
  compileTemplate,
  type RenderOptions,
  type TemplateToken,
} from './template';
export { type TemplateError, TemplateSyntaxError, TemplateVariableError } from './template-errors';
