/**
 * What this round added to the destination: the bounded queue and requestId memory, the let-go
 * of an ended leg the bridge never disposes, the public view, the tap, and the four contract lines
 * of docs/contract.md ("Contract lines pinned by tests").
 */
import { describe, expect, it } from 'vitest';
import { internalActor } from '../../src/destination/internal.js';
import type { DestinationView } from '../../src/destination/index.js';
import { flush, harness, scriptedLeg, talkingHarness as talking, TARGET } from '../support/scripted-leg.js';

const memoryOf = (h: Awaited<ReturnType<typeof talking>>) => internalActor(h.destination).getSnapshot().context.memory;

describe('the queue is bounded by count and bytes', () => {
  it('past the count a request is answered FAILURE "busy"; the ones before it still run', async () => {
    const h = await talking({ limits: { queuedRequests: 2 } });
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'a');
    h.request('retrieve', {}, 'b');
    h.request('mute', {}, 'c');
    h.request('unmute', {}, 'd');
    await flush();
    expect(h.outcome('d')).toBe('FAILURE: unmute: busy: too many requests are waiting on this conversation; try again later');
    expect(h.responses('b')).toEqual([]);
    expect(internalActor(h.destination).getSnapshot().context.queue.size).toBe(2);
    // The bound hit is reported (the client counts it as queueBusy); nothing before it reported anything.
    expect(h.diagnostics.map((d) => d.code)).toEqual(['queue-full']);
    expect(h.diagnostics[0]).toMatchObject({ target: TARGET, message: expect.stringMatching(/^unmute answered "busy": 2 request\(s\), \d+ bytes already wait \(limits\.queuedRequests 2, queuedBytes 262144\)$/) });
  });

  it('a "busy" answer is remembered like any other: a repeat once the queue has room gets it again and runs nothing', async () => {
    const h = await talking({ limits: { queuedRequests: 1 } });
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'a');
    h.request('retrieve', {}, 'b');
    h.request('mute', {}, 'c');
    expect(h.outcome('c')).toBe('FAILURE: mute: busy: too many requests are waiting on this conversation; try again later');
    h.leg.settle('hold');
    await flush();
    expect(internalActor(h.destination).getSnapshot().context.queue.size).toBe(0);
    h.request('mute', {}, 'c');
    expect(h.responses('c').map((m) => (m.header as { errorMessage?: string }).errorMessage)).toEqual([
      'mute: busy: too many requests are waiting on this conversation; try again later',
      'mute: busy: too many requests are waiting on this conversation; try again later',
    ]);
    await flush();
    expect(h.leg.operations()).not.toContain('mute');
  });

  it('the operation region reads running while a waiting call takes over from the one that ended, and idle once none waits', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.leg.modes.mute = 'manual';
    const operation = () => (internalActor(h.destination).getSnapshot().value as { operation: string }).operation;
    h.request('hold', {}, 'a');
    h.request('mute', {}, 'b');
    expect(operation()).toBe('running');
    h.leg.settle('hold');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
    expect(operation()).toBe('running');
    h.leg.settle('mute');
    await flush();
    expect(operation()).toBe('idle');
  });

  it("a repeat shares its request's answer; the queue's bytes count repeats of waiting requests only, and fall back to 0", async () => {
    const h = await talking();
    const bytes = () => internalActor(h.destination).getSnapshot().context.queue.bytes;
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'a'); // in flight
    h.request('mute', {}, 'b'); // waiting
    const waiting = bytes();
    h.request('hold', {}, 'a'); // a repeat of the one in flight is not the queue's
    expect(bytes()).toBe(waiting);
    h.request('mute', {}, 'b'); // a repeat of a waiting one is
    expect(bytes()).toBeGreaterThan(waiting);
    h.leg.settle('hold');
    await flush();
    expect(bytes()).toBe(0);
    expect([h.responses('a').length, h.responses('b').length]).toEqual([2, 2]);
    // A dispose waiting for the release in flight is not the queue's either, nor its repeats.
    h.leg.modes.release = 'manual';
    h.request('release', {}, 'r');
    h.request('dispose', {}, 'd');
    h.request('dispose', {}, 'd');
    expect(bytes()).toBe(0);
    h.leg.settle('release');
    await flush();
    expect(h.responses('d').map((m) => (m.header as { result: string }).result)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('past the bytes a request is busy too, and a repeat that would not fit is busy', async () => {
    const h = await talking({ limits: { queuedBytes: 500 } });
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'a');
    h.request('transfer', { destination: '2001' }, 'b');
    h.request('conference', { destination: '2002' }, 'c');
    expect(h.outcome('c')).toContain('conference: busy');
    h.request('transfer', { destination: '2001' }, 'b');
    h.request('transfer', { destination: '2001' }, 'b');
    // Each repeat that does not fit is told "busy"; the queued request itself still waits.
    expect(h.responses('b').map((m) => (m.header as { errorMessage?: string }).errorMessage)).toEqual([
      'transfer: busy: too many requests are waiting on this conversation; try again later',
      'transfer: busy: too many requests are waiting on this conversation; try again later',
    ]);
    expect(internalActor(h.destination).getSnapshot().context.queue.bytes).toBeLessThanOrEqual(500);
  });
});

