/**
 * The statechart's less travelled transitions, through the public API: deadlines and outcomes
 * while awaiting a re-init, a dispose waiting on a release across a reconnect, fresh deadlines
 * after a release or a completed operation, and what diagnostics say.
 */
import { internalActor } from '../../src/destination/internal.js';
import { describe, expect, it } from 'vitest';
import { flush, harness, scriptedLeg, talkingHarness as talking } from '../support/scripted-leg.js';

const value = (h: Awaited<ReturnType<typeof talking>>) => internalActor(h.destination).getSnapshot().value;

describe('while awaiting a re-init', () => {
  it('an operation still times out; its answer is kept for the replay, not sent while down', async () => {
    const h = await talking({ operationTimeoutMs: 100 });
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'h');
    await flush();
    h.destination.connectionLost();
    h.clock.increment(100);
    await flush();
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
    expect(h.sent).toEqual([]);
    expect(value(h)).toEqual({ lifecycle: 'awaitingInit', call: 'TALKING', operation: 'idle' });
    h.init();
    h.request('hold', {}, 'h');
    expect(h.outcome('h')).toBe('FAILURE: hold: timed out after 100 ms waiting for the phone');
  });

  it('a second connectionLost while awaiting init marks the connection down again', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.destination.connectionLost();
    h.request('retrieve', {}, 'x'); // a frame: up again ("not initialized")
    h.destination.connectionLost(); // down again before the init
    h.leg.settle('hold');
    await flush();
    expect(h.take()).toEqual(['FAILURE retrieve']);
  });

  it('a dispose that waits on a release finishes when the release does, even before the re-init', async () => {
    for (const ending of ['settle', 'deadline'] as const) {
      const h = await talking({ operationTimeoutMs: 50 });
      h.leg.modes.release = ending === 'settle' ? 'manual' : 'hang';
      h.request('release', {}, 'r');
      await flush();
      h.destination.connectionLost();
      h.request('dispose', {}, 'd');
      await flush();
      expect(h.responses('d')).toEqual([]);
      if (ending === 'settle') h.leg.settle('release');
      else h.clock.increment(50);
      await flush();
      expect(h.outcome('d')).toBe('SUCCESS');
      expect(value(h)).toEqual({ lifecycle: 'disposed', call: 'TALKING', operation: 'idle' });
      expect(h.leg.operations(true)).toEqual(['release', 'dispose']);
    }
  });
});

describe('fresh deadlines', () => {
  it('a release that cancels an operation gets its own full deadline', async () => {
    const h = await talking({ operationTimeoutMs: 1_000 });
    h.leg.modes.hold = 'hang';
    h.leg.modes.release = 'hang';
    h.request('hold', {}, 'h');
    await flush();
    h.clock.increment(900);
    h.request('release', {}, 'r');
    await flush();
    h.clock.increment(999);
    await flush();
    expect(h.responses('r')).toEqual([]);
    h.clock.increment(1);
    expect(h.outcome('r')).toMatch(/timed out after 1000 ms/);
  });

  it('the operation after a completed one gets its own full deadline', async () => {
    const h = await talking({ operationTimeoutMs: 1_000 });
    h.leg.modes.hold = 'manual';
    h.leg.modes.mute = 'hang';
    h.request('hold', {}, 'h');
    h.request('mute', {}, 'm');
    await flush();
    h.clock.increment(900);
    h.leg.settle('hold');
    await flush();
    h.clock.increment(999);
    await flush();
    expect(h.responses('m')).toEqual([]);
    h.clock.increment(1);
    expect(h.outcome('m')).toMatch(/timed out after 1000 ms/);
  });

  it('after a time-out with nothing queued the operation region is idle, and the next request runs', async () => {
    const h = await talking({ operationTimeoutMs: 10 });
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'h');
    await flush();
    h.clock.increment(10);
    expect(value(h)).toEqual({ lifecycle: 'ready', call: 'TALKING', operation: 'idle' });
    h.leg.modes.hold = 'resolve';
    h.request('hold', {}, 'h2');
    await flush();
    expect(h.outcome('h2')).toBe('SUCCESS');
  });
});

