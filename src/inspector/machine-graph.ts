/**
 * A neutral picture of a statechart's structure, walked from `machine.root` (an XState v5
 * StateNode tree). The Mermaid and DOT emitters and the local inspector page all draw from it, so
 * the committed diagrams and the live one cannot disagree.
 */
import type { AnyStateMachine } from 'xstate';

export type StateKind = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

/** One state node of the machine graph, with its children. */
export interface GraphState {
  /** The state's path joined by '.', '' for the root; the same path a snapshot value spells. */
  readonly path: string;
  readonly key: string;
  readonly kind: StateKind;
  /** The path of the initial child of a compound state. */
  readonly initial?: string;
  readonly children: readonly GraphState[];
}

/** One transition of the machine graph: from, to, event and guard. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** The event descriptor in a short readable form ("after 10000ms", "done: answer"). */
  readonly label: string;
}

/**
 * A statechart as plain data (states and edges), what toMermaid, toDot and the inspector page
 * draw.
 */
export interface MachineGraph {
  readonly id: string;
  readonly root: GraphState;
  readonly edges: readonly GraphEdge[];
}

/** The bits of XState's StateNode the walk reads (its public fields; typed loosely on purpose). */
interface WalkedNode {
  readonly key: string;
  readonly path: readonly string[];
  readonly type: StateKind;
  readonly states: Record<string, WalkedNode>;
  readonly initial?: { readonly target: readonly WalkedNode[] };
  readonly transitions: Map<string, readonly WalkedTransition[]>;
  readonly always?: readonly WalkedTransition[];
}

interface WalkedTransition {
  readonly eventType: string;
  readonly target?: readonly WalkedNode[];
  readonly guard?: unknown;
}

/**
 * Reads an XState machine (default: the conversation machine) into a MachineGraph. Never throws
 * for a valid machine.
 */
export function machineGraph(machine: AnyStateMachine): MachineGraph {
  const edges: GraphEdge[] = [];
  const root = walk(machine.root as unknown as WalkedNode, edges);
  return { id: machine.id, root, edges: dedupe(edges) };
}

function walk(node: WalkedNode, edges: GraphEdge[]): GraphState {
  const path = node.path.join('.');
  const transitions = [...node.transitions.values()].flat().concat(node.always ?? []);
  for (const transition of transitions) {
    // Targetless transitions only run actions; they do not move the chart, so they are not drawn.
    for (const target of transition.target ?? []) {
      edges.push({ from: path, to: target.path.join('.'), label: edgeLabel(transition) });
    }
  }
  const children = Object.values(node.states).map((child) => walk(child, edges));
  const initialTarget = node.type === 'compound' ? node.initial?.target[0] : undefined;
  return {
    path,
    key: node.key ?? '',
    kind: node.type,
    ...(initialTarget ? { initial: initialTarget.path.join('.') } : {}),
    children,
  };
}

/** Short names for XState's generated event types, so labels stay legible. */
export function shortEventName(eventType: string): string {
  if (eventType === '') return 'always';
  const after = /^xstate\.after\.(\d+)\./.exec(eventType);
  if (after) return `after ${after[1]}ms`;
  // A named delay (`after: { letGoAfter: ... }`) keeps its name.
  const named = /^xstate\.after\.([^.]+)\./.exec(eventType);
  if (named) return `after ${named[1]}`;
  const done = /^xstate\.done\.actor\.(.+)$/.exec(eventType);
  if (done) return `done: ${lastSegment(done[1])}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(eventType);
  if (error) return `error: ${lastSegment(error[1])}`;
  const doneState = /^xstate\.done\.state\.(.+)$/.exec(eventType);
  if (doneState) return `done: ${lastSegment(doneState[1])}`;
  return eventType;
}

function lastSegment(id: string): string {
  const parts = id.split('.');
  return parts[parts.length - 1];
}

function edgeLabel(transition: WalkedTransition): string {
  const guard = guardName(transition.guard);
  const name = shortEventName(transition.eventType);
  return guard ? `${name} [${guard}]` : name;
}

function guardName(guard: unknown): string | undefined {
  if (!guard) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  if (typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') {
    return (guard as { type: string }).type;
  }
  return 'guard';
}

function dedupe(edges: GraphEdge[]): GraphEdge[] {
  const seen = new Set<string>();
  return edges.filter((edge) => {
    const key = `${edge.from}\u0000${edge.to}\u0000${edge.label}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every state of the graph, depth first, parents before children. */
export function allStates(root: GraphState): GraphState[] {
  return [root, ...root.children.flatMap(allStates)];
}

/**
 * The active state paths a snapshot value spells: `{ ready: { call: 'HELD' } }` gives
 * `['', 'ready', 'ready.call', 'ready.call.HELD']`.
 */
export function activePaths(value: unknown): string[] {
  const paths = [''];
  const visit = (node: unknown, prefix: string): void => {
    if (typeof node === 'string') {
      paths.push(join(prefix, node));
      return;
    }
    if (node && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        const path = join(prefix, key);
        paths.push(path);
        visit(child, path);
      }
    }
  };
  visit(value, '');
  return paths;
}

function join(prefix: string, key: string): string {
  return prefix ? `${prefix}.${key}` : key;
}
