import {
  DEFAULT_WORKFLOW_MESSAGE_TYPE,
  durationSchema,
  keywordSchema,
  offsetSchema,
  WORKFLOW_LIMITS,
  workflowInputSchema,
  workflowSchema,
  workflowStepSchema,
  workflowTriggerSchema,
} from '../../../shared/domain/workflows/workflow.schema';
import { definition, NOW } from './workflow-fixtures';

/** `[path, message]` of every issue, so a test can say where the problem is reported and how it reads. */
function issuesOf(
  schema: { safeParse(input: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  input: unknown,
) {
  const issues = schema.safeParse(input).error?.issues ?? [];
  return issues.map((issue) => [issue.path.join('.'), issue.message] as const);
}

const everyStepType = [
  { id: 'welcome', type: 'send_sms', body: 'Hi {{contact.first_name}}! Reply YES to confirm.' },
  { id: 'confirm', type: 'wait_for_reply', timeout: 'PT24H', onReply: 'tag-confirmed', onTimeout: 'nudge' },
  { id: 'tag-confirmed', type: 'add_tag', tag: 'confirmed', next: 'done' },
  { id: 'nudge', type: 'wait_until', time: '10:00', days: ['MON', 'WED', 'FRI'] },
  {
    id: 'vip_check',
    type: 'if',
    condition: { field: 'tags', op: 'contains', value: 'vip' },
    // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
    then: 'vip-note',
    else: 'pause',
  },
  { id: 'vip-note', type: 'send_sms', body: 'A VIP offer for you', next: 'done' },
  { id: 'pause', type: 'wait', duration: 'PT2H' },
  { id: 'untag', type: 'remove_tag', tag: 'lead' },
  { id: 'done', type: 'end' },
];

describe('workflowInputSchema', () => {
  it('accepts a definition using every step type and fills in the defaults', () => {
    // Act
    const result = workflowInputSchema.safeParse(definition(everyStepType));

    // Assert
    expect(result.error?.issues).toBeUndefined();
    expect(result.data).toMatchObject({
      name: 'Welcome',
      messageType: DEFAULT_WORKFLOW_MESSAGE_TYPE,
      stopOnResponse: false,
      allowReentry: false,
    });
    expect(result.data?.steps).toHaveLength(everyStepType.length);
  });

  it('defaults messageType to PROMOTIONAL, as campaigns do, and keeps an explicit TRANSACTIONAL', () => {
    const steps = [{ id: 'a', type: 'send_sms', body: 'Your appointment is tomorrow' }];
    expect(workflowInputSchema.parse(definition(steps)).messageType).toBe('PROMOTIONAL');
    expect(workflowInputSchema.parse(definition(steps, { messageType: 'TRANSACTIONAL' })).messageType).toBe(
      'TRANSACTIONAL',
    );
  });

  it('takes stopOnResponse and allowReentry as given', () => {
    const steps = [{ id: 'a', type: 'send_sms', body: 'Hi' }];
    const parsed = workflowInputSchema.parse(definition(steps, { stopOnResponse: true, allowReentry: true }));
    expect(parsed).toMatchObject({ stopOnResponse: true, allowReentry: true });
  });

  it.each([
    ['no name', { name: '' }, 'name', 'must not be empty'],
    ['a blank name', { name: '   ' }, 'name', 'must not be empty'],
    ['a name too long', { name: 'x'.repeat(121) }, 'name', 'must be at most 120 characters'],
    ['no steps', { steps: [] }, 'steps', 'must hold at least one step'],
    ['steps not a list', { steps: {} }, 'steps', 'must be a list of steps'],
    ['a wrong messageType', { messageType: 'MARKETING' }, 'messageType', expect.any(String)],
    ['stopOnResponse not a boolean', { stopOnResponse: 'yes' }, 'stopOnResponse', 'must be true or false'],
    ['an unknown key', { owner: 'me' }, '', 'Unrecognized key: "owner"'],
  ])('refuses %s, naming the field', (_label, overrides, path, message) => {
    // Arrange
    const input = definition([{ id: 'a', type: 'send_sms', body: 'Hi' }], overrides);

    // Act
    const issues = issuesOf(workflowInputSchema, input);

    // Assert
    expect(issues).toContainEqual([path, message]);
  });

  it('refuses more than 100 steps', () => {
    const steps = Array.from({ length: WORKFLOW_LIMITS.steps + 1 }, (_, i) => ({
      id: `s${i}`,
      type: 'wait',
      duration: 'PT1H',
    }));
    expect(issuesOf(workflowInputSchema, definition(steps))).toEqual([['steps', 'must hold at most 100 steps']]);
  });

  it('reports graph problems at the field to fix', () => {
    // Arrange
    const steps = [
      { id: 'a', type: 'send_sms', body: 'Hi', next: 'missing' },
      { id: 'a', type: 'end' },
    ];

    // Act
    const issues = issuesOf(workflowInputSchema, definition(steps));

    // Assert
    expect(issues).toEqual([
      ['steps.1.id', '"a" is already the id of steps.0; step ids must be unique'],
      ['steps.0.next', 'names no step: there is no step with id "missing"'],
    ]);
  });

  it('reports graph problems together with field problems once every step can be read', () => {
    const steps = [
      { id: 'a', type: 'send_sms', body: '', next: 'missing' },
      { id: 'b', type: 'end' },
    ];
    expect(issuesOf(workflowInputSchema, definition(steps))).toEqual([
      ['steps.0.body', 'must not be empty'],
      ['steps.0.next', 'names no step: there is no step with id "missing"'],
      [
        'steps.1',
        '"b" can never be reached from the first step "a"; point a next, then, else, onReply or onTimeout at it, or remove it',
      ],
    ]);
  });

  it('leaves the graph unchecked while a step cannot be read at all', () => {
    const steps = [
      { id: 'a', type: 'teleport', next: 'missing' },
      { id: 'b', type: 'wait_for_reply', timeout: 'PT1H' },
    ];
    expect(issuesOf(workflowInputSchema, definition(steps))).toEqual([
      ['steps.0.type', 'must be one of send_sms, wait, wait_until, wait_for_reply, if, add_tag, remove_tag, end'],
      ['steps.1.onReply', 'is required'],
      ['steps.1.onTimeout', 'is required'],
    ]);
  });
});

describe('workflowTriggerSchema', () => {
  it.each([
    [{ type: 'form_submitted', formId: 'signup-2026' }],
    [{ type: 'tag_added', tag: 'new lead' }],
    [{ type: 'contact_created' }],
    [{ type: 'inbound_keyword', keyword: 'JOIN' }],
    [{ type: 'date_field', field: 'appointmentAt', offset: '-PT24H' }],
    [{ type: 'date_field', field: 'birthday', offset: 'PT9H' }],
    [{ type: 'date_field', field: 'renewsAt', offset: '-P2DT3H' }],
    [{ type: 'link_clicked' }],
    [{ type: 'link_clicked', campaignId: '01JCAMPAIGN' }],
  ])('accepts %j', (trigger) => {
    expect(workflowTriggerSchema.safeParse(trigger).error?.issues).toBeUndefined();
  });

  it('upper-cases and trims the keyword', () => {
    expect(workflowTriggerSchema.parse({ type: 'inbound_keyword', keyword: ' join ' })).toEqual({
      type: 'inbound_keyword',
      keyword: 'JOIN',
    });
  });

  it.each([
    [
      { type: 'birthday' },
      'type',
      'must be one of form_submitted, tag_added, contact_created, inbound_keyword, date_field, link_clicked',
    ],
    [
      {},
      'type',
      'must be one of form_submitted, tag_added, contact_created, inbound_keyword, date_field, link_clicked',
    ],
    [{ type: 'form_submitted' }, 'formId', 'is required'],
    [{ type: 'form_submitted', formId: 'a/b' }, 'formId', 'must use only letters, digits, _ and -'],
    [{ type: 'tag_added', tag: ' ' }, 'tag', 'must not be empty'],
    [{ type: 'contact_created', tag: 'x' }, '', 'Unrecognized key: "tag"'],
    [
      { type: 'inbound_keyword', keyword: 'two words' },
      'keyword',
      'must be one word of letters and digits, such as JOIN',
    ],
    [{ type: 'inbound_keyword', keyword: 'X'.repeat(31) }, 'keyword', 'must be at most 30 characters'],
    [
      { type: 'inbound_keyword', keyword: 'stop' },
      'keyword',
      'is reserved for opt-out and help (STOP, HELP, START...)',
    ],
    [{ type: 'date_field', field: '1st', offset: 'P1D' }, 'field', expect.stringContaining('must start with a letter')],
    [
      { type: 'date_field', field: 'appointmentAt', offset: 'yesterday' },
      'offset',
      expect.stringContaining('ISO-8601'),
    ],
    [{ type: 'date_field', field: 'appointmentAt', offset: '-P1M' }, 'offset', expect.stringContaining('months')],
    [
      { type: 'date_field', field: 'appointmentAt', offset: '-P400D' },
      'offset',
      'must be at most 365 days (P365D) either way',
    ],
  ])('refuses %j at %s', (trigger, path, message) => {
    expect(issuesOf(workflowTriggerSchema, trigger)).toContainEqual([path, message]);
  });
});

describe('workflowStepSchema', () => {
  it.each([
    [
      { id: 'a', type: 'launch' },
      'type',
      'must be one of send_sms, wait, wait_until, wait_for_reply, if, add_tag, remove_tag, end',
    ],
    [{ id: 'has space', type: 'end' }, 'id', 'must use only letters, digits, _ and -'],
    [{ id: 'x'.repeat(65), type: 'end' }, 'id', 'must be at most 64 characters'],
    [{ type: 'end' }, 'id', 'is required'],
    [
      { id: 'a', type: 'send_sms', body: 'x'.repeat(1600) },
      'body',
      'must fit in 10 segments (maxSegments); it is 11 segments of GSM-7 (1600 characters)',
    ],
    [{ id: 'a', type: 'send_sms', body: 'Hi', next: 'b c' }, 'next', 'must use only letters, digits, _ and -'],
    [{ id: 'a', type: 'send_sms', body: 'Hi', duration: 'PT1H' }, '', 'a send_sms step does not take "duration"'],
    [{ id: 'a', type: 'wait', duration: 'PT0S' }, 'duration', 'must be longer than zero (e.g. PT5S)'],
    [{ id: 'a', type: 'wait', duration: '-PT1H' }, 'duration', 'must be longer than zero (e.g. PT5S)'],
    [{ id: 'a', type: 'wait', duration: 'P366D' }, 'duration', 'must be at most 365 days (P365D)'],
    [{ id: 'a', type: 'wait', duration: 'P1M' }, 'duration', expect.stringContaining('must not use months or years')],
    [{ id: 'a', type: 'wait', duration: '2 hours' }, 'duration', expect.stringContaining('ISO-8601 duration')],
    [{ id: 'a', type: 'wait' }, 'duration', 'is required'],
    [{ id: 'a', type: 'wait_until', time: '24:00' }, 'time', 'must be a time of day as HH:MM (24-hour), such as 10:00'],
    [{ id: 'a', type: 'wait_until', time: '9:00' }, 'time', 'must be a time of day as HH:MM (24-hour), such as 10:00'],
    [
      { id: 'a', type: 'wait_until', time: '09:00', days: [] },
      'days',
      'must name at least one day (or be left out for every day)',
    ],
    [{ id: 'a', type: 'wait_until', time: '09:00', days: ['MON', 'MON'] }, 'days', 'must not repeat a day'],
    [
      { id: 'a', type: 'wait_until', time: '09:00', days: ['monday'] },
      'days.0',
      'must be one of MON, TUE, WED, THU, FRI, SAT, SUN',
    ],
    [{ id: 'a', type: 'wait_for_reply', timeout: 'PT1H', onTimeout: 'b' }, 'onReply', 'is required'],
    [
      { id: 'a', type: 'wait_for_reply', timeout: 'PT1H', onReply: 'b', onTimeout: 'c', next: 'd' },
      'next',
      'a wait_for_reply step goes on at onReply or onTimeout, not next',
    ],
    [
      {
        id: 'a',
        type: 'if',
        condition: { field: 'firstName', op: 'before', value: '2026-01-01' },
        // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
        then: 'b',
        else: 'c',
      },
      'condition.op',
      expect.stringContaining('before does not apply to firstName'),
    ],
    [
      {
        id: 'a',
        type: 'if',
        condition: { field: 'tags', op: 'contains', value: 'vip' },
        // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
        then: 'b',
      },
      'else',
      'is required',
    ],
    [{ id: 'a', type: 'add_tag', tag: '' }, 'tag', 'must not be empty'],
    [{ id: 'a', type: 'remove_tag' }, 'tag', expect.any(String)],
    [{ id: 'a', type: 'end', next: 'b' }, 'next', 'an end step has no next: the workflow stops there'],
  ])('refuses %j at %s', (step, path, message) => {
    expect(issuesOf(workflowStepSchema, step)).toContainEqual([path, message]);
  });

  it('takes fractions of a second and a signed offset only where they make sense', () => {
    expect(durationSchema.safeParse('PT1.5S').success).toBe(true);
    expect(durationSchema.safeParse('-PT5S').success).toBe(false);
    expect(offsetSchema.safeParse('-PT5S').success).toBe(true);
    expect(offsetSchema.safeParse('PT0S').success).toBe(true);
  });

  it('keeps the keyword schema usable on its own', () => {
    expect(keywordSchema.parse('Offer2026')).toBe('OFFER2026');
  });
});

describe('workflowSchema', () => {
  it('reads a stored workflow back', () => {
    // Arrange
    const input = workflowInputSchema.parse(definition([{ id: 'a', type: 'send_sms', body: 'Hi' }]));
    const stored = {
      ...input,
      id: 'wf-1',
      status: 'draft',
      version: 1,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      activatedAt: null,
    };

    // Act
    const result = workflowSchema.safeParse(stored);

    // Assert: a workflow stored before pause reasons existed (issue 16) reads back with none
    expect(result.data).toEqual({ ...stored, pauseReason: null, pauseEvidence: null });
  });

  it('refuses an unknown status and a fractional version', () => {
    const input = workflowInputSchema.parse(definition([{ id: 'a', type: 'end' }]));
    const stored = {
      ...input,
      id: 'wf-1',
      status: 'running',
      version: 1.5,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      activatedAt: null,
    };
    const paths = issuesOf(workflowSchema, stored).map(([path]) => path);
    expect(paths).toEqual(['status', 'version']);
  });
});
