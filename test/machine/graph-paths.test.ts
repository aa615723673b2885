/**
 * Path-based tests from `xstate/graph`: the shortest path to every reachable state of the machine
 * (a finite view of it: see serializeConversationState) is replayed on a live actor, and the
 * statechart's own structure is checked against its context at every step. This reaches the
 * combinations the hand-written tests do not spell out: a deadline during a pending dispose, a
 * connection lost with an operation queued, a re-init with events queued behind a release...
 */
import { describe, expect, it } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { getAdjacencyMap, getShortestPaths, type AdjacencyMap } from 'xstate/graph';
import { conversationMachine } from '../../machines/conversation.machine.js';
import type { ConversationInput } from '../../machines/context.js';
import { phoneEventOf, requestEvent, type ConversationEvent } from '../../machines/events.js';
import { serializeConversationState } from '../../machines/serialize.js';
import { branchingMachine as branching } from '../support/branching-machine.js';

type Snapshot = SnapshotFrom<typeof conversationMachine>;
const T = 'PB1.G.leg-7';
const input: ConversationInput = { snapshot: { state: 'RINGING', parties: [{ number: '100' }], muted: false }, limits: { preInitEvents: 1, oneShotEvents: 1 } };

const fresh = (snapshot: Snapshot): string => {
  const c = snapshot.context;
  return `g${c.nextOpId}-${c.memory.size}-${c.queue.size}-${c.inFlight?.sharers.length ?? 0}`;
};
const request = (name: string, requestId: string, body?: Record<string, unknown>): ConversationEvent =>
  requestEvent({ type: name === 'init' ? 'cti.query' : 'cti.request', name: name === 'init' ? 'conversation.query.init' : `conversation.request.${name}`, target: T, requestId }, body);

/** The events offered in a state: bounded so the explored space stays small. */
function eventsFor(snapshot: Snapshot): ConversationEvent[] {
  const c = snapshot.context;
  const id = fresh(snapshot);
  const events: ConversationEvent[] = [request('init', id)];
  if (snapshot.matches({ lifecycle: 'ready' })) events.push({ type: 'connection.lost' });
  if (c.queue.size === 0) for (const name of ['answer', 'hold', 'release', 'dispose']) events.push(request(name, `${id}-${name}`));
  if (c.inFlight === undefined && c.queue.size === 0) events.push(request('senddtmf', `${id}-dtmf`, { digits: '12' }));
  if (c.preInit.length === 0) for (const type of ['talking', 'held', 'muted', 'ended', 'busy'] as const) events.push(phoneEventOf({ type }));
  if (c.inFlight !== undefined) {
    events.push({ type: 'operation.settled', opId: c.inFlight.opId, ok: true });
    events.push({ type: 'operation.deadline', opId: c.inFlight.opId });
  }
  return events;
}

/** What the statechart says must agree with what the context says. */
function checkStructure(snapshot: Snapshot): void {
  const value = snapshot.value as { lifecycle: string; call: string; operation: string };
  const c = snapshot.context;
  // The call region and the model the rules read agree at every step.
  expect(value.call).toBe(c.model.state);
  expect(value.operation).toBe(c.inFlight === undefined ? 'idle' : 'running');
  if (c.inFlight === undefined) expect(c.queue.size).toBe(0);
  if (value.lifecycle === 'disposed') {
    expect(c.queue.size).toBe(0);
    expect(c.pendingDispose).toBeUndefined();
  }
  if (c.pendingDispose !== undefined) expect(c.inFlight?.request).toBe('release');
  // A dispose waits exactly while the lifecycle says so.
  expect(c.pendingDispose !== undefined).toBe(snapshot.matches({ lifecycle: 'disposing' }));
  if (snapshot.matches({ lifecycle: 'ready' })) expect(c.preInit).toEqual([]);
  expect(c.model.parties.length).toBeGreaterThan(0);
  if (c.flags.ended) expect(c.model.state).toBe('RELEASED');
}