describe('the requestId memory', () => {
  it('forgetting the oldest for the count bound reports nothing: only the byte bound is a bound hit', async () => {
    const h = await talking({ limits: { requestIds: 3 } });
    for (let i = 0; i < 10; i += 1) h.request('answer', {}, `a${i}`);
    expect(memoryOf(h).size).toBe(3);
    expect(h.diagnostics).toEqual([]);
  });

  it('is keyed by name and requestId: the same requestId under another name is a new request', async () => {
    const h = await talking();
    h.request('hold', {}, 'x');
    await flush();
    h.request('mute', {}, 'x');
    await flush();
    expect(h.responses('x').map((m) => m.header.name)).toEqual(['conversation.request.hold', 'conversation.request.mute']);
    expect(h.leg.calls.map((c) => c.operation)).toEqual(['hold', 'mute']);
  });

  it('keeps the answer to an unknown name within its bounds: a repeat after dispose still gets "unsupported"', async () => {
    const h = await talking({ limits: { requestIdBytes: 4096 } });
    for (let i = 0; i < 50; i += 1) h.destination.receive(h.frame(`conversation.request.${'x'.repeat(200)}`, `u${i}`));
    expect(memoryOf(h).bytes).toBeLessThanOrEqual(4096);
    h.destination.receive(h.frame('conversation.request.bogus', 'b'));
    h.request('dispose', {}, 'd');
    h.destination.receive(h.frame('conversation.request.bogus', 'b'));
    expect(h.responses('b').map((m) => (m.header as { errorMessage?: string }).errorMessage)).toEqual([
      'conversation.request.bogus: unsupported by this conversation destination',
      'conversation.request.bogus: unsupported by this conversation destination',
    ]);
  });

  it('is bounded by bytes as well as by count, forgetting the oldest', async () => {
    const h = await talking({ limits: { requestIdBytes: 2000 } });
    for (let i = 0; i < 20; i += 1) h.request('answer', {}, `a${i}`);
    // Each answer past the byte bound reports it (the client counts requestMemoryFull).
    const full = h.diagnostics.filter((d) => d.code === 'request-memory-full');
    expect(full.length).toBeGreaterThan(0);
    expect(full[0]!.message).toBe('1 remembered answer(s) forgotten to keep the requestId memory within 2000 bytes (limits.requestIdBytes); a repeat of one runs as a new request');
    const memory = memoryOf(h);
    expect(memory.bytes).toBeLessThanOrEqual(2000);
    expect(memory.size).toBeLessThan(20);
    expect(memory.recall('conversation.request.answer', 'a19')).toBeDefined();
    expect(memory.recall('conversation.request.answer', 'a0')).toBeUndefined();
  });
});

