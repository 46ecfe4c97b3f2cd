/**
 * The lifecycle state machine as a graph to draw, computed from the domain's transition table
 * (src/domain/lifecycle.ts, bundled at build time), so that the console's diagram can never
 * disagree with what the server does. Pure: no DOM.
 *
 * Layout: a state's column is the length of the longest path to it from the first state
 * (self-loops left out); a state that every other state leads to (TERMINATED) goes on a row of
 * its own below, centred; states sharing a column stack in the order of LIFECYCLE_STATES.
 */
import { LIFECYCLE_STATES, TRANSITIONS, type LifecycleState } from '../../src/domain/lifecycle';
import type { LifecycleEvent } from '../../src/contract/lifecycle';

/** A state box: its column and row in the grid. */
export interface GraphNode {
  state: LifecycleState;
  column: number;
  row: number;
}

/** An arrow of the table: one (from, event, to) triple; a self-loop has from === to. */
export interface GraphEdge {
  from: LifecycleState;
  to: LifecycleState;
  event: LifecycleEvent;
}

export interface LifecycleGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  columns: number;
  rows: number;
}

/** The graph of the transition table (every state of LIFECYCLE_STATES, every row's arrows). */
export function lifecycleGraph(): LifecycleGraph {
  const edges: GraphEdge[] = [];
  for (const t of TRANSITIONS) {
    for (const from of t.from) {
      if (!edges.some((e) => e.from === from && e.to === t.to && e.event === t.event)) {
        edges.push({ from, to: t.to, event: t.event });
      }
    }
  }
  const first = LIFECYCLE_STATES[0];
  const sinks = LIFECYCLE_STATES.filter((state) =>
    LIFECYCLE_STATES.every((other) => other === state || edges.some((e) => e.from === other && e.to === state)),
  );
  const depth = new Map<LifecycleState, number>([[first, 0]]);
  // Longest path by relaxation: the table is acyclic once self-loops and sinks are left out.
  for (let pass = 0; pass < LIFECYCLE_STATES.length; pass += 1) {
    for (const e of edges) {
      if (e.from === e.to || sinks.includes(e.to)) continue;
      const d = depth.get(e.from);
      if (d !== undefined && (depth.get(e.to) ?? -1) < d + 1) depth.set(e.to, d + 1);
    }
  }
  const columns = Math.max(0, ...depth.values()) + 1;
  const used = new Map<number, number>();
  const nodes: GraphNode[] = [];
  for (const state of LIFECYCLE_STATES) {
    if (sinks.includes(state)) continue;
    const column = depth.get(state) ?? columns; // unreachable states: a column of their own at the end
    const row = used.get(column) ?? 0;
    used.set(column, row + 1);
    nodes.push({ state, column, row });
  }
  const rowsAbove = Math.max(1, ...used.values());
  sinks.forEach((state, i) => nodes.push({ state, column: (columns - 1) / 2 + i, row: rowsAbove }));
  return {
    nodes,
    edges,
    columns: Math.max(columns, ...nodes.map((n) => n.column + 1)),
    rows: rowsAbove + (sinks.length > 0 ? 1 : 0),
  };
}
