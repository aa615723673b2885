/**
 * The machine on its own, without a destination: it is pure, so events go in and effects come
 * out. These reach what a well-behaved destination never sends it.
 */
import { describe, expect, it } from 'vitest';
import { createActor, SimulatedClock } from 'xstate';
import { conversationMachine, takeEffects, type Effect } from '../../machines/conversation.machine.js';
import { initialContext, type ConversationInput } from '../../machines/context.js';
import { phoneEventOf, requestEvent, type ConversationEvent } from '../../machines/events.js';
import { RequestMemory } from '../../machines/memory.js';
import { respond } from '../../machines/messages.js';
import { cleanParty, cleanReason, modelFromSnapshot } from '../../machines/model.js';
import type { PhoneEvent } from '../../machines/types.js';

const T = 'PB1.X.leg-9';
const header = (name: string, requestId: string) => ({ type: name.includes('.query.') ? 'cti.query' : 'cti.request', name, target: T, requestId });
const request = (short: string, requestId: string, body?: Record<string, unknown>): ConversationEvent =>
  requestEvent(header(short === 'init' ? 'conversation.query.init' : `conversation.request.${short}`, requestId), body);

function machine(input: Partial<ConversationInput> = {}) {
  const clock = new SimulatedClock();
  const actor = createActor(conversationMachine, {
    clock,
    input: { snapshot: { state: 'TALKING', parties: [{ number: '100' }], muted: false }, ...input },
  });
  const effects: Effect[] = [];
  actor.subscribe((snapshot) =>
    takeEffects(snapshot.context, (e) => {
      effects.push(e);
      // As the destination does: each started operation's deadline, on the clock.
      if (e.type === 'start') clock.setTimeout(() => actor.send({ type: 'operation.deadline', opId: e.opId }), e.deadlineMs);
    }),
  );
  actor.start();
  const lines = () =>
    effects.splice(0).map((e) => {
      if (e.type !== 'send') return e.type === 'start' ? `start ${e.operation}#${e.opId}` : e.type === 'abort' ? `abort #${e.opId}` : e.type;
      const h = e.message.header as { type: string; name: string; result?: string };
      return h.type === 'cti.event' ? h.name : `${h.result} ${h.name}`;
    });
  return { actor, clock, effects, lines };
}

