/**
 * A fault only a real phone shows: the agent's baresip is killed (SIGKILL, by its pid) in the
 * middle of a call and started again on the same ports. The BaresipPhone notices the lost control
 * connection, reconnects to the new baresip, finds the call gone and reports the leg ended; the
 * bridge hears conversation.ended on the target, disposes it, and the next call works end to end.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaresipPhone, legIdForCallId } from '../../src/adapters/baresip/index.js';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { createBridgeSimulator, formatReport, type BridgeSimulator } from '../../src/simulator/index.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { startProcess, stopProcess, waitForTcp, type RunningProcess } from '../support/baresip-lab-process.js';
import { programAvailable } from '../support/require-program.js';

const baresip = programAvailable('baresip', 'baresip-core');
const targetOf = (legId: string) => `PB1.AGENT.1001.TEL.${legId}`;

describe.skipIf(!baresip.available)('the agent baresip killed and restarted mid-call', () => {
  let agent: BaresipInstance;
  let bobPhone: BaresipInstance;
  let bob: FarEnd;
  let phone: BaresipPhone;
  let sim: BridgeSimulator;
  let client: BridgeClient;
  let restarted: RunningProcess | undefined;
  const diagnostics: { code: string; message: string }[] = [];

  beforeAll(async () => {
    [agent, bobPhone] = await Promise.all([startBaresip('agent', { toneHz: 440 }), startBaresip('bob', { toneHz: 550 })]);
    bob = await FarEnd.connect(bobPhone);
    phone = await BaresipPhone.connect({ port: agent.ctrlPort, commandTimeoutMs: 1500, checkIntervalMs: 150, reconnectDelayMs: 50, onDiagnostic: (d) => diagnostics.push(d) });
    sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
    client = createBridgeClient({ host: sim.host, port: sim.port, phone, reconnect: { initialDelayMs: 10 } });
    await sim.waitForConnection();
  });
  afterAll(async () => {
    await client?.close();
    await sim?.close();
    await phone?.close();
    bob?.close();
    if (restarted) await stopProcess(restarted);
    await Promise.all([agent?.stop(), bobPhone?.stop()]);
  });

  async function bobCallsAndIsAnswered(): Promise<string> {
    const from = bob.events.length;
    await bob.command('dial', agent.uri);
    const ringing = await bob.waitFor((e) => e.direction === 'outgoing' && e.id !== undefined, from);
    const target = targetOf(legIdForCallId(ringing.id!));
    await sim.waitUntil(() => phone.leg(legIdForCallId(ringing.id!)) !== undefined);
    expect((await sim.init(target)).header.result).toBe('SUCCESS');
    expect((await sim.request(target, 'answer')).header.result).toBe('SUCCESS');
    await sim.waitForEvent(target, 'talking');
    return target;
  }

  it('the leg is reported ended, disposed, and the next call is served', async () => {
    const first = await bobCallsAndIsAnswered();
    // Killed, not stopped: no BYE, no goodbye on the control connection.
    process.kill(agent.process.pid, 'SIGKILL');
    await agent.process.exited;
    restarted = startProcess('baresip', ['-4', '-f', path.join(agent.dir, 'config')], { cwd: agent.dir });
    await waitForTcp(agent.ctrlPort, restarted);
    await sim.waitForEvent(first, 'ended');
    expect(diagnostics.map((d) => d.code)).toContain('connection-lost');
    expect((await sim.request(first, 'dispose')).header.result).toBe('SUCCESS');
    await bob.hangUpAll();

    const second = await bobCallsAndIsAnswered();
    expect((await sim.request(second, 'release')).header.result).toBe('SUCCESS');
    await sim.waitForEvent(second, 'ended');
    expect((await sim.request(second, 'dispose')).header.result).toBe('SUCCESS');
    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
  });
});
