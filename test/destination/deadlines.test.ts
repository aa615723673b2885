/** Every operation has a deadline on XState's clock (a SimulatedClock here: no test sleeps). */
import { internalActor } from '../../src/destination/internal.js';
import { describe, expect, it } from 'vitest';
import { flush, talkingHarness as talking } from '../support/scripted-leg.js';

describe('deadlines', () => {
  it('an operation that hangs is aborted and answered "timed out" at the default 10 000 ms', async () => {
    const h = await talking();
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'h');
    await flush();
    h.clock.increment(9_999);
    await flush();
    expect(h.responses('h')).toEqual([]);
    h.clock.increment(1);
    await flush();
    expect(h.outcome('h')).toBe('FAILURE: hold: timed out after 10000 ms waiting for the phone');
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
  });

  it('operationTimeoutMs sets the deadline, and the next in line runs with a fresh one that a late outcome of the first leaves alone', async () => {
    const h = await talking({ operationTimeoutMs: 100 });
    h.leg.modes.hold = 'manual';
    h.leg.modes.mute = 'hang';
    h.request('hold', {}, 'h');
    h.request('mute', {}, 'm');
    await flush();
    h.clock.increment(100);
    await flush();
    expect(h.outcome('h')).toMatch(/timed out after 100 ms/);
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
    // The timed-out hold comes back late: it is not the operation running any more.
    h.leg.settle('hold');
    await flush();
    expect(h.leg.calls[1]!.signal!.aborted).toBe(false);
    h.clock.increment(99);
    await flush();
    expect(h.responses('m')).toEqual([]);
    h.clock.increment(1);
    await flush();
    expect(h.outcome('m')).toMatch(/timed out after 100 ms/);
    expect(h.leg.calls[1]!.signal!.aborted).toBe(true);
  });

  it('senddtmf gets dtmfMsPerDigit more per digit', async () => {
    const h = await talking({ operationTimeoutMs: 1_000, dtmfMsPerDigit: 200 });
    h.leg.modes.sendDtmf = 'hang';
    h.request('senddtmf', { digits: '12345' }, 'd');
    await flush();
    h.clock.increment(1_999);
    await flush();
    expect(h.responses('d')).toEqual([]);
    h.clock.increment(1);
    await flush();
    expect(h.outcome('d')).toBe('FAILURE: senddtmf: timed out after 2000 ms waiting for the phone');
  });

  it('the default DTMF allowance is 500 ms per digit', async () => {
    const h = await talking();
    h.leg.modes.sendDtmf = 'hang';
    h.request('senddtmf', { digits: '1234' }, 'd');
    await flush();
    h.clock.increment(11_999);
    await flush();
    expect(h.responses('d')).toEqual([]);
    h.clock.increment(1);
    expect(h.outcome('d')).toMatch(/timed out after 12000 ms/);
  });

  it('an operation that finishes in time leaves no deadline behind', async () => {
    const h = await talking({ operationTimeoutMs: 50 });
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.leg.settle('hold');
    await flush();
    expect(internalActor(h.destination).getSnapshot().value).toEqual({ lifecycle: 'ready', call: 'TALKING', operation: 'idle' });
    h.clock.increment(1_000);
    await flush();
    expect(h.take()).toEqual(['SUCCESS hold']);
  });

  it('a result that arrives after the deadline is ignored', async () => {
    const h = await talking({ operationTimeoutMs: 10 });
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.clock.increment(10);
    h.leg.settle('hold');
    await flush();
    expect(h.responses('h')).toHaveLength(1);
    expect(h.outcome('h')).toMatch(/timed out/);
  });
});
