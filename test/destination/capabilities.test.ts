/**
 * Capabilities against real answers. For every state on the chart's graph (xstate/graph shortest
 * paths, for a leg with every operation and one with only the four core ones), `canTake(name)` is
 * true exactly when that request in that state is answered other than by a refusal: the table's
 * `no`, "not initialized", "disposed", "not supported by this phone". The graph is walked from a
 * leg created in each call state the chart starts in (its `call.entry` takes the leg's snapshot):
 * no phone event moves a call to DIALING, so an outbound leg's states are reached only from a leg
 * that starts there. The chart's own transitions (XState's pure `transition`) are asked in every
 * state; the destination's own `can()` is checked against what the destination answers.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, transition, type SnapshotFrom } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import type { OutboundMessage } from '../../generated/types.js';
import { canTake, capabilitiesOf } from '../../machines/capabilities.js';
import { branchContext, type ConversationInput } from '../../machines/context.js';
import { conversationMachine, takeEffects, type Effect as ConversationEffect } from '../../machines/conversation.machine.js';
import { phoneEventOf, requestEvent, type ConversationEvent } from '../../machines/events.js';
import { serializeConversationState } from '../../machines/serialize.js';
import { CALL_STATES, REQUEST_NAMES, type RequestName } from '../../machines/tables.js';
import { createConversationDestination } from '../../src/destination/index.js';
import { internalActor } from '../../src/destination/internal.js';
import { OPTIONAL_LEG_OPERATIONS, type CallState, type LegOperationName, type PhoneEvent } from '../../src/phone/types.js';
import { branchingMachine as branching } from '../support/branching-machine.js';
import { flush, scriptedLeg } from '../support/scripted-leg.js';

type Snapshot = SnapshotFrom<typeof conversationMachine>;
const T = 'PB1.G.leg-7';
const REFUSED = /: not possible while the call is |: not initialized; |: the conversation was disposed; |: not supported by this phone$/;

const header = (name: string, requestId: string) => ({
  type: name === 'init' ? 'cti.query' : 'cti.request',
  name: name === 'init' ? 'conversation.query.init' : `conversation.request.${name}`,
  target: T,
  requestId,
});
const request = (name: string, requestId: string, body?: Record<string, unknown>): ConversationEvent => requestEvent(header(name, requestId), body);

/** The same bounded events as the graph-path tests (plus mute), so the same states are reached. */
function eventsFor(snapshot: Snapshot): ConversationEvent[] {
  const c = snapshot.context;
  const id = `g${c.nextOpId}-${c.memory.size}-${c.queue.size}-${c.inFlight?.sharers.length ?? 0}`;
  const events: ConversationEvent[] = [request('init', id)];
  if (snapshot.matches({ lifecycle: 'ready' })) events.push({ type: 'connection.lost' });
  if (c.queue.size === 0) for (const name of ['answer', 'hold', 'release', 'dispose', 'mute']) events.push(request(name, `${id}-${name}`));
  if (c.inFlight === undefined && c.queue.size === 0) events.push(request('senddtmf', `${id}-dtmf`, { digits: '12' }));
  if (c.preInit.length === 0) for (const type of ['talking', 'held', 'muted', 'ended', 'busy'] as const) events.push(phoneEventOf({ type }));
  if (c.inFlight !== undefined) {
    events.push({ type: 'operation.settled', opId: c.inFlight.opId, ok: true });
    events.push({ type: 'operation.deadline', opId: c.inFlight.opId });
  }
  return events;
}

/** A body each request accepts, naming a party that is listed. */
const bodyFor = (name: RequestName, parties: readonly { number: string }[]): Record<string, unknown> =>
  ({ transfer: { destination: '2001' }, conference: { destination: '2001' }, removeparty: { number: parties[0]?.number ?? '100' }, senddtmf: { digits: '12' } })[
    name as string
  ] ?? {};

