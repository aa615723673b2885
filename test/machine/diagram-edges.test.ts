/**
 * The drawing explains the protocol: every drawn edge of the conversation chart names its event
 * (a guard alone is no label), no transition is hidden from the drawing, and every cell of the
 * phone-event table that moves the call has its edge, labelled with its phone event.
 */
import { describe, expect, it } from 'vitest';
import { conversationMachine } from '../../machines/conversation.machine.js';
import { LIVE_CALL_STATES, PHONE_EVENT_TABLE } from '../../machines/tables.js';
import { PHONE_EVENT_TYPES } from '../../machines/types.js';
import { machineGraph } from '../../src/inspector/machine-graph.js';

const MOVES: Readonly<Record<string, string>> = {
  answered: 'TALKING',
  retrieved: 'TALKING',
  'to-held': 'HELD',
  'busy-word': 'RELEASED',
  'failed-word': 'RELEASED',
  end: 'RELEASED',
  'end-diag': 'RELEASED',
};

interface Node {
  readonly path: readonly string[];
  readonly states: Record<string, Node>;
  readonly transitions: Map<string, readonly { readonly meta?: unknown; readonly eventType: string }[]>;
  readonly always?: readonly { readonly meta?: unknown; readonly eventType: string }[];
}

function* nodes(node: Node): Generator<Node> {
  yield node;
  for (const child of Object.values(node.states)) yield* nodes(child);
}

/** A label is an event (or `always`, `after <delay>`), optionally followed by ` [guard]`. */
const LABEL = /^(always|after [\w]+|[a-z]+(\.[A-Za-z]+)*|resync)( \[[A-Za-z]+\])?$/;

describe('the conversation diagram', () => {
  const graph = machineGraph(conversationMachine);

  it('labels every drawn edge with its event, never with a guard alone', () => {
    expect(graph.edges.length).toBeGreaterThan(40);
    for (const edge of graph.edges) {
      expect(edge.label, `${edge.from} -> ${edge.to}`).toMatch(LABEL);
      expect(edge.label.startsWith('['), `${edge.from} -> ${edge.to}`).toBe(false);
    }
  });

  it('hides no transition: none carries meta, so every one with a target is drawn', () => {
    for (const node of nodes(conversationMachine.root as unknown as Node)) {
      for (const transition of [...node.transitions.values()].flat().concat(node.always ?? [])) {
        expect(transition.meta, `${node.path.join('.')} on ${'eventType' in transition ? transition.eventType : 'always'}`).toBeUndefined();
      }
    }
  });

  it('draws each moving cell of the phone-event table as an edge labelled with its phone event', () => {
    const drawn = new Set(graph.edges.map((edge) => `${edge.from} -> ${edge.to}: ${edge.label.replace(/ \[.*\]$/, '')}`));
    let moving = 0;
    for (const type of PHONE_EVENT_TYPES) {
      LIVE_CALL_STATES.forEach((state, column) => {
        const to = MOVES[PHONE_EVENT_TABLE[type][column]];
        if (to === undefined) return;
        moving += 1;
        expect(drawn, `${state} --phone.${type}--> ${to}`).toContain(`call.${state} -> call.${to}: phone.${type}`);
      });
    }
    expect(moving).toBe(16);
    expect(drawn).toContain('call.TALKING -> call.HELD: phone.held');
  });

  it('names the lifecycle edges by their events', () => {
    const labels = graph.edges.filter((edge) => edge.from.startsWith('lifecycle')).map((edge) => `${edge.from} -> ${edge.to}: ${edge.label}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        'lifecycle.awaitingInit -> lifecycle.ready: query.init',
        'lifecycle.ready -> lifecycle.awaitingInit: connection.lost',
        'lifecycle.ready -> lifecycle.disposed: request.dispose',
        'lifecycle.ready -> lifecycle.disposing.ready: request.dispose [releaseInFlight]',
      ]),
    );
  });
});
