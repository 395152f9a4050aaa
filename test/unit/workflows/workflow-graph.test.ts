import {
  type GraphStep,
  resolveNext,
  stepLinks,
  validateWorkflowGraph,
} from '../../../shared/domain/workflows/workflow-graph';

/** An `if` step; `then` is its documented field name, so it is built here once. */
function ifStep(id: string, yes: string, no: string): GraphStep {
  // biome-ignore lint/suspicious/noThenProperty: an if step's branch is called then.
  return { id, type: 'if', then: yes, else: no };
}

const send = (id: string, next?: string): GraphStep => ({ id, type: 'send_sms', ...(next ? { next } : {}) });
const wait = (id: string, next?: string): GraphStep => ({ id, type: 'wait', ...(next ? { next } : {}) });
const reply = (id: string, onReply: string, onTimeout: string): GraphStep => ({
  id,
  type: 'wait_for_reply',
  onReply,
  onTimeout,
});
const end = (id: string): GraphStep => ({ id, type: 'end' });

describe('validateWorkflowGraph', () => {
  it('accepts a straight line, which runs off its last step', () => {
    expect(validateWorkflowGraph([send('a'), wait('b'), send('c')])).toEqual([]);
  });

  it('accepts branches that meet again and steps placed after an end that a branch points at', () => {
    // Arrange: a -> ask ?reply-> thanks -> done | timeout-> check ?then-> vip -> done | else-> done
    const steps = [
      send('a'),
      reply('ask', 'thanks', 'check'),
      send('thanks', 'done'),
      ifStep('check', 'vip', 'done'),
      send('vip'),
      end('done'),
    ];

    // Act / Assert
    expect(validateWorkflowGraph(steps)).toEqual([]);
  });

  it('refuses an empty list', () => {
    expect(validateWorkflowGraph([])).toEqual([{ path: 'steps', message: 'must hold at least one step' }]);
  });

  it('reports a duplicated id at the later step', () => {
    expect(validateWorkflowGraph([send('a'), send('b'), send('a')])).toEqual([
      { path: 'steps.2.id', message: '"a" is already the id of steps.0; step ids must be unique' },
    ]);
  });

  it.each([
    ['next', [send('a', 'nowhere'), end('b')], 'steps.0.next'],
    ['onReply', [reply('a', 'nowhere', 'b'), end('b')], 'steps.0.onReply'],
    ['onTimeout', [reply('a', 'b', 'nowhere'), end('b')], 'steps.0.onTimeout'],
    ['then', [ifStep('a', 'nowhere', 'b'), end('b')], 'steps.0.then'],
    ['else', [ifStep('a', 'b', 'nowhere'), end('b')], 'steps.0.else'],
  ])('reports a %s naming no step', (_key, steps, path) => {
    expect(validateWorkflowGraph(steps)).toContainEqual({
      path,
      message: 'names no step: there is no step with id "nowhere"',
    });
  });

  it('reports every step that cannot be reached from the first', () => {
    // Arrange: the end stops the line, so nothing points at orphan-1; orphan-2 is reached only from orphan-1
    const steps = [send('a'), end('stop'), send('orphan-1'), send('orphan-2')];

    // Act
    const issues = validateWorkflowGraph(steps);

    // Assert
    expect(issues.map((issue) => issue.path)).toEqual(['steps.2', 'steps.3']);
    expect(issues[0]?.message).toBe(
      '"orphan-1" can never be reached from the first step "a"; point a next, then, else, onReply or onTimeout at it, or remove it',
    );
  });

  it('reports a step jumped over by next as unreachable', () => {
    expect(validateWorkflowGraph([send('a', 'c'), send('b'), send('c')])).toEqual([
      expect.objectContaining({ path: 'steps.1' }),
    ]);
  });

  it('reports a loop without a wait at the link that closes it, naming its steps', () => {
    // Arrange: a -> b -> check ?then-> a
    const steps = [send('a'), send('b'), ifStep('check', 'a', 'done'), end('done')];

    // Act
    const issues = validateWorkflowGraph(steps);

    // Assert
    expect(issues).toEqual([
      {
        path: 'steps.2.then',
        message:
          'makes a loop with no wait ("a" -> "b" -> "check" -> "a"), which would run without end; put a wait, wait_until or wait_for_reply step in it',
      },
    ]);
  });

  it('reports a step that names itself as next', () => {
    expect(validateWorkflowGraph([send('a', 'a')])).toEqual([expect.objectContaining({ path: 'steps.0.next' })]);
  });

  it('reports each separate wait-less loop once', () => {
    const steps = [ifStep('x', 'x', 'y'), { id: 'y', type: 'add_tag' }, { id: 'z', type: 'remove_tag', next: 'y' }];
    expect(validateWorkflowGraph(steps).map((issue) => issue.path)).toEqual(['steps.0.then', 'steps.2.next']);
  });

  it.each([
    ['wait', [send('a'), wait('pause', 'a')]],
    ['wait_until', [send('a'), { id: 'tomorrow', type: 'wait_until', next: 'a' }]],
    ['wait_for_reply', [send('a'), reply('ask', 'done', 'a'), end('done')]],
  ])('accepts a loop that goes through a %s step', (_type, steps) => {
    expect(validateWorkflowGraph(steps)).toEqual([]);
  });

  it('accepts a loop with a wait even when a wait-less branch leaves it', () => {
    // a -> check ?then-> pause -> a | else-> done
    const steps = [send('a'), ifStep('check', 'pause', 'done'), wait('pause', 'a'), end('done')];
    expect(validateWorkflowGraph(steps)).toEqual([]);
  });

  it.each([
    [{ id: 'stop', type: 'end', next: 'a' }, 'an end step has no next: the workflow stops there'],
    [{ ...ifStep('stop', 'a', 'a'), next: 'a' }, 'a if step goes on at then or else, not next'],
    [{ ...reply('stop', 'a', 'a'), next: 'a' }, 'a wait_for_reply step goes on at onReply or onTimeout, not next'],
  ])('refuses a next on %j', (step, message) => {
    expect(validateWorkflowGraph([wait('a'), step])).toContainEqual({ path: 'steps.1.next', message });
  });
});

