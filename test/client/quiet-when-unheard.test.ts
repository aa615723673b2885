/**
 * With no traffic listener, no diagnostics listener and no logger, the client builds no traffic
 * record and no diagnostic record per frame, on the success path and on the failure paths alike
 * (its destinations get one shared hook that only counts the bounds they hit). With listeners the
 * same traffic builds them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBridgeClient, type BridgeClient, type BridgeClientOptions, type ClientDestinationOptions } from '../../src/client/index.js';
import * as records from '../../src/client/records.js';
import { createConversationDestination } from '../../src/destination/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { createBridgeSimulator, type BridgeSimulator } from '../../src/simulator/index.js';

vi.mock(import('../../src/client/records.js'), async (importOriginal) => {
  const original = await importOriginal();
  return { ...original, trafficRecord: vi.fn(original.trafficRecord), diagnosticRecord: vi.fn(original.diagnosticRecord) };
});

const TARGET = 'PB1.S-1.G-1.TEL.I-1.quiet-1';
let stops: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const stop of stops.reverse()) await stop();
  stops = [];
  vi.mocked(records.trafficRecord).mockClear();
  vi.mocked(records.diagnosticRecord).mockClear();
});

async function exercise(extra: Partial<BridgeClientOptions>): Promise<{ hooked: unknown[] }> {
  const sim: BridgeSimulator = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
  const phone = new SimulatedPhone();
  const leg = phone.ring({ number: '+15551230001' }, { id: 'quiet-1' });
  await leg.answer(new AbortController().signal);
  const hooked: unknown[] = [];
  const client: BridgeClient = createBridgeClient({
    host: sim.host,
    port: sim.port,
    phone,
    createDestination: (options: ClientDestinationOptions) => {
      hooked.push(options.onDiagnostic);
      return createConversationDestination(options);
    },
    ...extra,
  });
  stops.push(async () => {
    await client.close();
    await sim.close();
    await phone.close();
  });
  await sim.waitForConnection();
  expect((await sim.init(TARGET)).header.result).toBe('SUCCESS');
  expect((await sim.request(TARGET, 'hold')).header.result).toBe('SUCCESS');
  expect((await sim.request(TARGET, 'retrieve', { unexpected: 1 })).header.result).toBe('SUCCESS'); // an extra key: the destination reports it
  expect((await sim.request('PB1.S-1.G-1.TEL.I-1.nobody', 'hold')).header.result).toBe('FAILURE'); // an unknown leg
  expect((await sim.request('PB1.S-1.G-1.TEL.I-1.quiet-1', 'other.request.x')).header.result).toBe('FAILURE'); // not implemented
  return { hooked };
}

describe('the client builds records only for listeners', () => {
  it('with no traffic or diagnostics listener and no logger, no traffic record and no diagnostic record is built', async () => {
    const { hooked } = await exercise({});
    // The destination reports to a hook that counts bound hits and passes nothing on.
    expect(hooked).toEqual([expect.any(Function)]);
    expect(records.trafficRecord).not.toHaveBeenCalled();
    expect(records.diagnosticRecord).not.toHaveBeenCalled();
  });

  it('with listeners the same traffic builds a traffic record per frame and the diagnostics', async () => {
    const traffic: unknown[] = [];
    const codes: string[] = [];
    const { hooked } = await exercise({ onTraffic: (entry) => traffic.push(entry), onDiagnostic: (d) => codes.push(d.code) });
    expect(hooked).toEqual([expect.any(Function)]);
    // 5 frames in, at least 5 answers and the hold/retrieve events out.
    expect(traffic.length).toBeGreaterThanOrEqual(10);
    expect(records.trafficRecord).toHaveBeenCalledTimes(traffic.length);
    expect(codes).toEqual(expect.arrayContaining(['connected', 'extra-key', 'unknown-leg', 'not-implemented']));
    expect(records.diagnosticRecord).toHaveBeenCalledTimes(codes.length);
  });

  it('a logger alone is a listener: it gets the diagnostic lines', async () => {
    const lines: string[] = [];
    // The logger gets a message and its fields (code, leg, target), as console and pino take them.
    const push = (...args: unknown[]): void => {
      lines.push(args.map((arg) => (typeof arg === 'string' ? arg : JSON.stringify(arg))).join(' '));
    };
    const { hooked } = await exercise({ logger: { debug: push, info: push, warn: push, error: push } });
    expect(hooked).toEqual([expect.any(Function)]);
    expect(lines.some((line) => line.includes('unknown-leg'))).toBe(true);
    expect(records.trafficRecord).not.toHaveBeenCalled();
  });
});
