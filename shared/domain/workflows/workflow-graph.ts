/**
 * The shape of a step the graph rules read. It is structural, so that this file needs nothing from the schema (which
 * calls `validateWorkflowGraph` from its refinement); every `WorkflowStep` fits it.
 */
export interface GraphStep {
  readonly id: string;
  readonly type: string;
  readonly next?: string | undefined;
  readonly onReply?: string | undefined;
  readonly onTimeout?: string | undefined;
  readonly then?: string | undefined;
  readonly else?: string | undefined;
}

/** What is wrong with a definition, at the path of the field to fix (`steps.2.next`). */
export interface GraphIssue {
  path: string;
  message: string;
}

/** The fields of a step that name another step. */
export type LinkKey = 'next' | 'onReply' | 'onTimeout' | 'then' | 'else';

/** One way out of a step: through a named field, or (`key: null`) by running on to the next step in the list. */
export interface StepLink {
  key: LinkKey | null;
  /** The step id the link names (for `key: null`, the id of the following step). */
  target: string;
}

/** Steps that stop an enrollment until something outside happens: a loop through one of them cannot run away. */
export const WAITING_STEP_TYPES: readonly string[] = ['wait', 'wait_until', 'wait_for_reply'];

/** Steps whose ways out are their branch fields only. */
const BRANCHES: Readonly<Record<string, readonly LinkKey[]>> = {
  if: ['then', 'else'],
  wait_for_reply: ['onReply', 'onTimeout'],
  end: [],
};

/** Index of each step id; a duplicated id maps to its first step (the duplicate itself is an issue). */
export function indexStepIds(steps: readonly GraphStep[]): Map<string, number> {
  const index = new Map<string, number>();
  steps.forEach((step, i) => {
    if (!index.has(step.id)) index.set(step.id, i);
  });
  return index;
}

/**
 * Where a non-branching step goes on: its `next`, or else the step after it in the list; `undefined` when the
 * workflow ends there (an `end` step, or the last step without `next`). Branching steps (`if`, `wait_for_reply`)
 * go on through their branch fields instead and resolve to `undefined` here.
 */
export function resolveNext(steps: readonly GraphStep[], index: number): string | undefined {
  const step = steps[index];
  if (step === undefined) throw new RangeError(`No step at index ${index}`);
  if (step.type in BRANCHES) return undefined;
  return step.next ?? steps[index + 1]?.id;
}

/** Every way out of a step, in field order, whether or not the named step exists. */
export function stepLinks(steps: readonly GraphStep[], index: number): StepLink[] {
  const step = steps[index];
  if (step === undefined) throw new RangeError(`No step at index ${index}`);
  const branches = BRANCHES[step.type];
  if (branches !== undefined) {
    return branches.flatMap((key) => {
      const target = step[key];
      return target === undefined ? [] : [{ key, target }];
    });
  }
  if (step.next !== undefined) return [{ key: 'next', target: step.next }];
  const following = steps[index + 1];
  return following === undefined ? [] : [{ key: null, target: following.id }];
}

function describeStep(steps: readonly GraphStep[], index: number): string {
  return `"${steps[index]?.id}"`;
}

function duplicateIssues(steps: readonly GraphStep[]): GraphIssue[] {
  const firstIndex = indexStepIds(steps);
  return steps.flatMap((step, i) => {
    const first = firstIndex.get(step.id);
    if (first === undefined || first === i) return [];
    return [
      { path: `steps.${i}.id`, message: `"${step.id}" is already the id of steps.${first}; step ids must be unique` },
    ];
  });
}

function misplacedNextIssues(steps: readonly GraphStep[]): GraphIssue[] {
  return steps.flatMap((step, i) => {
    if (step.next === undefined || !(step.type in BRANCHES)) return [];
    const message =
      step.type === 'end'
        ? 'an end step has no next: the workflow stops there'
        : `a ${step.type} step goes on at ${BRANCHES[step.type]?.join(' or ')}, not next`;
    return [{ path: `steps.${i}.next`, message }];
  });
}

function missingTargetIssues(steps: readonly GraphStep[], ids: Map<string, number>): GraphIssue[] {
  return steps.flatMap((_step, i) =>
    stepLinks(steps, i).flatMap(({ key, target }) =>
      key === null || ids.has(target)
        ? []
        : [{ path: `steps.${i}.${key}`, message: `names no step: there is no step with id "${target}"` }],
    ),
  );
}

/** The steps a link leads to, by index, leaving out links to missing steps (reported on their own). */
function successorIndexes(steps: readonly GraphStep[], ids: Map<string, number>, index: number): number[] {
  return stepLinks(steps, index).flatMap(({ key, target }) => {
    // Running on reaches the very next entry, even when its id is a duplicate of an earlier one.
    const to = key === null ? index + 1 : ids.get(target);
    return to === undefined ? [] : [to];
  });
}