describe('the machine alone', () => {
  it('an outcome or deadline for an operation that is not in flight changes nothing, even with requests waiting', () => {
    const { actor, lines } = machine();
    actor.send(request('init', 'i'));
    // Nothing in flight at all: ignored as well (the actor does not fail on it).
    actor.send({ type: 'operation.settled', opId: 7, ok: true, reason: '' });
    actor.send({ type: 'operation.deadline', opId: 7 });
    expect(actor.getSnapshot().status).toBe('active');
    actor.send(request('hold', 'h'));
    actor.send(request('mute', 'm'));
    expect(lines()).toEqual(['SUCCESS conversation.query.init', 'conversation.started', 'start hold#1']);
    for (const stale of [{ type: 'operation.settled', opId: 7, ok: true, reason: '' }, { type: 'operation.deadline', opId: 7 }] as const) {
      actor.send(stale);
      expect(lines()).toEqual([]);
      expect(actor.getSnapshot().context.inFlight?.opId).toBe(1);
      expect(actor.getSnapshot().context.queue.size).toBe(1);
      expect(actor.getSnapshot().value).toMatchObject({ operation: 'running' });
    }
  });

  it('starts awaiting init with no operation, and defaults every setting', () => {
    const { actor } = machine();
    expect(actor.getSnapshot().value).toEqual({ lifecycle: 'awaitingInit', call: 'TALKING', operation: 'idle' });
    expect(actor.getSnapshot().context.settings).toEqual({
      operationTimeoutMs: 10_000,
      dtmfMsPerDigit: 500,
      preInitEvents: 256,
      oneShotEvents: 16,
      supported: ['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'],
    });
  });

  it('bad settings fall back to the defaults', () => {
    const context = initialContext({
      snapshot: { state: 'RINGING', parties: [{ number: '1' }], muted: false },
      operationTimeoutMs: -5,
      dtmfMsPerDigit: Number.NaN,
      limits: { preInitEvents: Infinity, requestIds: 0 },
    });
    expect(context.settings.operationTimeoutMs).toBe(10_000);
    expect(context.settings.dtmfMsPerDigit).toBe(500);
    expect(context.settings.preInitEvents).toBe(256);
    expect(context.memory.limit).toBe(0);
  });

  it('emits effects in order: the answer, then the next operation; a late outcome is ignored', () => {
    const { actor, lines } = machine();
    actor.send(request('init', 'i'));
    actor.send(request('hold', 'h'));
    actor.send(request('mute', 'm'));
    expect(lines()).toEqual(['SUCCESS conversation.query.init', 'conversation.started', 'start hold#1']);
    actor.send({ type: 'operation.settled', opId: 1, ok: true });
    expect(lines()).toEqual(['SUCCESS conversation.request.hold', 'start mute#2']);
    actor.send({ type: 'operation.settled', opId: 1, ok: false, reason: 'late' });
    expect(lines()).toEqual([]);
    actor.send({ type: 'operation.settled', opId: 2, ok: false });
    expect(actor.getSnapshot().value).toEqual({ lifecycle: 'ready', call: 'TALKING', operation: 'idle' });
    expect(lines()).toEqual(['FAILURE conversation.request.mute']);
    expect((actor.getSnapshot().context.memory.size)).toBe(2);
  });

  it('each start carries its deadline; operation.deadline answers the request in flight and starts the next', () => {
    const { actor, clock, effects, lines } = machine({ operationTimeoutMs: 100 });
    actor.send(request('init', 'i'));
    actor.send(request('hold', 'h'));
    actor.send(request('retrieve', 'r'));
    expect(effects.filter((e) => e.type === 'start')).toEqual([{ type: 'start', opId: 1, operation: 'hold', args: [], deadlineMs: 100 }]);
    lines();
    clock.increment(100);
    expect(lines()).toEqual(['abort #1', 'FAILURE conversation.request.hold', 'SUCCESS conversation.request.retrieve']);
    expect(actor.getSnapshot().value).toEqual({ lifecycle: 'ready', call: 'TALKING', operation: 'idle' });
  });

  it('a request with no body counts as {}; an argument missing from the body is passed empty', () => {
    const { actor, lines } = machine();
    actor.send(request('init', 'i'));
    actor.send(request('transfer', 't'));
    expect(lines().at(-1)).toBe('start transfer#1');
    expect(actor.getSnapshot().context.inFlight?.args).toEqual(['']);
  });

  it('a repeat of the second queued request joins that one', () => {
    const { actor, lines } = machine();
    actor.send(request('init', 'i'));
    actor.send(request('hold', 'a'));
    actor.send(request('mute', 'b'));
    actor.send(request('conference', 'c', { destination: '1' }));
    actor.send(request('conference', 'c', { destination: '1' }));
    expect(actor.getSnapshot().context.queue.toArray().map((p) => p.sharers.length)).toEqual([0, 1]);
    lines();
  });

  it('ignores phone events of no known type, and phone events after dispose', () => {
    const { actor, lines } = machine();
    actor.send(phoneEventOf({ type: 'nonsense' }));
    expect(lines()).toEqual(['diagnostic']);
    actor.send(request('dispose', 'd'));
    actor.send(phoneEventOf({ type: 'held' }));
    actor.send({ type: 'connection.lost' });
    expect(lines()).toEqual(['SUCCESS conversation.request.dispose', 'detach']);
    expect(actor.getSnapshot().value).toEqual({ lifecycle: 'disposed', call: 'TALKING', operation: 'idle' });
  });

  it('connection.lost while awaiting init only starts a new connection epoch', () => {
    const { actor, effects } = machine({ snapshot: { state: 'RINGING', parties: [{ number: '1' }], muted: false } });
    actor.send({ type: 'connection.lost' });
    expect(actor.getSnapshot().value).toMatchObject({ lifecycle: 'awaitingInit' });
    expect(actor.getSnapshot().context.epoch).toBe(1);
    expect(effects).toEqual([]);
  });

  it('a request name outside the conversation prefixes is named whole in "unsupported"', () => {
    const { actor, effects } = machine();
    actor.send(request('init', 'i'));
    actor.send(requestEvent({ type: 'cti.request', name: 'channel.request.dial', target: T, requestId: 'x' }));
    const last = effects.at(-1) as Extract<Effect, { type: 'send' }>;
    expect(last.message.header).toMatchObject({ result: 'FAILURE', errorMessage: 'channel.request.dial: unsupported by this conversation destination' });
  });

  it('the same input and event give the same effects and context (deterministic)', () => {
    const a = machine();
    const b = machine();
    a.actor.send(request('init', 'i'));
    b.actor.send(request('init', 'i'));
    expect(a.effects).toEqual(b.effects);
    expect(a.actor.getSnapshot().context.flags).toEqual(b.actor.getSnapshot().context.flags);
    expect(a.actor.getSnapshot().value).toEqual({ lifecycle: 'ready', call: 'TALKING', operation: 'idle' });
  });

  it('DTMF without digits gets the base deadline', () => {
    const { actor, clock, lines } = machine({ operationTimeoutMs: 10, dtmfMsPerDigit: 1000 });
    actor.send(request('init', 'i'));
    actor.send(requestEvent(header('conversation.request.senddtmf', 'd'), {}));
    lines();
    clock.increment(10);
    expect(lines()).toEqual(['abort #1', 'FAILURE conversation.request.senddtmf']);
  });
});