const LEGS: readonly { name: string; lacks: readonly LegOperationName[] }[] = [
  { name: 'a leg with every operation', lacks: [] },
  { name: 'a leg with only the four core operations', lacks: OPTIONAL_LEG_OPERATIONS },
];

/**
 * The chart's own step, pure: XState's `transition` on a copy of the actor-owned queue and memory
 * (TESTING.md, "Branching from snapshots"), so asking never changes the path's snapshot. The
 * effects are what the step left in the branch's outbox.
 */
function stepOnChart(snapshot: Snapshot, event: ConversationEvent): { snapshot: Snapshot; effects: ConversationEffect[] } {
  const [next] = transition(conversationMachine, { ...snapshot, context: branchContext(snapshot.context) } as Snapshot, event);
  const effects: ConversationEffect[] = [];
  takeEffects(next.context, (effect) => effects.push(effect));
  return { snapshot: next, effects };
}

const pathsFor = (lacks: readonly LegOperationName[], start: CallState) => {
  const input: ConversationInput = {
    snapshot: { state: start, parties: [{ number: '100' }], muted: false },
    limits: { preInitEvents: 1, oneShotEvents: 1 },
    supported: OPTIONAL_LEG_OPERATIONS.filter((op) => !lacks.includes(op)),
  };
  return getShortestPaths(branching, {
    input,
    events: eventsFor,
    serializeState: (snapshot) => serializeConversationState(snapshot as Snapshot),
    limit: 20_000,
  });
};

/** The chart's answer to `name` in `snapshot`: refused, or taken (answered otherwise, or started). */
function chartAnswer(snapshot: Snapshot, name: RequestName): 'refused' | 'taken' {
  const requestId = 'probe';
  type Header = { requestId?: string; result?: string; errorMessage?: string };
  const ours = (effects: readonly ConversationEffect[]): { message: { header: Header } } | undefined =>
    effects.find((e) => e.type === 'send' && (e.message.header as Header).requestId === requestId) as { message: { header: Header } } | undefined;
  let now = stepOnChart(snapshot, request(name, requestId, bodyFor(name, snapshot.context.model.parties)));
  let answer = ours(now.effects);
  // Waiting behind operations in flight or queued: it meets the table when its turn comes.
  for (let inFlight = now.snapshot.context.inFlight; answer === undefined && inFlight !== undefined && inFlight.header.requestId !== requestId; inFlight = now.snapshot.context.inFlight) {
    now = stepOnChart(now.snapshot, { type: 'operation.settled', opId: inFlight.opId, ok: true });
    answer = ours(now.effects);
  }
  if (answer === undefined) return 'taken'; // started (or sharing a release in flight)
  const header = answer.message.header;
  return header?.result === 'FAILURE' && REFUSED.test(header.errorMessage ?? '') ? 'refused' : 'taken';
}

/** `{ lifecycle: { disposing: 'ready' } }` for the state node at path lifecycle.disposing.ready. */
const valueAt = (path: readonly string[]): object => path.slice(0, -1).reduceRight<string | object>((value, key) => ({ [key]: value }), path.at(-1) as string) as object;

/**
 * The leaf states of one of the chart's regions, as `matches` values, read from the machine's own
 * definition so a state added later is looked for too. A leaf with eventless transitions (the
 * call region's `entry`) is left in the step that enters it: no snapshot rests there.
 */
function leavesOf(region: 'lifecycle' | 'call'): object[] {
  type Node = { readonly path: readonly string[]; readonly states: Record<string, Node>; readonly always?: readonly unknown[] };
  const walk = (node: Node): Node[] => (Object.keys(node.states).length === 0 ? [node] : Object.values(node.states).flatMap(walk));
  const root = conversationMachine.root as unknown as Node;
  return walk(root.states[region] as Node)
    .filter((node) => (node.always ?? []).length === 0)
    .map((node) => valueAt(node.path));
}

