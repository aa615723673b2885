/** docs/contract.md: release and dispose do not wait; they cancel what is in flight and queued. */
import { describe, expect, it } from 'vitest';
import { flush, harness, scriptedLeg, talkingHarness as talking } from '../support/scripted-leg.js';

describe('release', () => {
  it('aborts the operation in flight, fails the queue "cancelled by release", and runs next', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    h.request('mute', {}, 'm');
    h.request('conference', { destination: '2001' }, 'c');
    await flush();
    const holdSignal = h.leg.calls[0].signal!;
    h.request('release', {}, 'r');
    await flush();
    expect(holdSignal.aborted).toBe(true);
    expect(h.outcome('h')).toBe('FAILURE: hold: cancelled by release before the phone finished');
    expect(h.outcome('m')).toBe('FAILURE: mute: cancelled by release before the phone finished');
    expect(h.outcome('c')).toBe('FAILURE: conference: cancelled by release before the phone finished');
    expect(h.outcome('r')).toBe('SUCCESS');
    expect(h.leg.operations()).toEqual(['hold', 'release']);
    // The cancelled hold resolving late changes nothing.
    h.leg.settle('hold');
    await flush();
    expect(h.responses('h')).toHaveLength(1);
  });

  it('a second release while one is in flight gets the first one\'s outcome', async () => {
    const h = await talking();
    h.leg.modes.release = 'manual';
    h.request('release', {}, 'r1');
    h.request('hold', {}, 'queued');
    h.request('release', {}, 'r2');
    await flush();
    expect(h.leg.operations()).toEqual(['release']);
    expect(h.outcome('queued')).toMatch(/cancelled by release/);
    h.leg.settle('release', { reject: 'line busy' });
    await flush();
    expect(h.outcome('r1')).toBe('FAILURE: release: the phone could not do it: line busy');
    expect(h.outcome('r2')).toBe('FAILURE: release: the phone could not do it: line busy');
    expect(h.leg.operations()).toEqual(['release']);
  });

  it('release of a RELEASED call is ok without the phone', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'RELEASED' }) });
    h.init();
    const id = h.request('release');
    await flush();
    expect(h.outcome(id)).toBe('SUCCESS');
    expect(h.leg.calls).toEqual([]);
  });
});

describe('dispose', () => {
  it('aborts the operation in flight, fails the queue "cancelled by dispose", answers, then disposes the leg', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    h.request('mute', {}, 'm');
    await flush();
    h.request('dispose', {}, 'd');
    await flush();
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
    expect(h.take()).toEqual(['FAILURE hold', 'FAILURE mute', 'SUCCESS dispose']);
    expect(h.order.slice(-2)).toEqual(['cti.response conversation.request.dispose', 'leg.dispose']);
    expect(h.leg.operations(true)).toEqual(['hold', 'dispose']);
  });

  it('lets a release in flight finish (a hang-up is never cut off), then answers and disposes', async () => {
    const h = await talking();
    h.leg.modes.release = 'manual';
    h.request('release', {}, 'r');
    h.request('hold', {}, 'queued');
    await flush();
    h.request('dispose', {}, 'd');
    h.request('mute', {}, 'late');
    h.request('dispose', {}, 'd'); // a repeat of the waiting dispose
    await flush();
    const releaseSignal = h.leg.calls[0].signal!;
    expect(releaseSignal.aborted).toBe(false);
    expect(h.outcome('queued')).toMatch(/^FAILURE: hold: cancelled by dispose/);
    expect(h.outcome('late')).toMatch(/^FAILURE: mute: .*disposed/);
    expect(h.responses('d')).toEqual([]);
    h.leg.emit({ type: 'ended' });
    h.leg.settle('release');
    await flush();
    expect(h.take().slice(-4)).toEqual(['event ended', 'SUCCESS release', 'SUCCESS dispose', 'SUCCESS dispose']);
    expect(h.leg.operations(true)).toEqual(['release', 'dispose']);
    expect(h.order.at(-1)).toBe('leg.dispose');
  });

  it('a release in flight that times out still lets the waiting dispose go', async () => {
    const h = await talking();
    h.leg.modes.release = 'hang';
    h.request('release', {}, 'r');
    await flush();
    h.request('dispose', {}, 'd');
    h.clock.increment(10_000);
    await flush();
    expect(h.outcome('r')).toMatch(/timed out/);
    expect(h.outcome('d')).toBe('SUCCESS');
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
  });

  it('after a reconnect and before the re-init, dispose cancels what was left in flight (its answer stays off the new connection)', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.destination.connectionLost();
    h.request('dispose', {}, 'd'); // a frame: the connection is back, the init not yet
    await flush();
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
    expect(h.take()).toEqual(['SUCCESS dispose']);
  });
});
