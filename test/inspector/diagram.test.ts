import { describe, expect, it } from 'vitest';
import { activePaths, machineGraph } from '../../src/inspector/machine-graph.js';
import { toMermaid } from '../../src/inspector/mermaid.js';
import { toDot } from '../../src/inspector/dot.js';
import { renderSvg } from '../../src/inspector/render-svg.js';
import { miniMachine } from './fixtures/mini-machine.js';

describe('machine graph', () => {
  const graph = machineGraph(miniMachine);

  it('walks states with their kinds and initial children', () => {
    expect(graph.root.initial).toBe('awaitingInit');
    const ready = graph.root.children.find((state) => state.key === 'ready');
    expect(ready?.kind).toBe('parallel');
    const call = ready?.children.find((state) => state.key === 'call');
    expect(call?.initial).toBe('ready.call.RINGING');
    expect(call?.children.map((state) => `${state.key}:${state.kind}`)).toEqual([
      'RINGING:atomic',
      'TALKING:atomic',
      'HELD:atomic',
      'RELEASED:final',
    ]);
  });

  it('labels guarded, delayed and plain transitions', () => {
    expect(graph.edges).toContainEqual({ from: 'awaitingInit', to: 'ready', label: 'init [hasParty]' });
    expect(graph.edges).toContainEqual({ from: 'ready.request.pending', to: 'ready.request.idle', label: 'after 10000ms' });
    expect(graph.edges).toContainEqual({ from: 'ready.call.TALKING', to: 'ready.call.HELD', label: 'phone.held' });
  });

  it('spells active paths from a snapshot value', () => {
    expect(activePaths({ ready: { call: 'HELD', mute: 'unmuted' } })).toEqual([
      '',
      'ready',
      'ready.call',
      'ready.call.HELD',
      'ready.mute',
      'ready.mute.unmuted',
    ]);
    expect(activePaths('awaitingInit')).toEqual(['', 'awaitingInit']);
  });
});

describe('Mermaid', () => {
  const mermaid = toMermaid(machineGraph(miniMachine));

  it('nests compound and parallel states, with regions split by --', () => {
    expect(mermaid.startsWith('stateDiagram-v2\n')).toBe(true);
    expect(mermaid).toContain('  [*] --> awaitingInit');
    expect(mermaid).toContain('  state "ready" as ready {');
    expect(mermaid).toContain('    state "call" as ready__call {');
    expect(mermaid).toContain('      [*] --> ready__call__RINGING');
    expect(mermaid).toMatch(/\n {4}--\n {4}state "mute" as ready__mute \{/);
    expect(mermaid).toContain('ready__call__RELEASED --> [*]');
  });

  it('draws a transition into a state\'s own child from each non-final sibling (the Mermaid pitfall)', () => {
    // `call` declares phone.ended -> .RELEASED; no edge may start at the cluster itself.
    expect(mermaid).not.toMatch(/^ {2}ready__call --> /m);
    for (const from of ['RINGING', 'TALKING', 'HELD']) {
      expect(mermaid).toContain(`ready__call__${from} --> ready__call__RELEASED : phone.ended`);
    }
    // the root-level dispose comes from each top-level state but the final one
    expect(mermaid).toContain('awaitingInit --> disposed : dispose');
    expect(mermaid).toContain('ready --> disposed : dispose');
  });

  it('merges labels of parallel edges and keeps : and ; out of labels', () => {
    expect(mermaid).toContain('ready__request__pending --> ready__request__idle : settled, after 10000ms');
    for (const line of mermaid.split('\n').filter((text) => text.includes(' --> '))) {
      const label = line.split(' : ')[1] ?? '';
      expect(label).not.toMatch(/[;:]/);
    }
  });
});

describe('DOT and SVG', () => {
  it('gives every state an SVG id the page can highlight', async () => {
    const dot = toDot(machineGraph(miniMachine));
    expect(dot).toContain('"s:ready.call.HELD" [id="state:ready.call.HELD", label="HELD"]');
    expect(dot).toContain('id="state:ready.call"; label="call"');
    expect(dot).toContain('"s:awaitingInit" -> "init:ready" [label="init [hasParty]", lhead="cluster:ready"]');
    const svg = await renderSvg(dot);
    expect(svg).toContain('<svg');
    expect(svg).toContain('id="state:ready.call.HELD"');
    expect(svg).toContain('id="state:ready.mute"');
  });

  it('renders the same DOT to the same SVG every time (the committed SVG is stable)', async () => {
    const dot = toDot(machineGraph(miniMachine));
    expect(await renderSvg(dot)).toBe(await renderSvg(dot));
  });
});

describe('Mermaid with a parallel root', () => {
  it('wraps the regions in a composite state named after the machine', async () => {
    const { setup } = await import('xstate');
    const machine = setup({}).createMachine({
      id: 'twin',
      type: 'parallel',
      states: {
        left: { initial: 'a', states: { a: { on: { go: 'b' } }, b: {} } },
        right: { initial: 'c', states: { c: {} } },
      },
    });
    const mermaid = toMermaid(machineGraph(machine));
    expect(mermaid).toContain('  state "twin" as machine__twin {\n    state "left" as left {');
    expect(mermaid).toContain('\n    --\n    state "right" as right {');
    expect(mermaid).toContain('  left__a --> left__b : go');
  });
});
