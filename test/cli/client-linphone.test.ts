/**
 * `client --phone linphone --linphone SOCKET`: the CLI drives a real linphone-daemon (the agent);
 * a second daemon (bob) calls it, and the bridge simulator answers and releases the call through
 * the CLI. The agent daemon is checked alive at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import type { LinphoneDaemon } from '../../src/adapters/linphone/index.js';
import { createBridgeSimulator, formatReport, type BridgeSimulator } from '../../src/simulator/index.js';
import { LinphoneFarEnd, startLinphone } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';
import { watchedIo } from '../support/watched-io.js';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');

describe('client --phone linphone', () => {
  it('says so clearly and exits 1 when no daemon listens on the socket', async () => {
    const io = watchedIo(new AbortController().signal);
    const code = await runCli(['client', '--bridge', '127.0.0.1:7001', '--phone', 'linphone', '--linphone', '/tmp/cti-no-such-linphone'], io);
    expect(code).toBe(1);
    expect(io.err()).toContain('client: linphone-daemon is not running at /tmp/cti-no-such-linphone');
  });

  describe.skipIf(!linphone.available)('with real linphone-daemons', () => {
    let agent: LinphoneDaemon;
    let bob: LinphoneFarEnd;
    let simulator: BridgeSimulator;

    beforeAll(async () => {
      const [agentDaemon, bobDaemon] = await Promise.all([startLinphone('agent'), startLinphone('bob')]);
      agent = agentDaemon;
      bob = await LinphoneFarEnd.connect(bobDaemon);
      simulator = await createBridgeSimulator();
    }, 60_000);
    afterAll(async () => {
      await bob?.close();
      await simulator?.close();
      await Promise.all([agent?.stop(), bob?.daemon.stop()]);
    }, 60_000);

    it('answers and releases a real inbound call for the bridge', async () => {
      const stop = new AbortController();
      const io = watchedIo(stop.signal);
      const client = runCli(['client', '--bridge', `127.0.0.1:${simulator.port}`, '--phone', 'linphone', '--linphone', agent.socket], io);
      await simulator.waitForConnection();
      const bobCall = await bob.call(agent.uri);
      // Who calls is logged at debug level only (personal data); the leg id is at info.
      const announced = /client: leg (\S+): new RINGING call/;
      await io.errMatches(announced);
      const legId = announced.exec(io.err())![1]!;
      const target = `PB1.AGENT.1001.TEL.${legId}`;
      const init = await simulator.init(target);
      expect(init.body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: 'bob' }] });
      expect((await simulator.request(target, 'answer')).header.result).toBe('SUCCESS');
      await simulator.waitForEvent(target, 'talking');
      await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallStreamsRunning');
      expect((await simulator.request(target, 'release')).header.result).toBe('SUCCESS');
      await simulator.waitForEvent(target, 'ended');
      await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallEnd');
      expect((await simulator.request(target, 'dispose')).header.result).toBe('SUCCESS');
      expect(simulator.eventNames(target)).toEqual(['ringing', 'started', 'partyadded', 'talking', 'ended']);
      stop.abort();
      expect(await client).toBe(0);
      const report = simulator.report();
      expect(report.passed, formatReport(report)).toBe(true);
      expect(agent.alive()).toBe(true);
    }, 60_000);
  });
});
