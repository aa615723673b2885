/** Edge helpers shared by the Mermaid and DOT emitters. */
import type { GraphEdge, GraphState } from './machine-graph.js';

/** Is `path` the state `ancestor` or inside it? ('' is the root and contains everything.) */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);
}

/** Edges with the same ends drawn once, their labels joined. */
export function mergeEdges(
  edges: readonly GraphEdge[],
): { from: string; to: string; labels: string[] }[] {
  const merged = new Map<string, { from: string; to: string; labels: string[] }>();
  for (const edge of edges) {
    const key = `${edge.from}\u0000${edge.to}`;
    const entry = merged.get(key) ?? { from: edge.from, to: edge.to, labels: [] };
    if (!entry.labels.includes(edge.label)) entry.labels.push(edge.label);
    merged.set(key, entry);
  }
  return [...merged.values()];
}

/**
 * A transition declared on a state that targets one of its own descendants becomes, for the
 * drawing, one edge from each non-final child that does not contain the target: a
 * cluster-to-inner-node edge breaks Mermaid's layout (a known Mermaid layout pitfall).
 */
export function spreadInwardEdges(
  edges: readonly GraphEdge[],
  states: ReadonlyMap<string, GraphState>,
): GraphEdge[] {
  return edges.flatMap((edge) => {
    const source = states.get(edge.from);
    if (!source || !isWithin(edge.to, edge.from) || source.children.length === 0) return [edge];
    return source.children
      .filter((child) => child.kind !== 'final' && !isWithin(edge.to, child.path))
      .map((child) => ({ ...edge, from: child.path }));
  });
}