describe('the model after the call ended', () => {
  it('an overflow after RELEASED keeps RELEASED whatever the snapshot says', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    h.init();
    leg.emit({ type: 'ended' });
    h.destination.connectionLost();
    leg.state = 'TALKING'; // a phone that contradicts itself
    leg.emit({ type: 'talking' });
    h.init();
    expect(h.sent.at(-1)?.body).toMatchObject({ 'conversation-state': 'RELEASED' });
  });
});

describe('diagnostics', () => {
  it('carry the current target, the code and a sentence', async () => {
    const h = await talking();
    h.leg.emit({ type: 'ringing' });
    expect(h.diagnostics).toEqual([{ code: 'phone-event-ignored', target: 'PB1.S-1001.G-1.TEL.I-5521.leg-1', message: 'phone event ringing while TALKING: ignored' }]);
  });

  it('have no target before one is known', () => {
    const h = harness({ leg: scriptedLeg() });
    h.destination.receive('not json');
    expect(h.diagnostics).toEqual([{ code: 'bad-json', message: 'a frame that is not JSON was dropped' }]);
  });

  it('name what went wrong', async () => {
    const h = await talking();
    h.leg.emit({ type: 'busy' });
    h.leg.emit({ type: 'partyRemoved', number: 'x' });
    h.request('hold', { colour: 'red' }, 'c');
    await flush();
    expect(h.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'phone-event-ends-call: phone event busy while TALKING: the call ended',
      'extra-key: hold: body.colour is not part of this message; ignored',
    ]);
    const again = await talking({ limits: { preInitEvents: 0, oneShotEvents: 0 } });
    again.destination.connectionLost();
    again.leg.emit({ type: 'transferFailed', reason: 'r' });
    expect(again.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual([
      'one-shot-events-dropped: 1 one-shot phone events dropped before init',
      'pre-init-queue-full: the pre-init event queue was full: its state events were dropped and the leg re-read',
    ]);
  });

  it('report a leg whose snapshot, dispose or send fails, with the leg id and the reason', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.snapshot = () => {
      throw new Error('no such call');
    };
    const h = harness({ leg });
    expect(h.diagnostics).toEqual([{ code: 'snapshot-failed', message: 'leg leg-1: snapshot() threw: no such call' }]);
    leg.modes.dispose = 'reject';
    h.request('dispose', {}, 'd');
    await flush();
    expect(h.diagnostics.at(-1)?.message).toBe('leg leg-1: dispose() failed: dispose refused by the scripted phone');
  });

  it('the leg snapshot is read at creation and on overflow only', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    let reads = 0;
    const real = leg.snapshot;
    leg.snapshot = () => {
      reads += 1;
      return real();
    };
    const h = harness({ leg, limits: { preInitEvents: 2 } });
    leg.emit({ type: 'held' });
    leg.emit({ type: 'talking' });
    expect(reads).toBe(1);
    leg.emit({ type: 'held' });
    expect(reads).toBe(2);
    h.init();
    leg.emit({ type: 'talking' });
    expect(reads).toBe(2);
  });
});

describe('answers and connections', () => {
  it('a request from before a reconnect that completes after it is not answered on the new connection; its repeat is', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.destination.connectionLost();
    h.init(); // the bridge is back and re-inits
    h.take();
    h.request('hold', {}, 'h'); // it repeats the request it never got an answer to
    h.leg.settle('hold');
    await flush();
    // One frame of this connection, one answer; the hold ran once.
    expect(h.take()).toEqual(['SUCCESS hold']);
    expect(h.leg.operations()).toEqual(['hold']);
    h.request('hold', {}, 'h');
    expect(h.take()).toEqual(['SUCCESS hold']);
  });

  it('a second release after a reconnect gets the first one\'s outcome, sent only to itself', async () => {
    const h = await talking();
    h.leg.modes.release = 'manual';
    h.request('release', {}, 'r1');
    await flush();
    h.destination.connectionLost();
    h.init();
    h.take();
    h.request('release', {}, 'r2');
    h.leg.settle('release');
    await flush();
    expect(h.sent.map((m) => (m.header as { requestId?: string }).requestId)).toEqual(['r2']);
    expect(h.outcome('r2')).toBe('SUCCESS');
  });
});