function unreachableIssues(steps: readonly GraphStep[], ids: Map<string, number>): GraphIssue[] {
  const reached = new Set<number>([0]);
  const pending = [0];
  for (let from = pending.pop(); from !== undefined; from = pending.pop()) {
    for (const to of successorIndexes(steps, ids, from)) {
      if (reached.has(to)) continue;
      reached.add(to);
      pending.push(to);
    }
  }
  return steps.flatMap((step, i) =>
    reached.has(i) || ids.get(step.id) !== i
      ? []
      : [
          {
            path: `steps.${i}`,
            message: `"${step.id}" can never be reached from the first step ${describeStep(steps, 0)}; point a next, then, else, onReply or onTimeout at it, or remove it`,
          },
        ],
  );
}

/**
 * A loop made only of steps that do not wait, as the edges that make it up, starting at its lowest step. Found per
 * strongly connected component (Tarjan) of the graph without its waiting steps.
 */
function waitlessLoops(steps: readonly GraphStep[], ids: Map<string, number>): number[][] {
  const waits = (i: number) => WAITING_STEP_TYPES.includes(steps[i]?.type ?? '');
  const edges = steps.map((_step, i) => (waits(i) ? [] : successorIndexes(steps, ids, i).filter((to) => !waits(to))));

  const order = new Array<number>(steps.length).fill(-1);
  const low = new Array<number>(steps.length).fill(0);
  const onStack = new Array<boolean>(steps.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  const visit = (v: number): void => {
    order[v] = counter;
    low[v] = counter;
    counter++;
    stack.push(v);
    onStack[v] = true;
    for (const w of edges[v]!) {
      if (order[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v]!, low[w]!);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v]!, order[w]!);
      }
    }
    if (low[v] !== order[v]) return;
    const component: number[] = [];
    for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
      onStack[w] = false;
      component.push(w);
      if (w === v) break;
    }
    components.push(component);
  };
  // At most 100 steps, so the recursion stays shallow.
  for (let v = 0; v < steps.length; v++) if (order[v] === -1) visit(v);

  return components
    .filter((component) => component.length > 1 || edges[component[0]!]!.includes(component[0]!))
    .map((component) => loopThrough(component, edges))
    .sort((a, b) => a[0]! - b[0]!);
}

/** One cycle inside a strongly connected component, from its lowest step back to it (breadth-first: the shortest). */
function loopThrough(component: number[], edges: number[][]): number[] {
  const inside = new Set(component);
  const start = Math.min(...component);
  const cameFrom = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const v = queue[head]!;
    for (const w of edges[v]!) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const loop = [v];
        for (let u = cameFrom.get(v); u !== undefined; u = cameFrom.get(u)) loop.unshift(u);
        return loop;
      }
      if (cameFrom.has(w)) continue;
      cameFrom.set(w, v);
      queue.push(w);
    }
  }
  return [start];
}

function loopIssues(steps: readonly GraphStep[], ids: Map<string, number>): GraphIssue[] {
  return waitlessLoops(steps, ids).map((loop) => {
    const start = loop[0]!;
    const last = loop[loop.length - 1]!;
    // The link closing the loop goes back to the lowest step, so it is a named field, never the default next.
    const closing = stepLinks(steps, last).find(({ target }) => ids.get(target) === start);
    const names = [...loop, start].map((i) => describeStep(steps, i)).join(' -> ');
    return {
      path: `steps.${last}.${closing?.key ?? 'next'}`,
      message: `makes a loop with no wait (${names}), which would run without end; put a wait, wait_until or wait_for_reply step in it`,
    };
  });
}

/**
 * Checks that a list of steps (each valid on its own) makes a workflow that can run: ids are unique; every `next`,
 * `onReply`, `onTimeout`, `then` and `else` names a step; every step can be reached from the first; no loop goes
 * round without a `wait`, `wait_until` or `wait_for_reply` (it would send and tag without end in one go); `end`,
 * `if` and `wait_for_reply` take no `next`. Returns every issue found, empty when the graph is sound.
 */
export function validateWorkflowGraph(steps: readonly GraphStep[]): GraphIssue[] {
  if (steps.length === 0) return [{ path: 'steps', message: 'must hold at least one step' }];
  const ids = indexStepIds(steps);
  return [
    ...duplicateIssues(steps),
    ...misplacedNextIssues(steps),
    ...missingTargetIssues(steps, ids),
    ...unreachableIssues(steps, ids),
    ...loopIssues(steps, ids),
  ];
}
