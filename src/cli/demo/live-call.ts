/**
 * With the local inspector the demo stays up after its day; it then leaves one call live
 * (answered, TALKING) so the page shows a leg that can still move, e.g. when a test asks the
 * simulator for a hold.
 */
import type { SimulatedLeg, SimulatedPhone } from '../../phone/simulated/index.js';
import type { BridgeSimulator } from '../../simulator/index.js';

export const LIVE_LEG_ID = 'live-1';
export const LIVE_TARGET = `PB1.S-1001.G-1.TEL.I-5600.${LIVE_LEG_ID}`;

export async function startLiveCall(simulator: BridgeSimulator, phone: SimulatedPhone): Promise<SimulatedLeg> {
  const leg = phone.ring({ number: '+15551230004', name: 'Robin Live' }, { id: LIVE_LEG_ID });
  await simulator.init(LIVE_TARGET);
  await simulator.request(LIVE_TARGET, 'answer');
  return leg;
}
