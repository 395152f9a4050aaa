import type { FilterableContact } from '../../../shared/domain/audience/filter-evaluator';
import { type Enrollment, newEnrollment } from '../../../shared/domain/workflows/enrollment';
import { type Workflow, workflowInputSchema } from '../../../shared/domain/workflows/workflow.schema';

/** Monday 2 March 2026, 15:00 UTC (10:00 in New York). */
export const NOW = new Date('2026-03-02T15:00:00.000Z');
export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const later = (ms: number, from: Date = NOW) => new Date(from.getTime() + ms);

export function contact(overrides: Partial<FilterableContact> = {}): FilterableContact {
  return {
    id: 'contact-1',
    phone: '+12125550123',
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: null,
    tags: [],
    timeZone: 'America/New_York',
    customFields: {},
    smsConsent: { status: 'opted_in', source: 'form', at: NOW.toISOString() },
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    ...overrides,
  };
}

/** A minimal valid definition around the given steps (a form trigger, defaults for the rest). */
export function definition(steps: unknown[], overrides: Record<string, unknown> = {}) {
  return { name: 'Welcome', trigger: { type: 'form_submitted', formId: 'signup' }, steps, ...overrides };
}

/** Parses the steps as the API would (so the test fails loudly on an invalid definition) and stores them. */
export function workflow(steps: unknown[]): Workflow {
  const input = workflowInputSchema.parse(definition(steps));
  return {
    ...input,
    id: 'wf-1',
    status: 'active',
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
    activatedAt: NOW.toISOString(),
    pauseReason: null,
    pauseEvidence: null,
  };
}

export function enrollIn(flow: Workflow, at: Date = NOW): Enrollment {
  return newEnrollment(flow, 'contact-1', at);
}