describe('letting go of an ended leg the bridge never disposes', () => {
  it('after the grace period an ended, initialised leg is let go once: onLetGo, not leg.dispose', async () => {
    let letGo = 0;
    const h = await talking({ letGoAfterMs: 1_000, onLetGo: () => (letGo += 1) });
    h.leg.emit({ type: 'ended' });
    h.clock.increment(999);
    expect(letGo).toBe(0);
    h.clock.increment(1);
    expect(letGo).toBe(1);
    h.clock.increment(5_000);
    expect(letGo).toBe(1);
    expect(h.order).not.toContain('leg.dispose');
    expect(h.destination.getSnapshot().call).toBe('RELEASED');
  });

  it('waits for the first init of a leg that ended before it, and never lets go a disposed leg', async () => {
    let letGo = 0;
    const h = harness({ leg: scriptedLeg({ state: 'RELEASED' }), letGoAfterMs: 1_000, onLetGo: () => (letGo += 1) });
    h.clock.increment(1_000);
    expect(letGo).toBe(0);
    h.init();
    h.clock.increment(1_000);
    expect(letGo).toBe(1);

    let disposedLetGo = 0;
    const d = await talking({ letGoAfterMs: 1_000, onLetGo: () => (disposedLetGo += 1) });
    d.leg.emit({ type: 'ended' });
    d.request('dispose', {}, 'd');
    d.clock.increment(5_000);
    expect(disposedLetGo).toBe(0);
  });

  it('an onLetGo that throws is reported, nothing else', async () => {
    const h = await talking({ letGoAfterMs: 10, onLetGo: () => { throw new Error('boom'); } });
    h.leg.emit({ type: 'ended' });
    h.clock.increment(10);
    expect(h.diagnostics.map((d) => d.code)).toContain('on-let-go-failed');
  });
});

describe('the public view', () => {
  it('getSnapshot shows lifecycle, call, mute, parties and the operation; subscribe follows changes', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'RINGING' }) });
    expect(h.destination.getSnapshot()).toMatchObject({ lifecycle: 'awaitingInit', call: 'RINGING', muted: false, operation: 'idle', target: undefined });
    const seen: DestinationView[] = [];
    const unsubscribe = h.destination.subscribe((view) => seen.push(view));
    h.init();
    h.leg.modes.answer = 'hang';
    h.request('answer', {}, 'a');
    expect(h.destination.getSnapshot()).toMatchObject({ lifecycle: 'ready', call: 'RINGING', operation: 'running' });
    expect(h.destination.getSnapshot()).toBe(h.destination.getSnapshot());
    h.leg.emit({ type: 'talking' });
    expect(seen.at(-1)).toMatchObject({ call: 'TALKING', parties: [{ number: '+15551230001' }] });
    const count = seen.length;
    unsubscribe();
    h.leg.emit({ type: 'held' });
    expect(seen).toHaveLength(count);
  });

  it('a dispose waiting for a release shows as disposing; a subscriber that throws is reported', async () => {
    const h = await talking();
    h.destination.subscribe(() => {
      throw new Error('no');
    });
    h.leg.modes.release = 'hang';
    h.request('release', {}, 'r');
    h.request('dispose', {}, 'd');
    expect(h.destination.getSnapshot().lifecycle).toBe('disposing');
    expect(h.diagnostics.map((d) => d.code)).toContain('subscriber-failed');
  });

  it('internalActor refuses anything that is not a destination', () => {
    expect(() => internalActor({})).toThrow('not a conversation destination');
  });
});

describe('the tap', () => {
  it('sees frames in, phone events, operations started and settled, and messages out, in order', async () => {
    const seen: string[] = [];
    const h = await talking({
      tap: {
        inbound: (frame) => seen.push(`in ${(frame as { header: { requestId: string } }).header.requestId}`),
        phoneEvent: (event) => seen.push(`phone ${event.type}`),
        operationStarted: (opId, operation, args) => seen.push(`start ${opId} ${operation} ${args.join(',')}`),
        operationSettled: (opId, outcome) => seen.push(`settled ${opId} ${outcome.ok ? 'ok' : outcome.error}`),
        outbound: (message) => seen.push(`out ${message.header.name}`),
      },
    });
    seen.length = 0;
    h.request('transfer', { destination: '2001' }, 't');
    await flush();
    h.leg.modes.hold = 'reject';
    h.request('hold', {}, 'h');
    await flush();
    h.leg.emit({ type: 'muted' });
    expect(seen).toEqual([
      'in t',
      'start 1 transfer 2001',
      'settled 1 ok',
      'out conversation.request.transfer',
      'in h',
      'start 2 hold ',
      expect.stringMatching(/^settled 2 /),
      'out conversation.request.hold',
      'phone muted',
      'out conversation.mute',
    ]);
  });

  it('a tap hook that throws is reported and changes nothing', async () => {
    const h = await talking({ tap: { inbound: () => { throw new Error('tap'); }, outbound: () => { throw new Error('tap'); } } });
    h.diagnostics.length = 0;
    h.request('answer', {}, 'a');
    expect(h.outcome('a')).toBe('SUCCESS');
    expect(h.diagnostics.filter((d) => d.code === 'tap-failed').map((d) => d.message)).toEqual([
      "the tap's inbound threw: tap",
      "the tap's outbound threw: tap",
    ]);
  });
});

