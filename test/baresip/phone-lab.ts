/** The lab one baresip test file shares: the agent phone under test and two far-end phones. */
import { BaresipPhone } from '../../src/adapters/baresip/index.js';
import type { BaresipLeg } from '../../src/adapters/baresip/leg.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { nextLeg as nextPhoneLeg } from '../support/next-leg.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { TcpProxy } from '../support/baresip-tcp-proxy.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';

export interface PhoneLab {
  readonly agent: BaresipInstance;
  readonly phone: BaresipPhone;
  readonly bob: FarEnd;
  readonly carol: FarEnd;
  readonly diagnostics: { code: string; message: string }[];
  /** Set when the phone talks to baresip through a relay the test can break. */
  readonly proxy: TcpProxy | undefined;
  /** The first diagnostic with this code at or after index `from`. */
  diagnostic(code: string, from?: number): Promise<{ code: string; message: string }>;
  stop(): Promise<void>;
}

export interface PhoneLabOptions {
  readonly commandTimeoutMs?: number;
  readonly checkIntervalMs?: number;
  readonly viaProxy?: boolean;
}

export async function startPhoneLab(options: PhoneLabOptions = {}): Promise<PhoneLab> {
  const [agent, bobPhone, carolPhone] = await Promise.all([
    startBaresip('agent', { toneHz: 440 }),
    startBaresip('bob', { toneHz: 550, vumeter: true }),
    startBaresip('carol', { toneHz: 660 }),
  ]);
  const diagnostics: { code: string; message: string }[] = [];
  const waiters = new Set<() => void>();
  const proxy = options.viaProxy ? await TcpProxy.start(agent.ctrlPort) : undefined;
  const phone = await BaresipPhone.connect({
    port: proxy?.port ?? agent.ctrlPort,
    commandTimeoutMs: options.commandTimeoutMs,
    checkIntervalMs: options.checkIntervalMs,
    reconnectDelayMs: 50,
    // DTMF pacing is an estimate of baresip's own (about 65 ms, then 240 ms a digit). On this
    // 2-core machine under a load of 15+ the far end sometimes reported the last of four digits
    // later than the default 100 ms + 250 ms a digit, so the lab gives it more headroom.
    dtmfBaseMs: 400,
    onDiagnostic: (d) => {
      diagnostics.push(d);
      for (const wake of [...waiters]) wake();
    },
  });
  const diagnostic = (code: string, from = 0) =>
    new Promise<{ code: string; message: string }>((resolve) => {
      const look = () => {
        const found = diagnostics.slice(from).find((d) => d.code === code);
        if (!found) return;
        waiters.delete(look);
        resolve(found);
      };
      waiters.add(look);
      look();
    });
  const bob = await FarEnd.connect(bobPhone);
  const carol = await FarEnd.connect(carolPhone);
  return {
    agent,
    phone,
    bob,
    carol,
    diagnostics,
    proxy,
    diagnostic,
    stop: async () => {
      await phone.close();
      await proxy?.close();
      bob.close();
      carol.close();
      await Promise.all([agent.stop(), bobPhone.stop(), carolPhone.stop()]);
    },
  };
}

export function callIdOf(leg: TelephonyLeg): string {
  return (leg as BaresipLeg).callId;
}

/** The next leg the phone announces. */
export function nextLeg(phone: BaresipPhone): Promise<{ leg: TelephonyLeg; recorder: LegRecorder }> {
  return nextPhoneLeg(phone).then((leg) => ({ leg, recorder: new LegRecorder(leg) }));
}

/** `far` calls the agent; resolves with our ringing leg. */
export async function callAgent(lab: PhoneLab, far: FarEnd) {
  const announced = nextLeg(lab.phone);
  const reply = await far.command('dial', lab.agent.uri);
  if (!reply.ok) throw new Error(`far end could not dial: ${reply.data}`);
  return announced;
}

/** `far` calls the agent and the agent answers; resolves once both sides talk. */
export async function establishedFrom(lab: PhoneLab, far: FarEnd) {
  const call = await callAgent(lab, far);
  await call.leg.answer(never());
  await call.recorder.waitFor('talking');
  await far.waitForType('CALL_ESTABLISHED', callIdOf(call.leg));
  return call;
}

/** Leaves no call behind for the next test. */
export async function clearCalls(lab: PhoneLab): Promise<void> {
  for (const leg of lab.phone.legs()) {
    if (leg.snapshot().state !== 'RELEASED') await leg.release(never()).catch(() => undefined);
    await leg.dispose();
  }
  await lab.bob.hangUpAll();
  await lab.carol.hangUpAll();
}
