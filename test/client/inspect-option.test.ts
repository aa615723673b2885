/** The client's `inspect` option reaches every destination it creates, one observer per leg. */
import { expect, it } from 'vitest';
import type { InspectionEvent } from 'xstate';
import { startRig } from './helpers/call-rig.js';

it('gives each leg the observer observerFor(legId) returns, which sees that leg machine\'s inspection events', async () => {
  const seen: { legId: string; type: string }[] = [];
  const asked: string[] = [];
  const rig = await startRig({
    client: {
      inspect: {
        observerFor: (legId) => {
          asked.push(legId);
          return (event: InspectionEvent) => void seen.push({ legId, type: event.type });
        },
      },
    },
  });
  try {
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-7' });
    const init = await rig.sim.init('PB1.AGENT.leg-7');
    expect(init.header.result).toBe('SUCCESS');
    expect(asked).toEqual(['leg-7']);
    expect(seen.some((e) => e.legId === 'leg-7' && e.type === '@xstate.event')).toBe(true);
    expect(seen.some((e) => e.legId === 'leg-7' && e.type === '@xstate.snapshot')).toBe(true);
  } finally {
    await rig.stop();
  }
});