describe('contract lines pinned (docs/contract.md, "Contract lines pinned by tests")', () => {
  it('after any init `started` goes out if never sent; a re-read showing RELEASED sends the kept words, then started, then ended', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'RINGING' }), limits: { preInitEvents: 1 } });
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event ringing']);
    h.destination.connectionLost();
    h.leg.emit({ type: 'talking' }); // queued
    h.leg.emit({ type: 'failed', reason: 'lost' }); // overflow: the leg is re-read as RELEASED; the word is kept
    h.init();
    expect(h.sent[0]?.body).toMatchObject({ 'conversation-state': 'RELEASED' });
    expect(h.take()).toEqual(['SUCCESS init', 'event failed', 'event started', 'event ended']);
    h.init();
    expect(h.take()).toEqual(['SUCCESS init']);
  });

  it('an init on a new target is a first init there: the old target is told "moved"; started and ended go once per target', async () => {
    const other = 'PB1.S-2002.G-1.TEL.I-7.leg-1';
    const h = await talking(); // started went out on TARGET
    const onTarget = () => h.sent.filter((m) => m.header.type === 'cti.event').map((m) => `${m.header.target === TARGET ? 'old' : 'new'} ${m.header.name.replace(/^conversation\./, '')}`);
    h.init(other);
    expect(onTarget()).toEqual(['new started']);
    h.request('hold', {}, 'old', TARGET);
    expect(h.outcome('old')).toBe('FAILURE: hold: this conversation moved to another target');
    h.leg.emit({ type: 'ended' });
    expect(onTarget()).toEqual(['new started', 'new ended']);
    // Back on the first target, which saw the call live: it is told the call ended, once.
    h.init(TARGET);
    h.init(TARGET);
    h.init(other);
    expect(onTarget()).toEqual(['new started', 'new ended', 'old ended']);
  });

  it('a first init on a new target of a call that already ended sends nothing of its own', async () => {
    const h = await talking();
    h.leg.emit({ type: 'ended' });
    h.take();
    h.init('PB1.S-2002.G-1.TEL.I-7.leg-1');
    expect(h.take()).toEqual(['SUCCESS init']);
  });

  it('after dispose a repeated dispose is replayed; anything else gets "disposed"', async () => {
    const h = await talking();
    h.request('dispose', {}, 'd');
    h.request('dispose', {}, 'd');
    h.request('hold', {}, 'h');
    h.request('dispose', {}, 'd2');
    expect(h.responses('d').map((m) => (m.header as { result: string }).result)).toEqual(['SUCCESS', 'SUCCESS']);
    expect(h.outcome('h')).toBe('FAILURE: hold: the conversation was disposed; nothing more can be done on it');
    expect(h.outcome('d2')).toBe('FAILURE: dispose: the conversation was disposed; nothing more can be done on it');
  });
});

describe('repeats are found by name and requestId, and every answer is remembered', () => {
  it('a request with the requestId of the one in flight but another name is its own request, not a repeat', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'x');
    h.request('mute', {}, 'x');
    h.leg.settle('hold');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
    expect(h.responses('x').map((m) => m.header.name)).toEqual(['conversation.request.hold', 'conversation.request.mute']);
  });

  it('a request cut short by a release is told "cancelled", and a repeat of it later gets that again without running', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'a');
    h.request('release', {}, 'r');
    await flush();
    const said = () => h.responses('a').map((m) => (m.header as { errorMessage?: string }).errorMessage);
    const [cancelled] = said();
    expect(cancelled).toMatch(/^hold: cancelled/);
    h.request('hold', {}, 'a');
    await flush();
    expect(said()).toEqual([cancelled, cancelled]);
    expect(h.leg.operations().filter((operation) => operation === 'hold')).toHaveLength(1);
  });
});
