import type { WorkflowInput } from '../api/types';

export interface WorkflowTemplate {
  id: string;
  title: string;
  description: string;
  workflow: WorkflowInput;
}

/** The three starter workflows; the person edits names, texts, waits and the trigger before creating one. */
export const WORKFLOW_TEMPLATES: WorkflowTemplate[] = [
  {
    id: 'new-lead',
    title: 'New lead follow-up',
    description: 'A lead fills in your form: thank them at once, nudge them if they do not answer in 2 hours.',
    workflow: {
      name: 'New lead follow-up',
      messageType: 'TRANSACTIONAL',
      stopOnResponse: false,
      allowReentry: false,
      trigger: { type: 'form_submitted', formId: 'new-lead' },
      steps: [
        {
          id: 'hello',
          type: 'send_sms',
          body: 'Hi {{contact.first_name | default: "there"}}, thanks for reaching out! Any questions we can answer?',
        },
        { id: 'wait-reply', type: 'wait_for_reply', timeout: 'PT2H', onReply: 'engaged', onTimeout: 'nudge' },
        { id: 'nudge', type: 'send_sms', body: 'Still looking? Reply YES and we will call you.', next: 'done' },
        { id: 'engaged', type: 'add_tag', tag: 'Engaged', next: 'done' },
        { id: 'done', type: 'end' },
      ],
    },
  },
  {
    id: 'appointment-reminder',
    title: 'Appointment reminder',
    description: 'A day before the date in the contact’s appointment field, remind them; ask them to confirm.',
    workflow: {
      name: 'Appointment reminder',
      messageType: 'TRANSACTIONAL',
      stopOnResponse: false,
      allowReentry: true,
      trigger: { type: 'date_field', field: 'appointmentAt', offset: '-PT24H' },
      steps: [
        {
          id: 'remind',
          type: 'send_sms',
          body: 'Hi {{contact.first_name | default: "there"}}, a reminder of your appointment tomorrow. Reply C to confirm.',
        },
        { id: 'wait-confirm', type: 'wait_for_reply', timeout: 'PT12H', onReply: 'confirmed', onTimeout: 'done' },
        { id: 'confirmed', type: 'add_tag', tag: 'Appointment confirmed', next: 'done' },
        { id: 'done', type: 'end' },
      ],
    },
  },
  {
    id: 'check-in',
    title: 'Post-appointment check-in',
    description: 'When a contact is tagged “Visited”, ask how it went two hours later and tag those who answer.',
    workflow: {
      name: 'Post-appointment check-in',
      messageType: 'TRANSACTIONAL',
      stopOnResponse: false,
      allowReentry: true,
      trigger: { type: 'tag_added', tag: 'Visited' },
      steps: [
        { id: 'pause', type: 'wait', duration: 'PT2H' },
        {
          id: 'ask',
          type: 'send_sms',
          body: 'Thanks for visiting today, {{contact.first_name | default: "there"}}! How did it go? Reply 1-5.',
        },
        { id: 'wait-answer', type: 'wait_for_reply', timeout: 'P2D', onReply: 'answered', onTimeout: 'done' },
        { id: 'answered', type: 'add_tag', tag: 'Checked in', next: 'done' },
        { id: 'done', type: 'end' },
      ],
    },
  },
];
