/**
 * `client --phone baresip`: the CLI drives a real baresip (the agent's phone of the lab); a second
 * baresip (bob) calls it, and the bridge simulator answers and releases the call through the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legIdForCallId } from '../../src/adapters/baresip/index.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createBridgeSimulator, formatReport, type BridgeSimulator } from '../../src/simulator/index.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { programAvailable } from '../support/require-program.js';
import { watchedIo } from '../support/watched-io.js';

const baresip = programAvailable('baresip', 'baresip-core');

describe('client --phone baresip', () => {
  it('says so clearly and exits 1 when baresip cannot be reached', async () => {
    const closed = await createBridgeSimulator();
    const unused = closed.port;
    await closed.close(); // a port nothing listens on now
    const io = watchedIo(new AbortController().signal);
    const code = await runCli(['client', '--bridge', '127.0.0.1:7001', '--phone', 'baresip', '--baresip', `127.0.0.1:${unused}`], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`client: cannot reach baresip's ctrl_tcp at 127.0.0.1:${unused}`);
  });

  describe.skipIf(!baresip.available)('with real baresips', () => {
    let agent: BaresipInstance;
    let bob: BaresipInstance;
    let bobControl: FarEnd;
    let simulator: BridgeSimulator;

    beforeAll(async () => {
      [agent, bob] = await Promise.all([startBaresip('agent'), startBaresip('bob', { toneHz: 660 })]);
      bobControl = await FarEnd.connect(bob);
      simulator = await createBridgeSimulator();
    });
    afterAll(async () => {
      bobControl?.close();
      await simulator?.close();
      await Promise.all([agent?.stop(), bob?.stop()]);
    });

    it('answers and releases a real inbound call for the bridge', async () => {
      const stop = new AbortController();
      const io = watchedIo(stop.signal);
      const client = runCli(
        ['client', '--bridge', `127.0.0.1:${simulator.port}`, '--phone', 'baresip', '--baresip', `127.0.0.1:${agent.ctrlPort}`, '--log-level', 'debug'],
        io,
      );
      await simulator.waitForConnection();
      await bobControl.command('dial', agent.uri);
      const outgoing = await bobControl.waitFor((event) => event.direction === 'outgoing' && event.id !== undefined);
      const legId = legIdForCallId(outgoing.id!);
      // Who is calling is logged at debug level only (hence --log-level debug above).
      await io.errMatches(new RegExp(`client: leg ${legId}: new RINGING call`));
      await io.errMatches(new RegExp(`client: leg ${legId}: from bob`));
      const target = `PB1.AGENT.1001.TEL.${legId}`;
      const init = await simulator.init(target);
      expect(init.body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: 'bob' }] });
      expect((await simulator.request(target, 'answer')).header.result).toBe('SUCCESS');
      await simulator.waitForEvent(target, 'talking');
      await bobControl.waitForType('CALL_ESTABLISHED', outgoing.id);
      expect((await simulator.request(target, 'release')).header.result).toBe('SUCCESS');
      await simulator.waitForEvent(target, 'ended');
      await bobControl.waitForType('CALL_CLOSED', outgoing.id);
      expect((await simulator.request(target, 'dispose')).header.result).toBe('SUCCESS');
      expect(simulator.eventNames(target)).toEqual(['ringing', 'started', 'partyadded', 'talking', 'ended']);
      stop.abort();
      expect(await client).toBe(0);
      const report = simulator.report();
      expect(report.passed, formatReport(report)).toBe(true);
    });
  });
});
