export {
  type Audience,
  audienceSchema,
  filterAudienceSchema,
  MAX_TAGS_PER_LIST,
  smartListAudienceSchema,
  type TagGroup,
  tagAudienceSchema,
  tagGroupSchema,
} from './audience.schema';
export { MAX_TEXT_VALUE_LENGTH, MAX_WITHIN_DAYS } from './condition-value';
export {
  classifyEligibility,
  type Eligibility,
  type EligibilityOptions,
  type ExclusionReason,
  type ExclusionSummary,
  ExclusionTally,
  SAMPLE_SIZE,
} from './eligibility';
export {
  type Condition,
  conditionSchema,
  type Filter,
  type FilterGroup,
  type FilterNode,
  filterSchema,
} from './filter.schema';
export { type ContactPredicate, compileFilter, type FilterableContact } from './filter-evaluator';
export {
  FILTER_OPERATORS,
  type FieldKind,
  type FilterField,
  type FilterOperator,
  OPERATORS_BY_KIND,
  STANDARD_FIELD_KINDS,
} from './filter-fields';
export { FILTER_LIMITS } from './filter-limits';
export { matchesTagGroup, planTagAudience, type TagScanPlan } from './tag-audience';
