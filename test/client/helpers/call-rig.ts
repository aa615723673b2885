/** Simulator + bridge client + SimulatedPhone on loopback, the rig of the client tests. */
import { expect } from 'vitest';
import { createBridgeClient, type BridgeClient, type BridgeClientDiagnostic, type BridgeClientOptions } from '../../../src/client/index.js';
import { SimulatedPhone } from '../../../src/phone/simulated/index.js';
import type { SimulatedPhoneOptions } from '../../../src/phone/simulated/index.js';
import { createBridgeSimulator, type BridgeSimulator, type BridgeSimulatorOptions } from '../../../src/simulator/index.js';

export interface Rig {
  readonly sim: BridgeSimulator;
  readonly phone: SimulatedPhone;
  readonly client: BridgeClient;
  readonly diagnostics: BridgeClientDiagnostic[];
  /** Resolves with the first diagnostic with this code (already seen or still to come). */
  diagnostic(code: string): Promise<BridgeClientDiagnostic>;
  /** Sends a request, waits for its response and `events` more events; checks names and invariant 3. */
  step(target: string, request: string, body: Record<string, unknown>, events: string[], legId: string): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startRig(
  options: {
    phone?: SimulatedPhoneOptions;
    client?: Partial<BridgeClientOptions>;
    simulator?: BridgeSimulatorOptions;
    before?: (phone: SimulatedPhone) => void;
  } = {},
): Promise<Rig> {
  const sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0, ...options.simulator });
  const phone = new SimulatedPhone(options.phone);
  options.before?.(phone);
  const diagnostics: BridgeClientDiagnostic[] = [];
  let waiters: { code: string; resolve: (d: BridgeClientDiagnostic) => void }[] = [];
  const client = createBridgeClient({
    host: sim.host,
    port: sim.port,
    phone,
    reconnect: { initialDelayMs: 1, maxDelayMs: 20 },
    ...options.client,
    onDiagnostic: (d) => {
      diagnostics.push(d);
      waiters = waiters.filter((w) => {
        if (w.code !== d.code) return true;
        w.resolve(d);
        return false;
      });
      options.client?.onDiagnostic?.(d);
    },
  });
  await sim.waitForConnection();
  return {
    sim,
    phone,
    client,
    diagnostics,
    diagnostic: (code) =>
      new Promise((resolve) => {
        const seen = diagnostics.find((d) => d.code === code);
        if (seen) resolve(seen);
        else waiters.push({ code, resolve });
      }),
    async step(target, request, body, events, legId) {
      const before = sim.events(target).length;
      const response = await sim.request(target, request, body);
      await sim.waitForEvents(target, before + events.length);
      expect(sim.eventNames(target).slice(before)).toEqual(events);
      const leg = phone.leg(legId);
      if (leg) expect(sim.checkModel(target, leg.snapshot())).toEqual([]);
      return response as unknown as Record<string, unknown>;
    },
    async stop() {
      await client.close();
      await sim.close();
      await phone.close();
    },
  };
}
