/**
 * A thousand legs at once through one connection: each is initialised, answered, released and
 * disposed concurrently; every leg's events stay in its own order and the report holds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/simulator/index.js';
import { startRig, type Rig } from './helpers/call-rig.js';

const LEGS = 1000;
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('a thousand legs at once', () => {
  it('serves each leg independently and forgets them all after dispose', async () => {
    rig = await startRig();
    const { sim, phone, client } = rig;
    const ids = Array.from({ length: LEGS }, (_, i) => `leg-${i}`);
    for (const id of ids) phone.ring({ number: `+1555${id.slice(4).padStart(7, '0')}` }, { id });
    expect(client.legCount).toBe(LEGS);
    const target = (id: string) => `PB1.AGENT.1001.TEL.I-${id}.${id}`;

    await Promise.all(
      ids.map(async (id) => {
        const t = target(id);
        const init = await sim.init(t);
        expect(init.body['conversation-state']).toBe('RINGING');
        const answer = await sim.request(t, 'answer');
        expect(answer.header.result).toBe('SUCCESS');
        await sim.waitForEvent(t, 'talking');
        const release = await sim.request(t, 'release');
        expect(release.header.result).toBe('SUCCESS');
        await sim.waitForEvent(t, 'ended');
        expect(sim.checkModel(t, phone.leg(id)!.snapshot())).toEqual([]);
        const dispose = await sim.request(t, 'dispose');
        expect(dispose.header.result).toBe('SUCCESS');
      }),
    );
    await sim.waitUntil(() => client.legCount === 0);
    for (const id of ids) {
      expect(sim.eventNames(target(id))).toEqual(['ringing', 'started', 'partyadded', 'talking', 'ended']);
    }
    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
    expect(report.counts).toMatchObject({ targets: LEGS, responses: 4 * LEGS, events: 5 * LEGS });
  });
});
