/**
 * The rules one by one, on a context of their own: each is a small function from (context, event)
 * to the fields it replaces, the effects in order and the events it raises on the chart.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULTS, initialContext, type ConversationContext } from '../../machines/context.js';
import { requestEvent, type KnownRequestEvent } from '../../machines/events.js';
import { LegQueue } from '../../machines/queue.js';
import { shortName } from '../../machines/requests.js';
import * as rules from '../../machines/rules.js';

const T = 'PB1.R.leg-1';
const context = (overrides: Partial<ConversationContext> = {}): ConversationContext => ({
  ...initialContext({ snapshot: { state: 'TALKING', parties: [{ number: '100' }], muted: false }, target: T }),
  ...overrides,
});
const request = (short: string, requestId: string, body: Record<string, unknown> = {}) =>
  requestEvent({ type: 'cti.request', name: `conversation.request.${short}`, target: T, requestId }, body) as KnownRequestEvent;
const lines = (effects: readonly rules.Effect[]) =>
  effects.map((e) => (e.type === 'send' ? `${(e.message.header as { result?: string }).result ?? 'event'} ${e.message.header.name}` : e.type));

describe('rules', () => {
  it('enqueue then takeNext: ok and no cells are answered at once, the first call starts (callWaiting saw it coming)', () => {
    const c = context();
    rules.enqueue(c, request('answer', 'a'));
    rules.enqueue(c, request('senddtmf', 's', { digits: '12' }));
    rules.enqueue(c, request('hold', 'h'));
    expect(rules.callWaiting(c)).toBe(true);
    const change = rules.takeNext(c, request('hold', 'x'));
    expect(lines(change.effects)).toEqual(['SUCCESS conversation.request.answer', 'start']);
    expect(change.assign?.inFlight).toMatchObject({ opId: 1, operation: 'sendDtmf', args: ['12'] });
    // The operation region's own edge moves it to running: nothing is raised.
    expect(change.raise).toBeUndefined();
    expect(c.queue.size).toBe(1);
  });

  it('takeNext does nothing while an operation is in flight', () => {
    const c = context();
    rules.enqueue(c, request('hold', 'h'));
    const inFlight = { ...request('hold', 'f'), epoch: 0, request: 'hold' as const, args: [], sharers: [], opId: 9, operation: 'hold' as const };
    expect(rules.takeNext({ ...c, inFlight }, request('hold', 'x'))).toEqual({ effects: [] });
    expect(c.queue.size).toBe(1);
  });

  it('takeNext answers mute ok when muted, unmute ok when not, removeparty no when unlisted', () => {
    const muted = context({ model: { state: 'TALKING', muted: true, parties: [{ number: '100' }] } });
    rules.enqueue(muted, request('mute', 'm'));
    rules.enqueue(muted, request('removeparty', 'r', { number: '555' }));
    expect(lines(rules.takeNext(muted, request('mute', 'x')).effects)).toEqual(['SUCCESS conversation.request.mute', 'FAILURE conversation.request.removeparty']);
    const plain = context();
    rules.enqueue(plain, request('unmute', 'u'));
    expect(lines(rules.takeNext(plain, request('unmute', 'x')).effects)).toEqual(['SUCCESS conversation.request.unmute']);
  });

  it('cancelInFlight aborts and answers the operation "cancelled"; only a dispose raises operation.cancelled', () => {
    const c = context();
    rules.enqueue(c, request('hold', 'h'));
    const started = rules.takeNext(c, request('hold', 'x'));
    const change = rules.cancelInFlight('release')({ ...c, ...started.assign } as ConversationContext, request('release', 'r'));
    expect(lines(change.effects)).toEqual(['abort', 'FAILURE conversation.request.hold']);
    expect(change.raise).toBeUndefined();
    const byDispose = rules.cancelInFlight('dispose')({ ...c, ...started.assign } as ConversationContext, request('dispose', 'd'));
    expect(lines(byDispose.effects)).toEqual(['abort', 'FAILURE conversation.request.hold']);
    expect(byDispose.raise).toEqual([{ type: 'operation.cancelled', opId: 1 }]);
    expect(rules.cancelInFlight('dispose')(c, request('dispose', 'd'))).toEqual({ effects: [] });
  });

  it('cancelQueue answers every waiting request and its repeats "cancelled by ..."', () => {
    const c = context();
    rules.enqueue(c, request('hold', 'h'));
    rules.joinRepeat(c, request('hold', 'h'));
    const change = rules.cancelQueue('dispose')(c, request('dispose', 'd'));
    expect(change.effects).toHaveLength(2);
    expect(change.effects.map((e) => e.type === 'send' && (e.message.header as { errorMessage?: string }).errorMessage)).toEqual([
      'hold: cancelled by dispose before the phone finished',
      'hold: cancelled by dispose before the phone finished',
    ]);
    expect(c.queue.size).toBe(0);
  });

  it('an answer goes on the wire only to a frame of this connection, but is remembered for all', () => {
    const c = context();
    rules.enqueue(c, request('hold', 'h'));
    const later = { ...c, epoch: 1 };
    expect(rules.cancelQueue('release')(later, request('release', 'r')).effects).toEqual([]);
    expect(c.memory.recall('conversation.request.hold', 'h')).toBeDefined();
  });

  it('joinRelease, holdDispose, answerDispose and completeDispose', () => {
    const c = context();
    rules.enqueue(c, request('release', 'r1'));
    const started = rules.takeNext(c, request('release', 'x'));
    const releasing = { ...c, ...started.assign } as ConversationContext;
    rules.joinRelease(releasing, request('release', 'r2'));
    expect(releasing.inFlight?.sharers.map((s) => s.header.requestId)).toEqual(['r2']);
    const held = rules.holdDispose(releasing, request('dispose', 'd'));
    expect(held.assign?.pendingDispose?.header.requestId).toBe('d');
    const done = rules.completeDispose({ ...releasing, ...held.assign } as ConversationContext, request('dispose', 'd'));
    expect(lines(done.effects)).toEqual(['SUCCESS conversation.request.dispose', 'detach']);
    expect(done.assign).toEqual({ pendingDispose: undefined, preInit: [], oneShots: [] });
    expect(lines(rules.answerDispose(context(), request('dispose', 'e')).effects)).toEqual(['SUCCESS conversation.request.dispose', 'detach']);
  });

  it('queuePreInit appends in place; overflowPreInit keeps only the newest one-shot words', () => {
    const c = context({ settings: { ...context().settings, oneShotEvents: 1 } });
    rules.queuePreInit(c, { event: { type: 'busy' } });
    rules.queuePreInit(c, { event: { type: 'held' } });
    expect(c.preInit.map((e) => e.type)).toEqual(['busy', 'held']);
    const change = rules.overflowPreInit(c, { event: { type: 'failed', reason: 'x' } });
    expect(change.assign?.oneShots?.map((e) => e.type)).toEqual(['failed']);
    expect(change.effects.map((e) => e.type === 'diagnostic' && e.code)).toEqual(['one-shot-events-dropped', 'pre-init-queue-full']);
    expect(rules.replayPreInit(c, { type: 'connection.lost' }).raise?.map((e) => e.type)).toEqual(['phone.busy', 'phone.held']);
  });

  it('newEpoch, letGo and reportUnknownPhoneEvent', () => {
    expect(rules.newEpoch(context({ epoch: 4 }), { type: 'connection.lost' }).assign).toEqual({ epoch: 5 });
    expect(rules.letGo(context(), { type: 'connection.lost' }).effects).toEqual([{ type: 'letGo' }]);
    expect(rules.reportUnknownPhoneEvent(context(), { type: 'connection.lost' }).effects[0]).toMatchObject({ code: 'bad-phone-event' });
  });

  it('applyCell leaves the context alone when a cell changes nothing', () => {
    expect(rules.applyCell('dup')(context(), { event: { type: 'talking' } })).toEqual({ effects: [] });
    expect(rules.applyCell('to-held')(context(), { event: { type: 'held' } }).assign?.model?.state).toBe('HELD');
  });
});

describe('the queue', () => {
  it('compacts its array as the head moves, and keeps order, sizes and bytes right', () => {
    const queue = new LegQueue(1_000, 1 << 20);
    const pending = (id: string) => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: id }, epoch: 0, request: 'hold' as const, args: [], sharers: [] });
    for (let i = 0; i < 200; i += 1) queue.push(pending(`p${i}`));
    for (let i = 0; i < 150; i += 1) expect(queue.shift()?.header.requestId).toBe(`p${i}`);
    expect(queue.size).toBe(50);
    expect(queue.find(pending('p150').header)?.header.requestId).toBe('p150');
    expect(queue.find(pending('p1').header)).toBeUndefined();
    const copy = queue.clone();
    expect(copy.drain().map((p) => p.header.requestId)).toEqual(Array.from({ length: 50 }, (_, i) => `p${i + 150}`));
    expect(copy.bytes).toBe(0);
    expect(queue.size).toBe(50);
    while (queue.shift() !== undefined);
    expect(queue.bytes).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});

describe('shortName, one for the whole project', () => {
  it.each([
    ['conversation.request.hold', 'hold'],
    ['conversation.query.init', 'init'],
    ['interaction.request.accept', 'accept'],
    ['conversation.transfer.failed', 'transfer.failed'],
    ['conversation.', 'conversation.'],
    ['weird', 'weird'],
  ])('%s → %s', (name, short) => {
    expect(shortName(name)).toBe(short);
  });
});

describe('the memory bounds', () => {
  it('keeps nothing larger than its byte bound, and nothing when its count is zero', async () => {
    const { RequestMemory } = await import('../../machines/memory.js');
    const { respond } = await import('../../machines/messages.js');
    const answer = respond({ type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: 'a' }, { ok: true });
    const tiny = new RequestMemory(4, 10);
    tiny.remember(answer);
    expect(tiny.size).toBe(0);
    expect(tiny.bytes).toBe(0);
    const roomy = new RequestMemory(4, 1 << 20);
    roomy.remember(answer);
    expect(roomy.bytes).toBeGreaterThan(96);
    expect(roomy.keys()).toEqual(['conversation.request.hold a']);
  });
});

describe('bounds hit are reported; the ordinary path reports nothing', () => {
  it('answerBusy answers FAILURE "busy" and reports queue-full with what waits and the bounds', () => {
    const c = context({ queue: new LegQueue(1, 10_000) });
    rules.enqueue(c, request('hold', 'h'));
    const change = rules.answerBusy(c, request('mute', 'm'));
    expect(lines(change.effects)).toEqual(['FAILURE conversation.request.mute', 'diagnostic']);
    expect(change.effects[1]).toEqual({
      type: 'diagnostic',
      code: 'queue-full',
      message: `mute answered "busy": 1 request(s), ${c.queue.bytes} bytes already wait (limits.queuedRequests 1, queuedBytes 10000)`,
    });
  });

  it('joinRepeat past the bounds is busy and reports it too; a repeat that fits reports nothing', () => {
    const c = context({ queue: new LegQueue(1, 10_000) });
    rules.enqueue(c, request('hold', 'h'));
    expect(rules.joinRepeat(c, request('hold', 'h'))).toEqual({ effects: [] });
    expect(lines(rules.joinRepeat(c, request('hold', 'h')).effects)).toEqual(['FAILURE conversation.request.hold', 'diagnostic']);
  });

  it('an answer that makes the memory forget for bytes reports request-memory-full after the send; the count bound forgets silently', async () => {
    const { RequestMemory } = await import('../../machines/memory.js');
    const byCount = context({ memory: new RequestMemory(1, 1 << 20) });
    expect(lines(rules.answerByTable(byCount, request('answer', 'a1')).effects)).toEqual(['SUCCESS conversation.request.answer']);
    expect(lines(rules.answerByTable(byCount, request('answer', 'a2')).effects)).toEqual(['SUCCESS conversation.request.answer']);
    expect(byCount.memory.keys()).toEqual(['conversation.request.answer a2']);
    // Room for one answer in bytes: the second forgets the first for its bytes.
    const byBytes = context({ memory: new RequestMemory(100, 200) });
    expect(lines(rules.answerByTable(byBytes, request('answer', 'b1')).effects)).toEqual(['SUCCESS conversation.request.answer']);
    const change = rules.answerByTable(byBytes, request('answer', 'b2'));
    expect(change.effects).toEqual([
      expect.objectContaining({ type: 'send' }),
      {
        type: 'diagnostic',
        code: 'request-memory-full',
        message: '1 remembered answer(s) forgotten to keep the requestId memory within 200 bytes (limits.requestIdBytes); a repeat of one runs as a new request',
      },
    ]);
    // An answer not remembered (keep false) never touches the memory, so never reports.
    const tiny = context({ memory: new RequestMemory(100, 10) });
    expect(lines(rules.answerNotInitialized(tiny, request('hold', 'n')).effects)).toEqual(['FAILURE conversation.request.hold']);
    // One too large to keep is reported, on this connection or not.
    expect(lines(rules.answerUnsupported(tiny, request('hold', 'u')).effects)).toEqual(['FAILURE conversation.request.hold', 'diagnostic']);
    const later = { ...tiny, epoch: 1 };
    rules.enqueue(tiny, request('hold', 'q'));
    expect(lines(rules.cancelQueue('release')(later, request('release', 'r')).effects)).toEqual(['diagnostic']);
  });
});

describe('serialised for inspectors', () => {
  it('a queue serialises as its waiting requests, a memory as its size and bounds', async () => {
    const { RequestMemory } = await import('../../machines/memory.js');
    const c = context();
    rules.enqueue(c, request('hold', 'h'));
    expect(JSON.parse(JSON.stringify(c.queue))).toMatchObject([{ request: 'hold', header: { requestId: 'h' } }]);
    expect(JSON.parse(JSON.stringify(new RequestMemory(8, 100)))).toEqual({ size: 0, limit: 8, bytes: 0, maxBytes: 100 });
  });
});

describe('callsLeg: the one question the operation region and takeNext ask', () => {
  const model = (state: 'TALKING' | 'HELD' | 'RINGING' | 'RELEASED', muted = false) => ({ state, muted, parties: [{ number: '100' }] });
  it('a plain call cell calls; ok and no cells do not', () => {
    expect(rules.callsLeg(model('TALKING'), 'hold', [])).toBe(true);
    expect(rules.callsLeg(model('HELD'), 'hold', [])).toBe(false);
    expect(rules.callsLeg(model('RINGING'), 'hold', [])).toBe(false);
    expect(rules.callsLeg(model('TALKING'), 'senddtmf', ['1'])).toBe(true);
    expect(rules.callsLeg(model('RELEASED'), 'release', [])).toBe(false);
  });
  it('mute calls unless muted, unmute only when muted, removeparty only for a listed number', () => {
    expect(rules.callsLeg(model('TALKING'), 'mute', [])).toBe(true);
    expect(rules.callsLeg(model('TALKING', true), 'mute', [])).toBe(false);
    expect(rules.callsLeg(model('TALKING'), 'unmute', [])).toBe(false);
    expect(rules.callsLeg(model('TALKING', true), 'unmute', [])).toBe(true);
    expect(rules.callsLeg(model('TALKING'), 'removeparty', ['100'])).toBe(true);
    expect(rules.callsLeg(model('TALKING'), 'removeparty', ['555'])).toBe(false);
  });
  it('callWaiting is false for an empty queue and for a queue of answers the table gives alone', () => {
    const c = context();
    expect(rules.callWaiting(c)).toBe(false);
    rules.enqueue(c, request('answer', 'a'));
    expect(rules.callWaiting(c)).toBe(false);
    rules.enqueue(c, request('hold', 'h'));
    expect(rules.callWaiting(c)).toBe(true);
  });
  it('startOperation starts the request itself; answerByTable answers it without the leg', () => {
    const c = context();
    const started = rules.startOperation(c, request('hold', 'h'));
    expect(lines(started.effects)).toEqual(['start']);
    expect(started.assign).toMatchObject({ inFlight: { opId: 1, operation: 'hold' }, nextOpId: 2 });
    expect(lines(rules.answerByTable(c, request('answer', 'a')).effects)).toEqual(['SUCCESS conversation.request.answer']);
    expect(lines(rules.answerByTable(c, request('retrieve', 'r')).effects)).toEqual(['SUCCESS conversation.request.retrieve']);
    expect(lines(rules.answerByTable(c, request('removeparty', 'p', { number: '555' })).effects)).toEqual(['FAILURE conversation.request.removeparty']);
    const ringing = context({ model: { state: 'RINGING', muted: false, parties: [{ number: '100' }] } });
    const refused = rules.answerByTable(ringing, request('hold', 'n')).effects;
    expect(refused.map((e) => e.type === 'send' && (e.message.header as { errorMessage?: string }).errorMessage)).toEqual(['hold: not possible while the call is RINGING']);
  });
});

describe('answerInit on a move: the sent flags are kept per target, within a bound', () => {
  const init = (target: string) => ({ type: 'query.init' as const, header: { type: 'cti.query' as const, name: 'conversation.query.init', target, requestId: `i-${target}` } });
  const events = (change: ReturnType<typeof rules.answerInit>) =>
    change.effects.flatMap((e) => (e.type === 'send' && e.message.header.type === 'cti.event' ? [e.message.header.name] : []));
  const forgotten = (change: ReturnType<typeof rules.answerInit>) =>
    change.effects.filter((e) => {
      if (e.type !== 'diagnostic' || e.code !== 'earlier-target-forgotten') return false;
      expect(e.message).toBe(
        `the oldest of the ${DEFAULTS.earlierTargets} targets this conversation moved away from was forgotten; an init query back on it counts as a first init there (started may go out on it again)`,
      );
      return true;
    }).length;
  const moveTo = (c: ConversationContext, target: string) => {
    const change = rules.answerInit(c, init(target));
    return { c: { ...c, ...change.assign } as ConversationContext, sent: events(change), forgot: forgotten(change) };
  };

  it('a new target gets a first init; a target moved back to keeps what it was sent', () => {
    let { c, sent } = moveTo(context(), T);
    expect(sent).toEqual(['conversation.started']);
    expect(rules.answerInit(c, init('PB1.R.leg-2')).effects[0]).toEqual({
      type: 'diagnostic',
      code: 'moved',
      message: 'an init query on another target moved this conversation there',
    });
    ({ c, sent } = moveTo(c, 'PB1.R.leg-2'));
    expect(sent).toEqual(['conversation.started']);
    expect([...c.earlierTargets.keys()]).toEqual([T]);
    ({ c, sent } = moveTo(c, T));
    expect(sent).toEqual([]);
    expect([...c.earlierTargets.keys()]).toEqual(['PB1.R.leg-2']);
  });

  it(`past ${DEFAULTS.earlierTargets} earlier targets the oldest is forgotten (reported once per forgetting move), and a move back to it is a first init again`, () => {
    let { c } = moveTo(context(), T);
    const forgot: number[] = [];
    for (let i = 0; i <= DEFAULTS.earlierTargets; i += 1) {
      const moved = moveTo(c, `PB1.R.leg-m${i}`);
      c = moved.c;
      forgot.push(moved.forgot);
    }
    // Reported once, on the move that forgot: the last one (the 9th target left).
    expect(forgot).toEqual([...Array<number>(DEFAULTS.earlierTargets).fill(0), 1]);
    expect(c.earlierTargets.size).toBe(DEFAULTS.earlierTargets);
    expect(c.earlierTargets.has(T)).toBe(false);
    expect(c.earlierTargets.has('PB1.R.leg-m0')).toBe(true);
    expect(moveTo(c, T)).toMatchObject({ sent: ['conversation.started'], forgot: 1 });
    // A move back to a kept target adds none: nothing is forgotten.
    expect(moveTo(c, 'PB1.R.leg-m0')).toMatchObject({ sent: [], forgot: 0 });
  });
});