describe('resolveNext', () => {
  const steps = [send('a'), send('b', 'd'), end('c'), wait('d'), ifStep('e', 'a', 'c'), reply('f', 'a', 'c')];

  it('follows next, or else the step after it in the list', () => {
    expect(resolveNext(steps, 0)).toBe('b');
    expect(resolveNext(steps, 1)).toBe('d');
    expect(resolveNext(steps, 3)).toBe('e');
  });

  it('is undefined where the workflow ends or branches', () => {
    expect(resolveNext(steps, 2)).toBeUndefined();
    expect(resolveNext(steps, 4)).toBeUndefined();
    expect(resolveNext([send('only')], 0)).toBeUndefined();
  });

  it('refuses an index with no step', () => {
    expect(() => resolveNext(steps, 6)).toThrow(RangeError);
  });
});

describe('stepLinks', () => {
  it('lists the branch fields of branching steps and the default next of the others', () => {
    const steps = [send('a'), ifStep('b', 'a', 'c'), reply('c', 'a', 'd'), end('d')];
    expect(stepLinks(steps, 0)).toEqual([{ key: null, target: 'b' }]);
    expect(stepLinks(steps, 1)).toEqual([
      { key: 'then', target: 'a' },
      { key: 'else', target: 'c' },
    ]);
    expect(stepLinks(steps, 2)).toEqual([
      { key: 'onReply', target: 'a' },
      { key: 'onTimeout', target: 'd' },
    ]);
    expect(stepLinks(steps, 3)).toEqual([]);
  });
});
