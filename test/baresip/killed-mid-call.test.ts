/**
 * A fault only a real phone shows: the agent's baresip is killed (SIGKILL, by its pid) in the
 * middle of a call, with a request in flight and another waiting behind it, and started again on
 * the same ports. Every owed answer still goes out: the request in flight fails with the lost
 * connection, the one behind it is answered too. The BaresipPhone reconnects to the new baresip,
 * finds the call gone and reports the leg ended; the bridge hears conversation.ended, disposes it,
 * and the next call works end to end.
 *
 * Made robust (it was taken out as flaky, RELIABILITY.md says how): every wait is on an event and
 * has a deadline that names what it waited for, never a sleep. The hang it had, always before the
 * kill, was a wait for the phone's new leg through the simulator's waitUntil, which re-checks only
 * when bridge traffic arrives, and none does before the init: when the leg was announced after
 * bob's dial event, nothing woke the wait. The leg is now awaited through phone.onLeg, armed
 * before the dial. The request in flight at the kill is made certain by stopping baresip
 * (SIGSTOP) before the request, so its command cannot be answered, then killing it.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaresipPhone, legIdForCallId } from '../../src/adapters/baresip/index.js';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { createConversationDestination, type ConversationDestination } from '../../src/destination/index.js';
import { createBridgeSimulator, formatReport, type BridgeSimulator, type WireMessage } from '../../src/simulator/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { processOutput, startProcess, stopProcess, waitForTcp, type RunningProcess } from '../support/baresip-lab-process.js';
import { programAvailable } from '../support/require-program.js';

const baresip = programAvailable('baresip', 'baresip-core');
const targetOf = (legId: string) => `PB1.AGENT.1001.TEL.${legId}`;
/** Each wait's deadline: far above what a step takes on a loaded 2-core machine (under a second). */
const STEP_MS = 30_000;