describe('model helpers', () => {
  it('cleanParty keeps the catalogue limits', () => {
    expect(cleanParty({ number: undefined as unknown as string })).toEqual({ number: 'unknown' });
    expect(cleanParty({ number: '1', name: '' })).toEqual({ number: '1' });
  });

  it('cleanReason gives a readable reason for anything', () => {
    expect(cleanReason(undefined)).toBe('no reason given');
    expect(cleanReason('  x  ')).toBe('x');
    expect(cleanReason('r'.repeat(2000))).toHaveLength(1024);
  });

  it('modelFromSnapshot keeps fallback parties when the phone lists none, and drops repeated numbers', () => {
    expect(modelFromSnapshot({ state: 'HELD', parties: [], muted: true }, [{ number: '5' }])).toEqual({ state: 'HELD', muted: true, parties: [{ number: '5' }] });
    expect(modelFromSnapshot({ state: 'HELD', parties: undefined as never, muted: false }, []).parties).toEqual([{ number: 'unknown' }]);
    expect(modelFromSnapshot({ state: 'TALKING', parties: [{ number: '1' }, { number: '1', name: 'again' }], muted: false }).parties).toEqual([{ number: '1' }]);
  });

  it('events with missing parts still produce catalogue-shaped messages', () => {
    const { actor, effects } = machine();
    actor.send(request('init', 'i'));
    actor.send(phoneEventOf({ type: 'partyAdded' } as unknown as PhoneEvent));
    actor.send(phoneEventOf({ type: 'transferFailed' } as unknown as PhoneEvent));
    const sent = effects.filter((e): e is Extract<Effect, { type: 'send' }> => e.type === 'send').slice(-2).map((e) => e.message.body);
    expect(sent).toEqual([{ number: 'unknown' }, { reason: 'no reason given' }]);
  });
});

describe('requestId memory', () => {
  const response = (id: string, name = 'conversation.request.hold') => respond({ type: 'cti.request', name, target: 't', requestId: id }, { ok: true });
  const fill = (memory: RequestMemory, ids: readonly string[]) => {
    for (const id of ids) memory.remember(response(id));
    return memory;
  };

  it('remembers up to its limit, forgetting the oldest first', () => {
    const memory = fill(new RequestMemory(32, 1 << 20), Array.from({ length: 40 }, (_, i) => `r${i}`));
    expect(memory.size).toBe(32);
    expect(memory.recall('conversation.request.hold', 'r39')?.header.requestId).toBe('r39');
    expect(memory.recall('conversation.request.hold', 'r8')?.header.requestId).toBe('r8');
    expect(memory.recall('conversation.request.hold', 'r7')).toBeUndefined();
  });

  it('holds exactly its limit before forgetting, oldest first', () => {
    const memory = fill(new RequestMemory(4, 1 << 20), ['a', 'b', 'c', 'd']);
    expect(memory.keys()).toEqual(['a', 'b', 'c', 'd'].map((id) => `conversation.request.hold ${id}`));
    memory.remember(response('e'));
    expect(memory.recall('conversation.request.hold', 'a')).toBeUndefined();
    expect(memory.recall('conversation.request.hold', 'b')?.header.requestId).toBe('b');
    expect(memory.size).toBe(4);
  });

  it('a limit of zero remembers nothing; a repeated key keeps the first answer', () => {
    expect(fill(new RequestMemory(0, 1 << 20), ['a']).size).toBe(0);
    const once = fill(new RequestMemory(4, 1 << 20), ['a']);
    once.remember(respond({ type: 'cti.request', name: 'conversation.request.hold', target: 'other', requestId: 'a' }, { ok: true }));
    expect(once.recall('conversation.request.hold', 'a')?.header.target).toBe('t');
    expect(once.size).toBe(1);
  });

  it('a clone is independent: what one branch remembers the other does not', () => {
    const first = fill(new RequestMemory(4, 1 << 20), ['a']);
    const second = first.clone();
    second.remember(response('b'));
    expect(first.recall('conversation.request.hold', 'b')).toBeUndefined();
    expect(second.recall('conversation.request.hold', 'b')).toBeDefined();
  });
});

describe('serializeConversationState', () => {
  it('drops the growing counters and keeps what decides behaviour', async () => {
    const { serializeConversationState } = await import('../../machines/serialize.js');
    const a = machine();
    const b = machine();
    a.actor.send(request('init', 'i1'));
    b.actor.send(request('init', 'i2'));
    a.actor.send(request('hold', 'h1'));
    a.actor.send({ type: 'operation.settled', opId: 1, ok: true });
    // a has remembered an answer and used an operation id; b has not: the same state for the graph.
    expect(serializeConversationState(a.actor.getSnapshot())).toBe(serializeConversationState(b.actor.getSnapshot()));
    b.actor.send(request('hold', 'h2'));
    expect(serializeConversationState(b.actor.getSnapshot())).not.toBe(serializeConversationState(a.actor.getSnapshot()));
    expect(JSON.parse(serializeConversationState(b.actor.getSnapshot()))).toEqual([
      { lifecycle: 'ready', call: 'TALKING', operation: 'running' },
      T,
      { state: 'TALKING', muted: false, parties: [{ number: '100' }] },
      { initialized: true, started: true, ended: false },
      [],
      [],
      [],
      [],
      ['hold', true],
      false,
    ]);
  });
});