describe.each(LEGS)('capabilities on $name', ({ lacks }) => {
  // One walk per call state a leg can be created in.
  const walks = CALL_STATES.map((start) => ({ start, paths: pathsFor(lacks, start) }));
  const allPaths = walks.flatMap(({ paths }) => paths);

  it('the walks from legs created in every call state reach every pair of lifecycle and call states the chart has', () => {
    for (const { start, paths } of walks) {
      const created = paths.find((path) => path.steps.length === 1)?.state as Snapshot | undefined;
      expect(created?.matches({ call: start }), `a walk from a leg created ${start}`).toBe(true);
    }
    const reached = allPaths.map((path) => path.state as Snapshot);
    for (const lifecycle of leavesOf('lifecycle')) {
      for (const call of leavesOf('call')) {
        const state = { ...lifecycle, ...call };
        expect(reached.some((snapshot) => snapshot.matches(state as never)), JSON.stringify(state)).toBe(true);
      }
    }
  });

  it('for every state on the graph paths and every request, canTake is true exactly when the chart does not refuse it', () => {
    expect(allPaths.length).toBeGreaterThan(100);
    // A state reached again from a later start (the same identity, the graph's own) is checked once.
    const checked = new Set<string>();
    let refused = 0;
    for (const path of allPaths) {
      const snapshot = path.state as Snapshot;
      const identity = serializeConversationState(snapshot);
      if (checked.has(identity)) continue;
      checked.add(identity);
      for (const name of REQUEST_NAMES) {
        const answer = chartAnswer(snapshot, name);
        if (answer === 'refused') refused += 1;
        expect(canTake(snapshot, name), `${name} in ${identity}`).toBe(answer === 'taken');
      }
      expect(capabilitiesOf(snapshot)).toEqual(REQUEST_NAMES.filter((name) => canTake(snapshot, name)));
    }
    expect(checked.size).toBeGreaterThan((walks[0] as (typeof walks)[number]).paths.length);
    expect(refused).toBeGreaterThan(0);
  });

  test.prop([fc.constantFrom(...CALL_STATES), fc.nat(), fc.constantFrom(...REQUEST_NAMES)], { numRuns: 300 })(
    "property: for a leg created in any call state, on the state a graph path leads to, destination.can(name) holds exactly when the destination's actual answer is not a refusal",
    async (start, pick, name) => {
      const { paths } = walks.find((walk) => walk.start === start) as (typeof walks)[number];
      const path = paths[pick % paths.length] as (typeof paths)[number];
      const leg = scriptedLeg({ id: 'leg-7', state: start, parties: [{ number: '100' }], lacks: [...lacks] });
      for (const op of ['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'] as const) leg.modes[op] = 'manual';
      const clock = new SimulatedClock();
      const sent: OutboundMessage[] = [];
      const started = new Map<number, LegOperationName>();
      const destination = createConversationDestination({
        leg,
        clock,
        send: (message) => void sent.push(message),
        limits: { preInitEvents: 1, oneShotEvents: 1 },
        tap: { operationStarted: (opId, operation) => void started.set(opId, operation) },
      });
      try {
        // The path's machine events, as the destination's inputs.
        for (const { event } of path.steps.slice(1) as { event: ConversationEvent }[]) {
          if (event.type === 'query.init') destination.receive({ header: event.header, body: {} });
          else if (event.type.startsWith('request.') && 'header' in event) destination.receive({ header: event.header, body: 'body' in event ? event.body : {} });
          else if (event.type.startsWith('phone.') && 'event' in event) leg.emit(event.event as PhoneEvent);
          else if (event.type === 'connection.lost') destination.connectionLost();
          else if (event.type === 'operation.settled') leg.settle(started.get(event.opId) as LegOperationName);
          else clock.increment(60_000);
          await flush();
        }
        const can = destination.can(name);
        expect(destination.can(`conversation.request.${name}`)).toBe(can);
        expect(destination.capabilities().includes(name)).toBe(can);
        destination.receive({ header: header(name, 'probe'), body: bodyFor(name, leg.parties) });
        await flush();
        const answered = () => sent.find((m) => m.header.type === 'cti.response' && m.header.requestId === 'probe');
        const inFlight = () => internalActor(destination).getSnapshot().context.inFlight;
        // Waiting behind operations in flight or queued: let each end as the phone would, the call unchanged.
        for (let turn = 0; turn < 20 && answered() === undefined && inFlight() !== undefined && inFlight()?.header.requestId !== 'probe'; turn++) {
          leg.settle(inFlight()?.operation as LegOperationName);
          await flush();
        }
        const probeStarted = inFlight()?.header.requestId === 'probe';
        const answer = answered()?.header as { result?: string; errorMessage?: string } | undefined;
        const refused = answer?.result === 'FAILURE' && REFUSED.test(String(answer.errorMessage));
        expect(can, `${name} answered ${JSON.stringify(answer)}${probeStarted ? ' (started)' : ''}`).toBe(!refused);
      } finally {
        destination.stop();
      }
    },
  );
});