/** `promise`, or a failure after `ms` that says what was waited for. */
function within<T>(what: string, promise: Promise<T>, ms = STEP_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`waited ${ms} ms for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

describe.skipIf(!baresip.available)('the agent baresip killed and restarted mid-call', () => {
  let agent: BaresipInstance;
  let bobPhone: BaresipInstance;
  let bob: FarEnd;
  let phone: BaresipPhone;
  let sim: BridgeSimulator;
  let client: BridgeClient;
  let restarted: RunningProcess | undefined;
  const destinations = new Map<string, ConversationDestination>();
  const phoneReports: { code: string; message: string }[] = [];
  const phoneWaiters = new Set<() => void>();

  /** The first report of the phone with this code at or after index `from`. */
  const phoneReport = (code: string, from: number) =>
    within(
      `the phone to report ${code}`,
      new Promise<{ code: string; message: string }>((resolve) => {
        const look = (): void => {
          const found = phoneReports.slice(from).find((d) => d.code === code);
          if (!found) return;
          phoneWaiters.delete(look);
          resolve(found);
        };
        phoneWaiters.add(look);
        look();
      }),
    );

  // Everything per test, so that nothing of a failed run is left for the next.
  beforeEach(async () => {
    [agent, bobPhone] = await within('the agent and bob baresips to start', Promise.all([startBaresip('agent', { toneHz: 440 }), startBaresip('bob', { toneHz: 550 })]));
    bob = await FarEnd.connect(bobPhone);
    phone = await BaresipPhone.connect({
      port: agent.ctrlPort,
      commandTimeoutMs: 1500,
      checkIntervalMs: 150,
      reconnectDelayMs: 50,
      onDiagnostic: (d) => {
        phoneReports.push(d);
        for (const wake of [...phoneWaiters]) wake();
      },
    });
    sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
    client = createBridgeClient({
      host: sim.host,
      port: sim.port,
      phone,
      reconnect: { initialDelayMs: 10 },
      createDestination: (options) => {
        const destination = createConversationDestination(options);
        destinations.set(destination.legId, destination);
        return destination;
      },
    });
    await within('the client to connect to the bridge', sim.waitForConnection());
  });
  afterEach(async () => {
    await client?.close();
    await sim?.close();
    await phone?.close();
    bob?.close();
    if (restarted) await stopProcess(restarted);
    restarted = undefined;
    await Promise.all([agent?.stop(), bobPhone?.stop()]);
    destinations.clear();
    phoneReports.length = 0;
  });

  /** bob dials the agent; resolves with the bridge's target once the phone has the leg. */
  async function bobCalls(): Promise<{ target: string; callId: string }> {
    const from = bob.events.length;
    // Armed before the dial: the leg may be announced before or after bob's own event.
    const announced = new Promise<TelephonyLeg>((resolve) => {
      const off = phone.onLeg((leg) => {
        off();
        resolve(leg);
      });
    });
    const dialled = await within('bob to accept the dial command', bob.command('dial', agent.uri));
    expect(dialled.ok, dialled.data).toBe(true);
    const outgoing = await within("bob's outgoing call event", bob.waitFor((e) => e.direction === 'outgoing' && e.id !== undefined, from));
    const callId = outgoing.id!;
    const legId = legIdForCallId(callId);
    if (phone.leg(legId) === undefined) {
      const leg = await within(`the agent's phone to announce the leg of call ${callId}`, announced);
      expect(leg.id).toBe(legId);
    }
    return { target: targetOf(legId), callId };
  }

  async function answeredCall(): Promise<{ target: string; callId: string }> {
    const call = await bobCalls();
    expect((await within(`the init of ${call.target}`, sim.init(call.target))).header.result).toBe('SUCCESS');
    expect((await within(`the answer of ${call.target}`, sim.request(call.target, 'answer'))).header.result).toBe('SUCCESS');
    await within(`conversation.talking on ${call.target}`, sim.waitForEvent(call.target, 'talking'));
    await within('bob to see the call established', bob.waitForType('CALL_ESTABLISHED', call.callId));
    return call;
  }

  it('the request in flight and the one behind it are answered, the leg is reported ended, disposed, and the next call is served', { timeout: 240_000 }, async () => {
    const first = await answeredCall();
    const destination = destinations.get(legIdForCallId(first.callId))!;

    // Counted from here: a stopped baresip may already be found silent by the phone's check.
    const lostFrom = phoneReports.length;
    // baresip stopped: the hold's command goes out and can get no answer, so it is in flight at the kill.
    process.kill(agent.process.pid, 'SIGSTOP');
    const hold = sim.request(first.target, 'hold');
    const retrieve = sim.request(first.target, 'retrieve');
    await within(
      'the hold to be in flight with the retrieve waiting behind it',
      new Promise<void>((resolve) => {
        const check = (): boolean => destination.getSnapshot().operation === 'running';
        if (check()) return resolve();
        const off = destination.subscribe(() => {
          if (!check()) return;
          off();
          resolve();
        });
      }),
    );
    // Killed, not stopped: no BYE, no goodbye on the control connection.
    process.kill(agent.process.pid, 'SIGKILL');
    await within('the killed baresip to exit', agent.process.exited);
    await phoneReport('connection-lost', lostFrom);

    // Every owed answer goes out, once: the hold fails for the lost connection, the retrieve is answered.
    const answers: WireMessage[] = await within('the answers to the hold and the retrieve', Promise.all([hold, retrieve]));
    // What the two answers and the phone said, for a failing run.
    console.log(`killed-mid-call: hold ${JSON.stringify(answers[0]!.header)}; retrieve ${JSON.stringify(answers[1]!.header)}; phone ${JSON.stringify(phoneReports.slice(lostFrom).map((d) => d.code))}`);
    expect(answers[0]!.header).toMatchObject({ result: 'FAILURE', errorMessage: expect.stringMatching(/^hold: .*control connection/) });
    expect(answers[1]!.header['result']).toMatch(/^(SUCCESS|FAILURE)$/);

    const restartFrom = phoneReports.length;
    restarted = startProcess('baresip', ['-4', '-f', path.join(agent.dir, 'config')], { cwd: agent.dir });
    await within('the restarted baresip to listen on its control port', waitForTcp(agent.ctrlPort, restarted)).catch((error: Error) => {
      throw new Error(`${error.message}\n${processOutput(restarted!)}`);
    });
    await phoneReport('reconnected', restartFrom);
    const ended = await within(`conversation.ended on ${first.target}`, sim.waitForEvent(first.target, 'ended'));
    expect(ended.header.name).toBe('conversation.ended');
    expect(destination.getSnapshot().call).toBe('RELEASED');
    expect((await within('the dispose of the ended leg', sim.request(first.target, 'dispose'))).header.result).toBe('SUCCESS');
    await within('bob to hang up what he still thinks is up', bob.hangUpAll());

    // The restarted baresip serves the next call end to end.
    const second = await answeredCall();
    expect((await within(`the release of ${second.target}`, sim.request(second.target, 'release'))).header.result).toBe('SUCCESS');
    await within(`conversation.ended on ${second.target}`, sim.waitForEvent(second.target, 'ended'));
    expect((await within(`the dispose of ${second.target}`, sim.request(second.target, 'dispose'))).header.result).toBe('SUCCESS');
    const report = sim.report();
    expect(report.violations, formatReport(report)).toEqual([]);
    // No request went unanswered or was answered twice.
    expect(report.passed, formatReport(report)).toBe(true);
  });
});
