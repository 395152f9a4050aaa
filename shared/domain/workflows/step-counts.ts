import type { EnrollmentHistoryEntry } from './enrollment';
import type { WorkflowStep } from './workflow.schema';

/** The per-step counters the API shows. */
export const STEP_COUNTERS = ['entered', 'completed', 'sent', 'skipped', 'replied'] as const;
export type StepCounter = (typeof STEP_COUNTERS)[number];

/** Changes to add to the counters: `stepId -> counter -> n`. */
export type StepCountDeltas = Record<string, Partial<Record<StepCounter, number>>>;

/**
 * What one advance did to the per-step counters, read from the history entries it added: an instant step (a text, a
 * tag, an if) is entered and completed at once; a wait is entered when the enrollment starts waiting and completed
 * when it wakes, gets its reply or times out; an `end` step is entered and completed. The `completed` entry written
 * when an enrollment runs off its last step names a step already counted, so it adds nothing.
 */
export function stepCountDeltas(
  entries: readonly EnrollmentHistoryEntry[],
  steps: readonly Pick<WorkflowStep, 'id' | 'type'>[],
): StepCountDeltas {
  const deltas: StepCountDeltas = {};
  const add = (stepId: string, counter: StepCounter) => {
    const step = deltas[stepId] ?? {};
    step[counter] = (step[counter] ?? 0) + 1;
    deltas[stepId] = step;
  };
  for (const entry of entries) {
    switch (entry.outcome) {
      case 'sent':
      case 'tagged':
      case 'untagged':
      case 'then':
      case 'else':
        add(entry.stepId, 'entered');
        add(entry.stepId, 'completed');
        break;
      case 'waiting':
        add(entry.stepId, 'entered');
        break;
      case 'woke':
      case 'replied':
      case 'timed_out':
        add(entry.stepId, 'completed');
        break;
      case 'completed':
        if (steps.find((step) => step.id === entry.stepId)?.type === 'end') {
          add(entry.stepId, 'entered');
          add(entry.stepId, 'completed');
        }
        break;
      case 'exited':
      case 'held':
        break;
    }
  }
  return deltas;
}
