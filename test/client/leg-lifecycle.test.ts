/**
 * Memory stays bounded by the calls in progress: a disposed leg is forgotten (a bounded set of
 * disposed legs still answers "disposed"), and a leg that ended before the bridge ever
 * initialised it is let go after a grace period.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from './helpers/call-rig.js';
import { gatedSchedule } from './helpers/gated-schedule.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('leg lifecycle in the client', () => {
  it('lets go of a leg that ended unseen, after the grace period, but keeps an initialised one', async () => {
    rig = await startRig({ client: { releasedGraceMs: 5 } });
    const { sim, phone, client } = rig;
    const seen = phone.ring({ number: '+15551230001' }, { id: 'seen' });
    await sim.init('A.seen');
    seen.far.hangUp();
    await sim.waitForEvent('A.seen', 'ended');
    const unseen = phone.ring({ number: '+15551230002' }, { id: 'unseen' });
    unseen.far.hangUp();
    const letGo = await rig.diagnostic('leg-let-go');
    expect(letGo).toMatchObject({ legId: 'unseen', level: 'info' });
    expect(letGo.message).toBe('leg unseen ended and was never initialised by the bridge within 5 ms; let go');
    // The initialised leg ended earlier but is still served: the bridge will dispose it.
    expect(client.legCount).toBe(1);
    expect(unseen.calls.map((c) => c.operation)).toEqual(['dispose']);
    expect((await sim.init('A.unseen')).header.errorMessage).toContain('unknown leg');
    expect((await sim.request('A.seen', 'dispose')).header.result).toBe('SUCCESS');
  });

  it('keeps a bounded set of disposed legs that answer "disposed"; older ones become unknown', async () => {
    rig = await startRig({ client: { disposedLegLimit: 2 } });
    const { sim, phone, client } = rig;
    for (const id of ['d1', 'd2', 'd3']) {
      phone.ring({ number: '+15551230001' }, { id });
      await sim.init(`A.${id}`);
      expect((await sim.request(`A.${id}`, 'dispose')).header.result).toBe('SUCCESS');
    }
    await sim.waitUntil(() => client.legCount === 0);
    const answers = await Promise.all(['d1', 'd2', 'd3'].map((id) => sim.request(`A.${id}`, 'answer')));
    expect(answers.map((a) => a.header.errorMessage)).toEqual([
      'answer: the phone has no call leg "d1" (unknown leg)',
      'answer: this conversation was disposed (disposed)',
      'answer: this conversation was disposed (disposed)',
    ]);
    // A disposed leg's init is refused too: nothing is sent on that target again.
    expect((await sim.init('A.d3')).header.result).toBe('FAILURE');
    expect(sim.report().violations).toEqual([]);
  });
});

describe('dispose while a release is in flight', () => {
  it('lets the release finish, answers both, and only then forgets the leg', async () => {
    const gate = gatedSchedule(777);
    rig = await startRig({ phone: { schedule: gate.schedule, latencyMs: (op) => (op === 'release' ? 777 : 0) } });
    const { sim, phone, client } = rig;
    const leg = phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    await sim.init('A.leg-1');
    const release = sim.request('A.leg-1', 'release');
    await gate.waiting();
    const dispose = sim.request('A.leg-1', 'dispose');
    gate.open();
    expect((await release).header.result).toBe('SUCCESS');
    expect((await dispose).header.result).toBe('SUCCESS');
    await sim.waitUntil(() => client.legCount === 0);
    expect(leg.calls.map((c) => c.operation)).toEqual(['release', 'dispose']);
    expect(leg.snapshot().state).toBe('RELEASED');
    expect(sim.report().violations).toEqual([]);
  });
});