describe('xstate/graph paths over the conversation machine', () => {
  const paths = getShortestPaths(branching, {
    input,
    events: eventsFor,
    serializeState: (snapshot) => serializeConversationState(snapshot as Snapshot),
    limit: 20_000,
  });

  it('reaches every lifecycle, call and operation state and the transitions between them', () => {
    const values = paths.map((p) => p.state.value as { lifecycle: string | { disposing: string }; call: string; operation: string });
    const lifecycleAndOperation = new Set(values.map((v) => JSON.stringify({ lifecycle: v.lifecycle, operation: v.operation })));
    expect(lifecycleAndOperation).toEqual(
      new Set([
        ...['awaitingInit', 'ready', 'disposed'].flatMap((lifecycle) =>
          (lifecycle === 'disposed' ? ['idle'] : ['idle', 'running']).map((operation) => JSON.stringify({ lifecycle, operation })),
        ),
        // A dispose waiting for the release in flight, on this connection or after it was lost.
        JSON.stringify({ lifecycle: { disposing: 'ready' }, operation: 'running' }),
        JSON.stringify({ lifecycle: { disposing: 'awaitingInit' }, operation: 'running' }),
      ]),
    );
    // DIALING is not reachable from a RINGING leg: the phone reports no such move (a diag).
    expect(new Set(values.map((v) => v.call))).toEqual(new Set(['RINGING', 'TALKING', 'HELD', 'RELEASED']));
    expect(paths.length).toBeGreaterThan(200);
  });

  it('every shortest path replays on a live actor to the same state, with the structure agreeing with the context', () => {
    for (const path of paths) {
      const actor = createActor(conversationMachine, { input }).start();
      for (const { event } of path.steps.slice(1)) {
        actor.send(event as ConversationEvent);
        checkStructure(actor.getSnapshot());
      }
      expect(serializeConversationState(actor.getSnapshot())).toBe(serializeConversationState(path.state as Snapshot));
      actor.stop();
    }
  });
});

describe('transitions the graph reaches', () => {
  it('includes the moves between lifecycle and operation states that only combinations reach (adjacency map)', () => {
    // getAdjacencyMap's types want plain ActorLogic; the machine is one at run time.
    const adjacency = getAdjacencyMap(branching as never, {
      input,
      events: eventsFor,
      serializeState: (snapshot: Snapshot) => serializeConversationState(snapshot),
      limit: 20_000,
    } as never) as AdjacencyMap<Snapshot, ConversationEvent>;
    const short = (value: unknown) => {
      const v = value as { lifecycle: string | { disposing: string }; operation: string };
      const lifecycle = typeof v.lifecycle === 'string' ? v.lifecycle : `disposing.${v.lifecycle.disposing}`;
      return `${lifecycle}/${v.operation}`;
    };
    const edges = new Set<string>();
    for (const { state, transitions } of Object.values(adjacency)) {
      for (const next of Object.values(transitions) as { event: ConversationEvent; state: Snapshot }[]) edges.add(`${short(state.value)} -${next.event.type}-> ${short(next.state.value)}`);
    }
    for (const edge of [
      'awaitingInit/idle -query.init-> ready/idle',
      'awaitingInit/idle -request.dispose-> disposed/idle',
      'ready/idle -request.release-> ready/running',
      'ready/running -request.release-> ready/running',
      'ready/running -request.dispose-> disposed/idle',
      'ready/running -request.dispose-> disposing.ready/running',
      'ready/running -connection.lost-> awaitingInit/running',
      'awaitingInit/running -query.init-> ready/running',
      'awaitingInit/running -request.dispose-> disposed/idle',
      'awaitingInit/running -request.dispose-> disposing.awaitingInit/running',
      'awaitingInit/running -operation.settled-> awaitingInit/idle',
      'awaitingInit/running -operation.deadline-> awaitingInit/idle',
      'disposing.awaitingInit/running -query.init-> disposing.ready/running',
      'disposing.ready/running -operation.settled-> disposed/idle',
      'disposing.ready/running -operation.deadline-> disposed/idle',
      'ready/running -operation.settled-> ready/idle',
    ]) {
      expect(edges, edge).toContain(edge);
    }
  });
});
