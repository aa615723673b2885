/**
 * End to end with real SIP: bridge simulator → bridge client over TCP → LinphonePhone (the
 * agent's linphone-daemon, registered with a sipp registrar) → linphone-daemon far ends. Bob
 * calls; the bridge answers, conferences carol in and removes her again; every request is
 * answered SUCCESS and the events come in the contract's order. The simulator's conformance
 * report must stay clean, and the agent daemon must still be running at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { LinphonePhone, type LinphoneDaemon } from '../../src/adapters/linphone/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { createBridgeSimulator, formatReport, type BridgeSimulator } from '../../src/simulator/index.js';
import { LinphoneFarEnd, startLinphone, startRegistrar, type Registrar } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');
const sipp = programAvailable('sipp', 'sip-tester');
const targetOf = (legId: string) => `PB1.AGENT.1001.TEL.${legId}`;

describe.skipIf(!linphone.available || !sipp.available)('bridge simulator → client → LinphonePhone → real far ends', () => {
  let registrar: Registrar;
  let agent: LinphoneDaemon;
  let bob: LinphoneFarEnd;
  let carol: LinphoneFarEnd;
  let phone: LinphonePhone;
  let sim: BridgeSimulator;
  let client: BridgeClient;

  beforeAll(async () => {
    registrar = await startRegistrar();
    const [agentDaemon, bobDaemon, carolDaemon] = await Promise.all([startLinphone('agent'), startLinphone('bob'), startLinphone('carol')]);
    agent = agentDaemon;
    bob = await LinphoneFarEnd.connect(bobDaemon);
    carol = await LinphoneFarEnd.connect(carolDaemon, { autoAnswer: true });
    phone = await LinphonePhone.connect({ socket: agent.socket, account: { identity: 'sip:agent@127.0.0.1', proxy: registrar.proxy } });
    sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
    client = createBridgeClient({ host: sim.host, port: sim.port, phone, reconnect: { initialDelayMs: 10 } });
    await sim.waitForConnection();
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await sim?.close();
    await phone?.close();
    await bob?.close();
    await carol?.close();
    await Promise.all([agent?.stop(), bob?.daemon.stop(), carol?.daemon.stop()]);
    await registrar?.stop();
  }, 60_000);

  it('conference and removeparty on a real linphone leg: SUCCESS, and partyadded/partyremoved after started, in order', async () => {
    const announced = new Promise<TelephonyLeg>((resolve) => {
      const off = phone.onLeg((leg) => {
        off();
        resolve(leg);
      });
    });
    const bobCall = await bob.call(agent.uri);
    const target = targetOf((await announced).id);
    const init = await sim.init(target);
    expect(init.header.result).toBe('SUCCESS');
    expect(init.body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: 'bob' }] });
    expect((await sim.request(target, 'answer')).header.result).toBe('SUCCESS');
    await sim.waitForEvent(target, 'talking');
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallStreamsRunning');

    const mark = sim.events(target).length;
    const conference = await sim.request(target, 'conference', { destination: carol.uri });
    expect(conference.header.result, conference.header.errorMessage).toBe('SUCCESS');
    const added = await sim.waitForEvent(target, 'partyadded', mark);
    expect(added.body).toEqual({ number: 'carol' });
    await sim.waitForEvent(target, 'talking', mark);
    const carolCall = await carol.incoming();
    await carol.waitFor((event) => event.id === carolCall && event.state === 'LinphoneCallStreamsRunning');

    const remove = await sim.request(target, 'removeparty', { number: 'carol' });
    expect(remove.header.result, remove.header.errorMessage).toBe('SUCCESS');
    expect((await sim.waitForEvent(target, 'partyremoved', mark)).body).toEqual({ number: 'carol' });
    await carol.waitFor((event) => event.id === carolCall && event.state === 'LinphoneCallEnd');
    expect(await bob.state(bobCall)).toBe('LinphoneCallStreamsRunning');

    const names = sim.eventNames(target);
    expect(names.slice(0, 2)).toEqual(['ringing', 'started']);
    const started = names.indexOf('started');
    const partyAdded = names.indexOf('partyadded', names.indexOf('held'));
    expect(names.indexOf('held')).toBeGreaterThan(started);
    expect(partyAdded).toBeGreaterThan(names.indexOf('held'));
    expect(names.indexOf('partyremoved')).toBeGreaterThan(partyAdded);
    expect(names).toEqual(['ringing', 'started', 'partyadded', 'talking', 'held', 'partyadded', 'talking', 'partyremoved']);

    expect((await sim.request(target, 'release')).header.result).toBe('SUCCESS');
    await sim.waitForEvent(target, 'ended');
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallEnd');
    expect((await sim.request(target, 'dispose')).header.result).toBe('SUCCESS');
    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
  }, 120_000);

  it('the agent daemon is still running', () => {
    expect(agent.alive()).toBe(true);
  });
});