describe('the capabilities change event', () => {
  const INPUTS = [
    { kind: 'init' },
    { kind: 'request', name: 'answer' },
    { kind: 'request', name: 'hold' },
    { kind: 'request', name: 'dispose' },
    { kind: 'phone', type: 'talking' },
    { kind: 'phone', type: 'held' },
    { kind: 'phone', type: 'ended' },
    { kind: 'lost' },
    { kind: 'settle' },
  ] as const;

  test.prop([fc.array(fc.constantFrom(...INPUTS), { maxLength: 25 })], { numRuns: 60 })(
    'property: a listener hears each new capabilities list exactly once, and only when it changed',
    async (inputs) => {
      const leg = scriptedLeg({ id: 'leg-7' });
      for (const op of ['answer', 'hold', 'release'] as const) leg.modes[op] = 'manual';
      const started: LegOperationName[] = [];
      const destination = createConversationDestination({ leg, send: () => undefined, clock: new SimulatedClock(), tap: { operationStarted: (_id, op) => void started.push(op) } });
      const heard: string[] = [];
      const seen: string[] = [destination.capabilities().join(',')];
      const stop = destination.onCapabilitiesChange((list) => heard.push(list.join(',')));
      try {
        let n = 0;
        for (const input of inputs) {
          n += 1;
          if (input.kind === 'init') destination.receive({ header: header('init', `i${n}`), body: {} });
          else if (input.kind === 'request') destination.receive({ header: header(input.name, `r${n}`), body: {} });
          else if (input.kind === 'phone') leg.emit({ type: input.type });
          else if (input.kind === 'lost') destination.connectionLost();
          else if (started.length > 0) {
            try {
              leg.settle(started.shift() as LegOperationName);
            } catch {
              // cancelled already: nothing waits
            }
          }
          await flush();
          const now = destination.capabilities().join(',');
          if (now !== seen.at(-1)) seen.push(now);
        }
        expect(heard).toEqual(seen.slice(1));
      } finally {
        stop();
        destination.stop();
      }
    },
  );

  it('a listener that throws does not stop the others; unsubscribing the last one stops listening', async () => {
    const leg = scriptedLeg({ id: 'leg-7' });
    const destination = createConversationDestination({ leg, send: () => undefined });
    const heard: (readonly string[])[] = [];
    const first = destination.onCapabilitiesChange(() => {
      throw new Error('a broken UI');
    });
    const second = destination.onCapabilitiesChange((list) => heard.push(list));
    expect(destination.capabilities()).toEqual(['dispose']);
    destination.receive({ header: header('init', 'i1'), body: {} });
    expect(heard).toEqual([['answer', 'release', 'dispose']]);
    expect(destination.can('answer')).toBe(true);
    expect(destination.can('hold')).toBe(false);
    expect(destination.can('conversation.request.frobnicate')).toBe(false);
    first();
    second();
    leg.emit({ type: 'talking' });
    await flush();
    expect(heard).toHaveLength(1);
    destination.stop();
  });
});
