/**
 * A machine graph as Graphviz DOT. Every state carries the SVG id `state:<path>` so the local
 * inspector page can highlight the active configuration in the rendered picture.
 */
import { allStates, type GraphState, type MachineGraph } from './machine-graph.js';
import { isWithin, mergeEdges, spreadInwardEdges } from './graph-edges.js';

/** The machine graph as Graphviz DOT text (renderSvg draws it). */
export function toDot(graph: MachineGraph): string {
  const lines = [
    `digraph ${quote(graph.id)} {`,
    '  graph [compound=true, rankdir=LR, fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=0.45];',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#555555", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#666666", arrowsize=0.7];',
  ];
  body(graph.root, 1, lines);
  const byPath = new Map(allStates(graph.root).map((state) => [state.path, state]));
  for (const edge of mergeEdges(spreadInwardEdges(graph.edges, byPath))) {
    const from = byPath.get(edge.from);
    const to = byPath.get(edge.to);
    if (!from || !to) continue;
    const attributes = [`label=${quote(edge.labels.join('\n'))}`];
    // lhead/ltail clip the edge at a cluster's border; not when one end lies inside the other.
    if (from.children.length > 0 && !isWithin(to.path, from.path)) attributes.push(`ltail=${quote(clusterName(from))}`);
    if (to.children.length > 0 && !isWithin(from.path, to.path)) attributes.push(`lhead=${quote(clusterName(to))}`);
    lines.push(`  ${quote(anchor(from))} -> ${quote(anchor(to))} [${attributes.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function body(state: GraphState, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  if (state.children.length > 0) {
    // A compound state's initial marker doubles as the anchor its edges attach to.
    const visible = state.kind === 'compound';
    lines.push(
      `${pad}${quote(anchor(state))} [shape=point, width=0.12, label="", fillcolor="#333333"${visible ? '' : ', style=invis'}];`,
    );
    if (state.initial !== undefined) {
      lines.push(`${pad}${quote(anchor(state))} -> ${quote(initialEnd(state))}${initialHead(state)};`);
    }
  }
  for (const child of state.children) {
    if (child.children.length === 0) {
      const extra = child.kind === 'final' ? ', peripheries=2' : child.kind === 'history' ? ', shape=circle' : '';
      lines.push(`${pad}${quote(nodeName(child))} [id=${quote(svgId(child))}, label=${quote(child.key)}${extra}];`);
      continue;
    }
    lines.push(`${pad}subgraph ${quote(clusterName(child))} {`);
    lines.push(
      `${pad}  id=${quote(svgId(child))}; label=${quote(child.key)}; style="rounded${child.kind === 'parallel' ? ',dashed' : ''}"; color="#888888";`,
    );
    body(child, depth + 1, lines);
    lines.push(`${pad}}`);
  }
}

function initialEnd(state: GraphState): string {
  const target = state.children.find((child) => child.path === state.initial);
  return target ? anchor(target) : `s:${state.initial}`;
}

function initialHead(state: GraphState): string {
  const target = state.children.find((child) => child.path === state.initial);
  return target && target.children.length > 0 ? ` [lhead=${quote(clusterName(target))}]` : '';
}

export function svgId(state: GraphState): string {
  return `state:${state.path}`;
}

function nodeName(state: GraphState): string {
  return `s:${state.path}`;
}

function clusterName(state: GraphState): string {
  return `cluster:${state.path}`;
}

/** Where edges to and from a state attach: the node itself, or the marker inside its cluster. */
function anchor(state: GraphState): string {
  return state.children.length > 0 ? `init:${state.path}` : nodeName(state);
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
