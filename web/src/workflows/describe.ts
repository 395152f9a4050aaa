import type { WorkflowStep, WorkflowTrigger } from '../api/types';

const UNITS: Record<string, [string, string]> = {
  D: ['day', 'days'],
  H: ['hour', 'hours'],
  M: ['minute', 'minutes'],
  S: ['second', 'seconds'],
};

/** `PT2H` -> "2 hours", `-PT24H` -> "24 hours before", `P1DT2H` -> "1 day 2 hours". */
export function describeDuration(iso: string): string {
  const match = /^(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!match) return iso;
  const parts = (['D', 'H', 'M', 'S'] as const)
    .map((unit, index) => [unit, Number(match[index + 2] ?? 0)] as const)
    .filter(([, value]) => value > 0)
    .map(([unit, value]) => `${value} ${(UNITS[unit] as [string, string])[value === 1 ? 0 : 1]}`);
  return parts.join(' ') || '0 minutes';
}

export function describeTrigger(trigger: WorkflowTrigger): string {
  switch (trigger.type) {
    case 'form_submitted':
      return `Form “${trigger.formId}” is submitted`;
    case 'tag_added':
      return `Tag “${trigger.tag}” is added`;
    case 'contact_created':
      return 'A contact is created';
    case 'inbound_keyword':
      return `Someone texts “${trigger.keyword}”`;
    case 'date_field':
      return `${describeDuration(trigger.offset)} ${trigger.offset.startsWith('-') ? 'before' : 'after'} the date in “${trigger.field}”`;
    default:
      return 'Unknown trigger';
  }
}

export function describeStep(step: WorkflowStep): string {
  switch (step.type) {
    case 'send_sms':
      return `Send text: “${step.body}”`;
    case 'wait':
      return `Wait ${describeDuration(step.duration)}`;
    case 'wait_until':
      return `Wait until ${step.time}${step.days ? ` on ${step.days.join(', ')}` : ''}`;
    case 'wait_for_reply':
      return `Wait up to ${describeDuration(step.timeout)} for a reply`;
    case 'if':
      return `If ${step.condition.field} ${step.condition.op}${step.condition.value === undefined ? '' : ` ${String(step.condition.value)}`}`;
    case 'add_tag':
      return `Add tag “${step.tag}”`;
    case 'remove_tag':
      return `Remove tag “${step.tag}”`;
    case 'end':
      return 'End';
    default:
      return 'Step';
  }
}

export const STEP_TITLES: Record<WorkflowStep['type'], string> = {
  send_sms: 'Send text',
  wait: 'Wait',
  wait_until: 'Wait until',
  wait_for_reply: 'Wait for reply',
  if: 'If / else',
  add_tag: 'Add tag',
  remove_tag: 'Remove tag',
  end: 'End',
};

/** Where a step goes next: labelled edges (branches) or the default next step. */
export function edgesOf(steps: WorkflowStep[], index: number): { to: string; label?: string }[] {
  const step = steps[index] as WorkflowStep;
  switch (step.type) {
    case 'wait_for_reply':
      return [
        { to: step.onReply, label: 'reply' },
        { to: step.onTimeout, label: 'no reply' },
      ];
    case 'if':
      return [
        { to: step.then, label: 'yes' },
        { to: step.else, label: 'no' },
      ];
    case 'end':
      return [];
    default: {
      const next = (step as { next?: string }).next ?? steps[index + 1]?.id;
      return next ? [{ to: next }] : [];
    }
  }
}
