/**
 * The bridge drops the connection mid-call: the client reconnects, every destination waits for
 * its init again, the phone events of the gap follow the init response in order, and a request
 * in flight at the drop runs once (its repeat on the new connection is answered from memory).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeClient, reconnectDelay, type BridgeClientDiagnostic } from '../../src/client/index.js';
import { BridgeConnectionClosedError, createBridgeSimulator, formatReport } from '../../src/simulator/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { startRig, type Rig } from './helpers/call-rig.js';
import { gatedSchedule } from './helpers/gated-schedule.js';

const T = 'PB1.AGENT.1001.TEL.I-7.leg-1';
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('the bridge drops the connection mid-call', () => {
  it('holds events until the re-init, then sends them in order; the request in flight runs once', async () => {
    const gate = gatedSchedule(777);
    rig = await startRig({ phone: { schedule: gate.schedule, latencyMs: (op) => (op === 'hold' ? 777 : 0) } });
    const { sim, phone } = rig;
    const leg = phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    await sim.init(T);
    await sim.waitForEvent(T, 'ringing');
    await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-1');

    // A hold is in flight (waiting at the gate) when the bridge drops the client.
    const hold = sim.request(T, 'hold', {}, { requestId: 'hold-1' });
    await gate.waiting();
    await sim.dropConnection();
    await expect(hold).rejects.toBeInstanceOf(BridgeConnectionClosedError);
    await sim.waitForConnection(2);
    const before = sim.events(T).length;

    // While the new connection waits for the re-init: the hold completes, a party joins.
    gate.open();
    await new Promise<void>((resolve) => {
      const stop = leg.subscribe((e) => e.type === 'held' && (stop(), resolve()));
    });
    leg.far.join({ number: '2001', name: 'Supervisor' });

    const init = await sim.init(T);
    // The model before the queued events: TALKING with the caller; the gap's events follow.
    expect(init.body).toEqual({ 'conversation-state': 'TALKING', parties: [{ number: '+15551230001' }] });
    await sim.waitForEvents(T, before + 2);
    expect(sim.eventNames(T).slice(before)).toEqual(['held', 'partyadded']);
    expect(sim.checkModel(T, leg.snapshot())).toEqual([]);

    // The bridge repeats the hold with its requestId: answered from memory, not run again.
    const repeat = await sim.request(T, 'hold', {}, { requestId: 'hold-1' });
    expect(repeat.header).toMatchObject({ result: 'SUCCESS', requestId: 'hold-1', name: 'conversation.request.hold' });
    expect(leg.calls.filter((c) => c.operation === 'hold')).toHaveLength(1);

    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
    expect(report.counts.connections).toBe(2);
    expect((await rig.diagnostic('disconnected')).level).toBe('warn');
  });

  it('reconnects again and again while the bridge keeps dropping, with the events of each gap in order', async () => {
    rig = await startRig();
    const { sim, phone } = rig;
    const leg = phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    await sim.init(T);
    await sim.waitForEvent(T, 'ringing');
    await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-1');
    for (let round = 0; round < 3; round++) {
      await sim.dropConnection();
      await sim.waitForConnection(round + 2);
      const before = sim.events(T).length;
      leg.far.join({ number: `300${round}` });
      leg.far.leave(`300${round}`);
      await sim.init(T);
      await sim.waitForEvents(T, before + 2);
      expect(sim.eventNames(T).slice(before)).toEqual(['partyadded', 'partyremoved']);
    }
    expect(sim.report().violations).toEqual([]);
  });
});

describe('a bridge that is not up yet', () => {
  it('keeps trying with backoff until it is, then serves', async () => {
    // Find a free port, then leave it closed while the client tries it.
    const probe = await createBridgeSimulator();
    const port = probe.port;
    await probe.close();
    const phone = new SimulatedPhone();
    const failures: BridgeClientDiagnostic[] = [];
    let twoFailures!: () => void;
    const failedTwice = new Promise<void>((resolve) => (twoFailures = resolve));
    const client = createBridgeClient({
      host: '127.0.0.1',
      port,
      phone,
      reconnect: { initialDelayMs: 1, maxDelayMs: 5 },
      onDiagnostic: (d) => {
        if (d.code !== 'connect-failed') return;
        failures.push(d);
        if (failures.length === 2) twoFailures();
      },
    });
    await failedTwice;
    expect(failures[0]!.message).toMatch(/^could not connect to the bridge at 127\.0\.0\.1:\d+: connect ECONNREFUSED/);
    expect(client.state === 'waiting' || client.state === 'connecting').toBe(true);
    const sim = await createBridgeSimulator({ port });
    try {
      await sim.waitForConnection();
      phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
      expect((await sim.init('A.leg-1')).header.result).toBe('SUCCESS');
      expect(client.state).toBe('connected');
    } finally {
      await client.close();
      await sim.close();
      await phone.close();
    }
  });
});

describe('reconnectDelay', () => {
  it('grows exponentially up to the ceiling, jitter taking off at most its fraction', () => {
    const options = { initialDelayMs: 100, maxDelayMs: 1000, factor: 2, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 10].map((a) => reconnectDelay(a, options, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(reconnectDelay(2, options, () => 1)).toBe(200);
    expect(reconnectDelay(2, options, () => 0.5)).toBe(300);
    expect(reconnectDelay(0, { initialDelayMs: 0 })).toBe(0);
  });
});
