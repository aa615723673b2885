/**
 * The machines the local inspector has seen, each with its graph and (drawn on first request) its
 * SVG. Keys are short and stable for the process: `<machine id>-<n>`.
 */
import type { AnyStateMachine } from 'xstate';
import { toDot } from './dot.js';
import { machineGraph, type MachineGraph } from './machine-graph.js';
import { renderSvg } from './render-svg.js';

interface Registered {
  readonly graph: MachineGraph;
  svg?: Promise<string>;
}

export class MachineRegistry {
  private readonly keys = new WeakMap<AnyStateMachine, string>();
  private readonly machines = new Map<string, Registered>();

  keyOf(machine: AnyStateMachine): string {
    let key = this.keys.get(machine);
    if (key === undefined) {
      key = `${machine.id.replace(/[^A-Za-z0-9_-]/g, '_')}-${this.machines.size + 1}`;
      this.keys.set(machine, key);
      this.machines.set(key, { graph: machineGraph(machine) });
    }
    return key;
  }

  graph(key: string): MachineGraph | undefined {
    return this.machines.get(key)?.graph;
  }

  svg(key: string): Promise<string> | undefined {
    const entry = this.machines.get(key);
    if (!entry) return undefined;
    entry.svg ??= renderSvg(toDot(entry.graph));
    return entry.svg;
  }
}
