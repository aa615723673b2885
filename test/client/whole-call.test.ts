/**
 * A whole call through the bridge simulator, the bridge client and a SimulatedPhone on loopback
 * TCP, following examples/inbound-call.jsonl: every request, every event, and the simulator's
 * conformance report at the end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { formatReport } from '../../src/simulator/index.js';
import { startRig, type Rig } from './helpers/call-rig.js';

const T = 'PB1.S-1001.G-1.TEL.I-5521.leg-1';
const caller = { number: '+15551230001', name: 'Pat Caller' };
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('a whole inbound call through simulator, client and SimulatedPhone', () => {
  it('plays every request of the example call and the report holds every invariant', async () => {
    rig = await startRig({ phone: { transferPlan: () => ({ outcome: 'fail', reason: 'Destination 2099 did not answer' }) } });
    const { sim, phone, client } = rig;
    // The leg rings after the client is up: the client hears of it through onLeg.
    phone.ring(caller, { id: 'leg-1' });
    const leg = phone.leg('leg-1')!;

    const init = await sim.init(T);
    expect(init.header.result).toBe('SUCCESS');
    expect(init.body).toEqual({ 'conversation-state': 'RINGING', parties: [caller] });
    await sim.waitForEvent(T, 'ringing');

    await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-1');
    await rig.step(T, 'hold', {}, ['held'], 'leg-1');
    await rig.step(T, 'retrieve', {}, ['talking'], 'leg-1');
    await rig.step(T, 'mute', {}, ['mute'], 'leg-1');
    const dtmf = await rig.step(T, 'senddtmf', { digits: '1234#' }, [], 'leg-1');
    expect(dtmf['header']).toMatchObject({ result: 'SUCCESS' });
    const badDtmf = await rig.step(T, 'senddtmf', { digits: '12a' }, [], 'leg-1');
    expect(badDtmf['header']).toMatchObject({ result: 'FAILURE', errorMessage: 'senddtmf: digits may hold only 0-9, * and #' });
    await rig.step(T, 'unmute', {}, ['talking'], 'leg-1');
    await rig.step(T, 'conference', { destination: '2001' }, ['partyadded'], 'leg-1');
    await rig.step(T, 'removeparty', { number: '2001' }, ['partyremoved'], 'leg-1');
    await rig.step(T, 'transfer', { destination: '2099' }, ['transfer.failed'], 'leg-1');
    await rig.step(T, 'release', {}, ['ended'], 'leg-1');
    expect(client.legCount).toBe(1);

    const dispose = await sim.request(T, 'dispose');
    expect(dispose.header.result).toBe('SUCCESS');
    await sim.waitUntil(() => client.legCount === 0);
    expect(leg.calls.map((c) => c.operation)).toEqual([
      'answer', 'hold', 'retrieve', 'mute', 'sendDtmf', 'unmute', 'conference', 'removeParty', 'transfer', 'release', 'dispose',
    ]);

    // The leg is forgotten, yet its target still answers "disposed" and a repeated dispose is replayed.
    const after = await sim.request(T, 'hold');
    expect(after.header).toMatchObject({ result: 'FAILURE', name: 'conversation.request.hold', target: T });
    expect(after.header.errorMessage).toContain('disposed');
    const replay = await sim.request(T, 'dispose', {}, { requestId: dispose.header.requestId! });
    expect(replay).toEqual(dispose);
    expect(leg.calls.filter((c) => c.operation === 'dispose')).toHaveLength(1);

    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
    expect(report.passed).toBe(true);
    for (const id of ['1', '2', '3', '4', '8', 'dispose']) {
      expect(report.invariants.find((i) => i.id === id)!.checked).toBe(true);
    }
    expect(sim.eventNames(T)).toEqual([
      'ringing', 'started', 'partyadded', 'talking', 'held', 'talking', 'mute', 'talking',
      'partyadded', 'partyremoved', 'transfer.failed', 'ended',
    ]);
  });

  it('serves a leg that existed before the client was created, and an outbound dial', async () => {
    rig = await startRig({ phone: { dialPlan: () => 'noAnswer' }, before: (phone) => phone.ring(caller, { id: 'early' }) });
    const { sim, phone } = rig;
    const early = 'PB1.AGENT.1001.early';
    expect((await sim.init(early)).body).toMatchObject({ 'conversation-state': 'RINGING' });
    await sim.waitForEvent(early, 'ringing');

    const leg = await phone.dial('+15559870000', new AbortController().signal);
    const out = `PB1.AGENT.1001.${leg.id}`;
    expect((await sim.init(out)).body).toEqual({ 'conversation-state': 'DIALING', parties: [{ number: '+15559870000' }] });
    await sim.waitForEvent(out, 'dialing');
    leg.far.answer();
    await sim.waitForEvent(out, 'talking');
    expect(sim.eventNames(out)).toEqual(['dialing', 'started', 'partyadded', 'talking']);
    expect(sim.checkModel(out, leg.snapshot())).toEqual([]);
    expect(sim.report().violations).toEqual([]);
  });

  it('close() ends the connection and the destinations but leaves the phone open', async () => {
    rig = await startRig();
    const { sim, phone, client } = rig;
    phone.ring(caller, { id: 'leg-1' });
    await sim.init(T);
    await client.close();
    expect(client.state).toBe('closed');
    await sim.waitUntil(() => !sim.connected);
    expect(client.legCount).toBe(0);
    // The phone still works: its owner closes it.
    expect(() => phone.ring(caller, { id: 'leg-2' })).not.toThrow();
    expect(rig.diagnostics.some((d) => d.code === 'reconnecting')).toBe(false);
  });
});
