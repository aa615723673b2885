/**
 * A machine graph as a Mermaid `stateDiagram-v2`, for docs/conversation.md (GitHub and GitLab
 * render it without tooling).
 */
import { allStates, type GraphState, type MachineGraph } from './machine-graph.js';
import { mergeEdges, spreadInwardEdges } from './graph-edges.js';

/** The machine graph as a Mermaid stateDiagram-v2, as docs/conversation.md shows it. */
export function toMermaid(graph: MachineGraph): string {
  const lines = ['stateDiagram-v2'];
  if (graph.root.kind === 'parallel') {
    // Mermaid splits regions with `--` only inside a composite state, so a parallel root gets one.
    lines.push(`  state "${graph.id}" as ${mermaidId(`machine.${graph.id}`)} {`);
    states(graph.root, 2, lines);
    lines.push('  }');
  } else {
    states(graph.root, 1, lines);
  }
  const byPath = new Map(allStates(graph.root).map((state) => [state.path, state]));
  for (const edge of mergeEdges(spreadInwardEdges(graph.edges, byPath))) {
    lines.push(`  ${mermaidId(edge.from)} --> ${mermaidId(edge.to)} : ${label(edge.labels.join(', '))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The body of a state: its children, its initial marker, its parallel regions. */
function states(state: GraphState, depth: number, lines: string[]): void {
  const pad = '  '.repeat(depth);
  if (state.initial !== undefined) lines.push(`${pad}[*] --> ${mermaidId(state.initial)}`);
  state.children.forEach((child, index) => {
    if (state.kind === 'parallel' && index > 0) lines.push(`${pad}--`);
    if (child.children.length === 0) {
      lines.push(`${pad}state "${child.key}" as ${mermaidId(child.path)}`);
      if (child.kind === 'final') lines.push(`${pad}${mermaidId(child.path)} --> [*]`);
      return;
    }
    lines.push(`${pad}state "${child.key}" as ${mermaidId(child.path)} {`);
    states(child, depth + 1, lines);
    lines.push(`${pad}}`);
  });
}

/** Mermaid ids hold no dots; '__' keeps nested paths apart. */
function mermaidId(path: string): string {
  return path.replace(/[^A-Za-z0-9_]/g, '__');
}

function label(text: string): string {
  // ';' ends a Mermaid statement and ':' starts the label; neither may appear inside it.
  return text.replace(/[;:]/g, ' ').replace(/\s+/g, ' ').trim();
}
