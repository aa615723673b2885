/**
 * The bridge client gives every leg's destination one SignalPool, so a few abort signals serve all
 * its legs (BENCHMARKS.md, "Machine: one pool of signals for a client's legs").
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeClient, type ClientDestinationOptions } from '../../src/client/index.js';
import { createConversationDestination, SignalPool } from '../../src/destination/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { createBridgeSimulator } from '../../src/simulator/index.js';

let stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
});

describe('the client and its signal pool', () => {
  it('gives the destinations of all its legs the same pool, and an operation on one leg reuses the signal another settled', async () => {
    const sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
    const phone = new SimulatedPhone();
    const legs = [phone.ring({ number: '+15551230001' }, { id: 'pool-1' }), phone.ring({ number: '+15551230002' }, { id: 'pool-2' })];
    for (const leg of legs) await leg.answer(new AbortController().signal);
    const pools: unknown[] = [];
    const signals: AbortSignal[] = [];
    const client = createBridgeClient({
      host: sim.host,
      port: sim.port,
      phone,
      createDestination: (options: ClientDestinationOptions) => {
        pools.push(options.signalPool);
        const hold = options.leg.hold.bind(options.leg);
        const leg = Object.assign(Object.create(options.leg) as typeof options.leg, {
          hold: (signal: AbortSignal) => {
            signals.push(signal);
            return hold(signal);
          },
        });
        return createConversationDestination({ ...options, leg });
      },
    });
    stops.push(async () => {
      await client.close();
      await sim.close();
      await phone.close();
    });
    await sim.waitForConnection();
    const targets = ['PB1.S-1.G-1.TEL.I-1.pool-1', 'PB1.S-1.G-1.TEL.I-1.pool-2'];
    for (const target of targets) expect((await sim.init(target)).header.result).toBe('SUCCESS');
    expect(pools).toHaveLength(2);
    expect(pools[0]).toBeInstanceOf(SignalPool);
    expect(pools[1]).toBe(pools[0]);
    for (const target of targets) expect((await sim.request(target, 'hold')).header.result).toBe('SUCCESS');
    expect(signals).toHaveLength(2);
    expect(signals[1]).toBe(signals[0]);
  });
});
