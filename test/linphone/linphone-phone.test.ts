/**
 * LinphonePhone against real phones on loopback: the agent's linphone-daemon (registered with a
 * sipp registrar), linphone-daemon far ends bob, carol (answers by herself) and dave, and sipp
 * far ends for the failures. Each test checks what the far end saw as well as the leg's events.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LinphonePhone, type LinphoneDaemon } from '../../src/adapters/linphone/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { nextLeg } from '../support/next-leg.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';
import { LinphoneFarEnd, startLinphone, startRegistrar, type Registrar } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';
import { startSippServer } from '../support/sipp.js';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');
const sipp = programAvailable('sipp', 'sip-tester');
const DTMF_INTERVAL_MS = 250;

describe.skipIf(!linphone.available || !sipp.available)('LinphonePhone with real far ends', () => {
  let registrar: Registrar;
  let agent: LinphoneDaemon;
  let bob: LinphoneFarEnd;
  let carol: LinphoneFarEnd;
  let dave: LinphoneFarEnd;
  let phone: LinphonePhone;
  const diagnostics: { code: string; message: string }[] = [];

  beforeAll(async () => {
    registrar = await startRegistrar();
    const daemons = await Promise.all([startLinphone('agent'), startLinphone('bob'), startLinphone('carol'), startLinphone('dave')]);
    agent = daemons[0];
    bob = await LinphoneFarEnd.connect(daemons[1]);
    carol = await LinphoneFarEnd.connect(daemons[2], { autoAnswer: true });
    dave = await LinphoneFarEnd.connect(daemons[3]);
    phone = await LinphonePhone.connect({
      socket: agent.socket,
      account: { identity: 'sip:agent@127.0.0.1', proxy: registrar.proxy },
      dtmfIntervalMs: DTMF_INTERVAL_MS,
      onDiagnostic: (diagnostic) => diagnostics.push(diagnostic),
    });
  }, 60_000);

  afterEach(async () => {
    for (const leg of phone.legs()) {
      if (leg.snapshot().state !== 'RELEASED') await leg.release(never()).catch(() => undefined);
      await leg.dispose();
    }
    for (const far of [bob, carol, dave]) await far.hangUpAll();
  });

  afterAll(async () => {
    await phone?.close();
    for (const far of [bob, carol, dave]) await far?.close();
    await Promise.all([agent?.stop(), bob?.daemon.stop(), carol?.daemon.stop(), dave?.daemon.stop()]);
    await registrar?.stop();
  }, 60_000);

  const nextRecordedLeg = (): Promise<{ leg: TelephonyLeg; recorder: LegRecorder }> => nextLeg(phone).then((leg) => ({ leg, recorder: new LegRecorder(leg) }));

  /** `far` calls the agent and the agent answers; resolves once both sides talk. */
  async function talkingWith(far: LinphoneFarEnd) {
    const announced = nextRecordedLeg();
    const farId = await far.call(agent.uri);
    const call = await announced;
    await call.leg.answer(never());
    await far.waitFor((event) => event.id === farId && event.state === 'LinphoneCallStreamsRunning');
    return { ...call, farId };
  }

  it('inbound: answer, hold, retrieve and release reach the far end', async () => {
    const { leg, recorder, farId } = await talkingWith(bob);
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
    let from = bob.events.length;
    await leg.hold(never());
    expect(leg.snapshot().state).toBe('HELD');
    await bob.waitFor((event) => event.id === farId && event.state === 'LinphoneCallPausedByRemote', from);
    from = bob.events.length;
    await leg.retrieve(never());
    expect(leg.snapshot().state).toBe('TALKING');
    await bob.waitFor((event) => event.id === farId && event.state === 'LinphoneCallStreamsRunning', from);
    await leg.release(never());
    await bob.waitFor((event) => event.id === farId && event.state === 'LinphoneCallEnd');
    expect(recorder.types).toEqual(['talking', 'held', 'talking', 'ended']);
  });

  it('outbound: a far end that declines while ringing gives busy', async () => {
    const from = dave.events.length;
    const leg = await phone.dial!(dave.uri, never());
    const recorder = new LegRecorder(leg);
    expect(leg.snapshot()).toEqual({ state: 'DIALING', parties: [{ number: 'dave' }], muted: false });
    await dave.terminate(await dave.incoming(from));
    await recorder.waitFor('busy');
    expect(leg.snapshot().state).toBe('RELEASED');
  });

  for (const [scenario, sipStatus] of [['uas-busy.xml', '486'], ['uas-unavailable.xml', '503']] as const) {
    it(`outbound: a sipp far end answering ${sipStatus} gives failed (the daemon reports no SIP status)`, async () => {
      const far = await startSippServer(scenario);
      try {
        const leg = await phone.dial!(far.uri, never());
        const recorder = new LegRecorder(leg);
        const failed = await recorder.waitFor('failed');
        expect(failed.reason).toMatch(/busy, not found, unavailable or unreachable/);
        expect(await far.exited).toBe(0);
        expect(far.messages()).toContain(`SIP/2.0 ${sipStatus}`);
      } finally {
        await far.stop();
      }
    });
  }

  it('blind transfer: the far end is connected to the target and the leg ends as transferred', async () => {
    const { leg, recorder, farId } = await talkingWith(bob);
    const carolFrom = carol.events.length;
    await leg.transfer!(carol.uri, never());
    const ended = await recorder.waitFor('ended');
    expect(ended.reason).toBe('transferred');
    const carolCall = await carol.incoming(carolFrom);
    await carol.waitFor((event) => event.id === carolCall && event.state === 'LinphoneCallStreamsRunning', carolFrom);
    expect(carol.events.find((event) => event.id === carolCall)?.from).toContain('bob');
    await bob.waitFor((event) => event.id === farId && event.state === 'LinphoneCallEnd');
  });

  it('blind transfer to a target that declines reports transferFailed and the call carries on', async () => {
    const { leg, recorder } = await talkingWith(bob);
    const daveFrom = dave.events.length;
    await leg.transfer!(dave.uri, never());
    await dave.terminate(await dave.incoming(daveFrom));
    const failed = await recorder.waitFor('transferFailed');
    expect(failed.reason.length).toBeGreaterThan(0);
    expect(leg.snapshot().state).toBe('TALKING');
    expect(recorder.types).not.toContain('ended');
  });

  it('mute is kept per leg: a second call starts unmuted, the first stays muted through hold', async () => {
    const first = await talkingWith(bob);
    await first.leg.mute!(never());
    expect(first.leg.snapshot().muted).toBe(true);
    const second = await talkingWith(dave);
    // Answering the second call held the first (the daemon does that by itself).
    await first.recorder.waitFor('held');
    expect(first.leg.snapshot()).toMatchObject({ state: 'HELD', muted: true });
    expect(second.leg.snapshot()).toMatchObject({ state: 'TALKING', muted: false });
    // Unmuting a held leg needs no current call: only the flag changes, reported as usual.
    await first.leg.unmute!(never());
    expect(first.recorder.types.at(-1)).toBe('unmuted');
    await second.leg.mute!(never());
    await first.leg.retrieve(never());
    expect(first.leg.snapshot()).toMatchObject({ state: 'TALKING', muted: false });
    await second.recorder.waitFor('held');
    expect(second.leg.snapshot()).toMatchObject({ state: 'HELD', muted: true });
  });

  it('DTMF goes one digit per command, paced, and resolves only after the last digit had its time', async () => {
    const { leg, farId } = await talkingWith(bob);
    const started = Date.now();
    await leg.sendDtmf!('159#', never());
    expect(Date.now() - started).toBeGreaterThanOrEqual(4 * DTMF_INTERVAL_MS);
    expect(await bob.heard(farId)).toBe('159#');
    await expect(leg.sendDtmf!('12x', never())).rejects.toThrow(/digits may hold only/);
  });

  it('a conference call that is declined reports conferenceFailed and gives the original call back', async () => {
    const { leg, recorder, farId } = await talkingWith(bob);
    const daveFrom = dave.events.length;
    await leg.conference!(dave.uri, never());
    await recorder.waitFor('held');
    await dave.terminate(await dave.incoming(daveFrom));
    const failed = await recorder.waitFor('conferenceFailed');
    expect(failed.reason).toMatch(/declined/);
    await bob.waitFor((event) => event.id === farId && event.state === 'LinphoneCallStreamsRunning', 0);
    while (leg.snapshot().state !== 'TALKING') await new Promise((resolve) => setTimeout(resolve, 50));
    expect(recorder.types.slice(-3)).toEqual(['held', 'conferenceFailed', 'talking']);
    expect(leg.snapshot().parties).toEqual([{ number: 'bob' }]);
  });

  it('in a conference, hold leaves the conference (the others talk on), mute and DTMF are refused', async () => {
    const { leg, recorder } = await talkingWith(bob);
    await leg.conference!(carol.uri, never());
    await recorder.waitFor('partyAdded');
    while (leg.snapshot().state !== 'TALKING') await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(leg.mute!(never())).rejects.toThrow(/not possible in a conference/);
    await expect(leg.sendDtmf!('1', never())).rejects.toThrow(/not possible in a conference/);
    await leg.hold(never());
    expect(leg.snapshot().state).toBe('HELD');
    await leg.retrieve(never());
    expect(leg.snapshot().state).toBe('TALKING');
    expect(leg.snapshot().parties.map((party) => party.number)).toEqual(['bob', 'carol']);
  });

  it('commands that crash the daemon are refused without being sent', async () => {
    await expect(phone.command('call-stats 1')).rejects.toThrow(/never sent/);
    await expect(phone.command('config-get sound mic_enabled')).rejects.toThrow(/never sent/);
    expect((await phone.command('version')).ok).toBe(true);
  });

  it('the agent daemon is still running', () => {
    expect(agent.alive()).toBe(true);
  });
});
