import type { WorkflowStep, WorkflowTrigger } from '../api/types';
import { describeStep, describeTrigger, edgesOf, STEP_TITLES } from './describe';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 58;
const COLUMN_GAP = 30;
const ROW_GAP = 54;

interface Placed {
  step: WorkflowStep;
  index: number;
  level: number;
  column: number;
}

/** Rows by distance from the first step (breadth first), branches side by side. */
export function layout(steps: WorkflowStep[]): { placed: Placed[]; columns: number; levels: number } {
  const byId = new Map(steps.map((step, index) => [step.id, index]));
  const level = new Map<number, number>();
  const queue: number[] = steps.length ? [0] : [];
  level.set(0, 0);
  while (queue.length) {
    const index = queue.shift() as number;
    for (const edge of edgesOf(steps, index)) {
      const target = byId.get(edge.to);
      if (target === undefined || level.has(target)) continue;
      level.set(target, (level.get(index) ?? 0) + 1);
      queue.push(target);
    }
  }
  // Unreachable steps (the API refuses them on activation) still show, below the rest.
  let deepest = Math.max(0, ...level.values());
  steps.forEach((_, index) => {
    if (!level.has(index)) level.set(index, ++deepest);
  });
  const perLevel = new Map<number, number>();
  const placed = steps.map((step, index) => {
    const row = level.get(index) as number;
    const column = perLevel.get(row) ?? 0;
    perLevel.set(row, column + 1);
    return { step, index, level: row, column };
  });
  return { placed, columns: Math.max(1, ...perLevel.values()), levels: deepest + 1 };
}

function truncate(text: string, length: number) {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

/** The steps as a graph (SVG) with the same flow as a list for screen readers and narrow screens. */
export function WorkflowGraph({ trigger, steps }: { trigger: WorkflowTrigger; steps: WorkflowStep[] }) {
  const { placed, columns, levels } = layout(steps);
  const width = columns * (NODE_WIDTH + COLUMN_GAP) + COLUMN_GAP;
  const top = NODE_HEIGHT + ROW_GAP;
  const height = top + levels * (NODE_HEIGHT + ROW_GAP) - ROW_GAP + 4;
  const perLevel = new Map<number, number>();
  for (const node of placed) perLevel.set(node.level, (perLevel.get(node.level) ?? 0) + 1);
  const position = (node: Placed) => {
    const inRow = perLevel.get(node.level) ?? 1;
    const rowWidth = inRow * NODE_WIDTH + (inRow - 1) * COLUMN_GAP;
    return {
      x: (width - rowWidth) / 2 + node.column * (NODE_WIDTH + COLUMN_GAP),
      y: top + node.level * (NODE_HEIGHT + ROW_GAP),
    };
  };
  const byId = new Map(placed.map((node) => [node.step.id, node]));
  const first = placed[0];

  return (
    <div className="workflow-graph">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Workflow steps as a graph" width="100%">
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" className="arrow-head" />
          </marker>
        </defs>
        <g>
          <rect
            x={(width - NODE_WIDTH) / 2}
            y={0}
            width={NODE_WIDTH}
            height={NODE_HEIGHT}
            rx={29}
            className="node node-trigger"
          />
          <text x={width / 2} y={24} textAnchor="middle" className="node-title">
            Trigger
          </text>
          <text x={width / 2} y={42} textAnchor="middle" className="node-text">
            {truncate(describeTrigger(trigger), 30)}
          </text>
          {first ? (
            <line
              x1={width / 2}
              y1={NODE_HEIGHT}
              x2={position(first).x + NODE_WIDTH / 2}
              y2={top - 2}
              className="edge"
              markerEnd="url(#arrow)"
            />
          ) : null}
        </g>
        {placed.flatMap((node) =>
          edgesOf(steps, node.index).map((edge) => {
            const target = byId.get(edge.to);
            if (!target) return null;
            const from = position(node);
            const to = position(target);
            const x1 = from.x + NODE_WIDTH / 2;
            const y1 = from.y + NODE_HEIGHT;
            const x2 = to.x + NODE_WIDTH / 2;
            const y2 = to.y - 2;
            const back = target.level <= node.level;
            const path = back
              ? `M${from.x + NODE_WIDTH},${from.y + NODE_HEIGHT / 2} C${from.x + NODE_WIDTH + 60},${from.y} ${to.x + NODE_WIDTH + 60},${to.y + NODE_HEIGHT} ${to.x + NODE_WIDTH},${to.y + NODE_HEIGHT / 2}`
              : `M${x1},${y1} C${x1},${y1 + ROW_GAP / 2} ${x2},${y2 - ROW_GAP / 2} ${x2},${y2}`;
            return (
              <g key={`${node.step.id}-${edge.to}-${edge.label ?? ''}`}>
                <path d={path} className="edge" markerEnd="url(#arrow)" />
                {edge.label ? (
                  <text
                    x={(x1 + x2) / 2 + (x2 >= x1 ? 6 : -6)}
                    y={y1 + ROW_GAP / 2}
                    textAnchor={x2 >= x1 ? 'start' : 'end'}
                    className="edge-label"
                  >
                    {edge.label}
                  </text>
                ) : null}
              </g>
            );
          }),
        )}
        {placed.map((node) => {
          const { x, y } = position(node);
          return (
            <g key={node.step.id}>
              <rect
                x={x}
                y={y}
                width={NODE_WIDTH}
                height={NODE_HEIGHT}
                rx={8}
                className={`node node-${node.step.type}`}
              />
              <text x={x + NODE_WIDTH / 2} y={y + 24} textAnchor="middle" className="node-title">
                {STEP_TITLES[node.step.type]}
              </text>
              <text x={x + NODE_WIDTH / 2} y={y + 42} textAnchor="middle" className="node-text">
                {truncate(describeStep(node.step).replace(/^(Send text|Wait|Add tag|Remove tag): ?/, ''), 30)}
              </text>
            </g>
          );
        })}
      </svg>
      <ol className="step-list" aria-label="Workflow steps">
        <li>
          <strong>When:</strong> {describeTrigger(trigger)}
        </li>
        {steps.map((step, index) => (
          <li key={step.id}>
            <strong>{STEP_TITLES[step.type]}</strong> <span className="hint">({step.id})</span>: {describeStep(step)}
            {edgesOf(steps, index).length > 0 ? (
              <span className="hint">
                {' '}
                →{' '}
                {edgesOf(steps, index)
                  .map((edge) => (edge.label ? `${edge.label}: ${edge.to}` : edge.to))
                  .join(', ')}
              </span>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
