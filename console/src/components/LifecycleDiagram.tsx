import { lifecycleGraph, type GraphEdge } from '../lifecycle-graph';
import type { LifecycleState } from '../../../src/domain/lifecycle';
import type { LifecycleEvent } from '../../../src/contract/lifecycle';

const GRAPH = lifecycleGraph();
const W = 150;
const H = 46;
const GAP_X = 84;
const GAP_Y = 58;
const PAD = 28;

/** The states every other state leads to (TERMINATED): drawn as a bar under all the others. */
const SINKS = new Set(GRAPH.nodes.filter((n) => n.row === GRAPH.rows - 1 && GRAPH.rows > 1).map((n) => n.state));
const FULL_WIDTH = GRAPH.columns * W + (GRAPH.columns - 1) * GAP_X;

function box(state: LifecycleState): { x: number; y: number; w: number } {
  const node = GRAPH.nodes.find((n) => n.state === state)!;
  const y = PAD + node.row * (H + GAP_Y);
  if (SINKS.has(state)) return { x: PAD, y, w: FULL_WIDTH };
  return { x: PAD + node.column * (W + GAP_X), y, w: W };
}

function centre(state: LifecycleState): { x: number; y: number } {
  const b = box(state);
  return { x: b.x + b.w / 2, y: b.y + H / 2 };
}

/** The path of an arrow: a loop above a box, a curve over boxes it would cross, else a line. */
function edgePath(edge: GraphEdge): { d: string; lx: number; ly: number } {
  const a = centre(edge.from);
  const b = centre(edge.to);
  if (edge.from === edge.to) {
    const top = a.y - H / 2;
    return {
      d: `M ${a.x - 22} ${top} C ${a.x - 30} ${top - 34}, ${a.x + 30} ${top - 34}, ${a.x + 22} ${top}`,
      lx: a.x,
      ly: top - 30,
    };
  }
  if (SINKS.has(edge.to)) {
    // Straight down to the bar; beside any box lower in the same column, so as not to cross it.
    const from = GRAPH.nodes.find((n) => n.state === edge.from)!;
    const blocked = GRAPH.nodes.some((n) => n.column === from.column && n.row > from.row && !SINKS.has(n.state));
    const x = blocked ? a.x + W / 2 - 14 : a.x;
    const top = b.y - H / 2;
    return { d: `M ${x} ${a.y + H / 2} L ${x} ${top}`, lx: x, ly: top - 6 };
  }
  const start = { x: a.x, y: a.y };
  const end = { x: b.x, y: b.y };
  // Leave and enter at the box edges, not the centres.
  if (a.y === b.y) {
    start.x += Math.sign(b.x - a.x) * (W / 2);
    end.x -= Math.sign(b.x - a.x) * (W / 2);
  } else {
    start.y += Math.sign(b.y - a.y) * (H / 2);
    end.y -= Math.sign(b.y - a.y) * (H / 2);
  }
  const span = Math.abs(b.x - a.x) / (W + GAP_X);
  if (a.y === b.y && span > 1.01) {
    const lift = a.y - H / 2 - 30;
    start.y = end.y = a.y - H / 2;
    start.x = a.x;
    end.x = b.x;
    return {
      d: `M ${start.x} ${start.y} Q ${(a.x + b.x) / 2} ${lift - 20}, ${end.x} ${end.y}`,
      lx: (a.x + b.x) / 2,
      ly: lift - 6,
    };
  }
  return { d: `M ${start.x} ${start.y} L ${end.x} ${end.y}`, lx: (start.x + end.x) / 2, ly: (start.y + end.y) / 2 - 4 };
}

/**
 * The eSIM lifecycle drawn from the transition table (see lifecycle-graph.ts): one box per
 * state, one arrow per event; the current state filled, the arrows the eSIM can take now drawn
 * bold. An image for assistive technology, named after the current state; the buttons beside it
 * are what a keyboard or screen-reader user acts with.
 */
export function LifecycleDiagram({
  current,
  allowed,
}: {
  current: LifecycleState;
  allowed: readonly LifecycleEvent[];
}) {
  const width = PAD * 2 + GRAPH.columns * W + (GRAPH.columns - 1) * GAP_X;
  const height = PAD * 2 + GRAPH.rows * H + (GRAPH.rows - 1) * GAP_Y;
  return (
    <div class="diagram">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label={`Lifecycle state machine; current state ${current}; events allowed now: ${allowed.length > 0 ? allowed.join(', ') : 'none'}`}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead" />
          </marker>
        </defs>
        {GRAPH.edges.map((edge) => {
          const { d, lx, ly } = edgePath(edge);
          const live = edge.from === current && allowed.includes(edge.event);
          // One label for the arrows into TERMINATED from every state: on the first one only.
          const labelled =
            GRAPH.edges.find((e) => e.to === edge.to && e.event === edge.event) === edge || edge.to !== 'TERMINATED';
          return (
            <g key={`${edge.from}-${edge.event}-${edge.to}`} class={live ? 'edge live' : 'edge'}>
              <path d={d} marker-end="url(#arrow)" fill="none" />
              {(labelled || live) && (
                <text x={lx} y={ly} text-anchor="middle">
                  {edge.event}
                </text>
              )}
            </g>
          );
        })}
        {GRAPH.nodes.map((node) => {
          const { x, y, w } = box(node.state);
          const into = [
            ...new Set(GRAPH.edges.filter((e) => e.to === node.state && e.from !== e.to).map((e) => e.event)),
          ];
          return (
            <g key={node.state} class={node.state === current ? 'node current' : 'node'}>
              <rect x={x} y={y} width={w} height={H} rx={8} />
              <text x={x + w / 2} y={y + H / 2 + 5} text-anchor="middle">
                {SINKS.has(node.state) ? `${node.state}  ←  ${into.join(', ')} (from any state above)` : node.state}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
