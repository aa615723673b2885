/**
 * BaresipPhone against real baresip far ends on loopback. Every test checks what the far end
 * received (its own events and state), not only the events of our leg.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { programAvailable } from '../support/require-program.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';
import { freePorts } from '../support/baresip-lab-process.js';
import { startSippServer } from '../support/sipp.js';
import { callAgent, callIdOf, clearCalls, establishedFrom, nextLeg, startPhoneLab, type PhoneLab } from './phone-lab.js';

const baresip = programAvailable('baresip', 'baresip-core');
const sipp = programAvailable('sipp', 'sip-tester');

describe.skipIf(!baresip.available)('BaresipPhone with real far ends', () => {
  let lab: PhoneLab;

  beforeAll(async () => {
    lab = await startPhoneLab();
  });
  afterEach(async () => {
    await clearCalls(lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  it('an inbound call rings with the caller as party, is answered, and the far end hears it answered', async () => {
    const { leg, recorder } = await callAgent(lab, lab.bob);
    const callId = callIdOf(leg);
    expect(leg.id).toBe(callId); // baresip's own Call-IDs are valid leg ids
    expect(leg.snapshot()).toEqual({ state: 'RINGING', parties: [{ number: 'bob' }], muted: false });
    expect(lab.phone.leg(leg.id)).toBe(leg);

    await leg.answer(never());
    await recorder.waitFor('talking');
    const established = await lab.bob.waitForType('CALL_ESTABLISHED', callId);
    expect(established.peeruri).toBe(lab.agent.uri);
    expect(leg.snapshot().state).toBe('TALKING');

    await leg.release(never());
    expect((await lab.bob.waitForType('CALL_CLOSED', callId)).param).toBe('Connection reset by peer');
    expect(await recorder.waitFor('ended')).toEqual({ type: 'ended', reason: 'Connection reset by user' });
    expect(recorder.types).toEqual(['talking', 'ended']);
  });

  it('releasing a ringing inbound call rejects it at the far end', async () => {
    const { leg, recorder } = await callAgent(lab, lab.bob);
    await leg.release(never());
    expect((await lab.bob.waitForType('CALL_CLOSED', callIdOf(leg))).param).toMatch(/^486 /);
    expect((await recorder.waitFor('ended')).type).toBe('ended');
  });

  it('a caller who hangs up while ringing ends the inbound leg', async () => {
    const { leg, recorder } = await callAgent(lab, lab.bob);
    await lab.bob.onCall(callIdOf(leg), 'hangup');
    expect(await recorder.waitFor('ended')).toEqual({ type: 'ended', reason: 'Connection reset by peer' });
    expect(leg.snapshot().state).toBe('RELEASED');
  });

  it('hold and retrieve change the audio direction the far end sees', async () => {
    const { leg, recorder } = await establishedFrom(lab, lab.bob);
    const callId = callIdOf(leg);
    expect(await lab.bob.audioDirection(callId)).toBe('sendrecv');

    let offers = lab.bob.events.length;
    await leg.hold(never());
    expect(recorder.types).toEqual(['talking', 'held']); // emitted before hold resolved
    expect(leg.snapshot().state).toBe('HELD');
    await lab.bob.waitFor((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer', offers);
    expect(await lab.bob.audioDirection(callId)).toBe('recvonly');

    offers = lab.bob.events.length;
    await leg.retrieve(never());
    expect(recorder.types).toEqual(['talking', 'held', 'talking']);
    await lab.bob.waitFor((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer', offers);
    expect(await lab.bob.audioDirection(callId)).toBe('sendrecv');
  });

  it('DTMF digits reach the far end before sendDtmf resolves', async () => {
    const { leg } = await establishedFrom(lab, lab.bob);
    await leg.sendDtmf!('12#9', never());
    expect(lab.bob.dtmfReceived(callIdOf(leg))).toBe('12#9');
  });

  it('a release cuts the DTMF wait short', async () => {
    const { leg } = await establishedFrom(lab, lab.bob);
    const controller = new AbortController();
    const sending = leg.sendDtmf!('123456789', controller.signal);
    controller.abort(new Error('cancelled by release'));
    await expect(sending).rejects.toThrow('cancelled by release');
  });

  it('mute and unmute act on the real state and never toggle the wrong way (the far end hears it)', async () => {
    const { leg, recorder } = await establishedFrom(lab, lab.bob);
    const callId = callIdOf(leg);
    // bob's vumeter reports the level it hears about twice a second: about -10 dB of the agent's
    // tone, about -84 dB of a muted agent. A report can still cover audio from before a change.
    const levels = async (count: number, from = lab.bob.events.length) => {
      const heard: number[] = [];
      for (let index = from; heard.length < count; ) {
        const report = await lab.bob.waitFor((e) => e.type === 'VU_RX_REPORT' && e.id === callId, index);
        index = lab.bob.events.indexOf(report) + 1;
        heard.push(Number(report.param));
      }
      return heard;
    };
    const heardUntil = async (quiet: boolean) => {
      for (let index = lab.bob.events.length; ; ) {
        const report = await lab.bob.waitFor((e) => e.type === 'VU_RX_REPORT' && e.id === callId, index);
        index = lab.bob.events.indexOf(report) + 1;
        if (quiet ? Number(report.param) < -60 : Number(report.param) > -40) return;
      }
    };
    expect((await levels(1))[0]).toBeGreaterThan(-40);

    await leg.mute!(never());
    expect(recorder.types).toEqual(['talking', 'muted']); // emitted before mute resolved
    expect(leg.snapshot().muted).toBe(true);
    await heardUntil(true);
    await leg.mute!(never()); // already muted: nothing is toggled, the far end stays in silence
    expect(recorder.types).toEqual(['talking', 'muted']);
    for (const heard of await levels(2)) expect(heard).toBeLessThan(-60);

    await leg.unmute!(never());
    expect(recorder.types).toEqual(['talking', 'muted', 'unmuted']);
    await heardUntil(false);
    await leg.unmute!(never());
    expect(recorder.types).toEqual(['talking', 'muted', 'unmuted']);
    for (const heard of await levels(2)) expect(heard).toBeGreaterThan(-40);

    // baresip is muted behind the adapter's back: mute finds out from the toggle's reply and
    // toggles back, so the call ends up muted, never unmuted.
    await lab.phone.command('callfind', callId);
    expect((await lab.phone.command('mute')).data).toMatch(/call muted/);
    await leg.mute!(never());
    expect(leg.snapshot().muted).toBe(true);
    await heardUntil(true);
    for (const heard of await levels(2)) expect(heard).toBeLessThan(-60);
  });

  it('a far-end hang-up ends the leg', async () => {
    const { leg, recorder } = await establishedFrom(lab, lab.bob);
    await lab.bob.onCall(callIdOf(leg), 'hangup');
    expect(await recorder.waitFor('ended')).toEqual({ type: 'ended', reason: 'Connection reset by peer' });
    expect(recorder.types).toEqual(['talking', 'ended']);
  });

  it('a blind transfer puts the far end through to a third phone', async () => {
    const { leg, recorder } = await establishedFrom(lab, lab.bob);
    const carolCalled = lab.carol.waitForType('CALL_INCOMING');
    await leg.transfer!(lab.carol.uri, never());
    expect((await lab.bob.waitForType('TRANSFER', callIdOf(leg))).param).toBe(lab.carol.uri);
    const incoming = await carolCalled;
    expect(incoming.peeruri).toBe(lab.bob.uri);
    await lab.carol.command('accept');
    expect((await lab.bob.waitFor((e) => e.type === 'CALL_ESTABLISHED' && e.id === incoming.id)).peeruri).toBe(
      lab.carol.uri,
    );
    expect(await recorder.waitFor('ended')).toEqual({ type: 'ended', reason: 'transferred' });
    expect(recorder.types).not.toContain('transferFailed');
  });

  it('a transfer the far end cannot complete is reported as transferFailed', async () => {
    const { leg, recorder } = await establishedFrom(lab, lab.bob);
    const closedPort = await freePorts(1);
    const nowhere = `sip:nobody@127.0.0.1:${closedPort};transport=tcp`;
    await leg.transfer!(nowhere, never());
    expect((await lab.bob.waitForType('TRANSFER', callIdOf(leg))).param).toBe(nowhere);
    // The far end tried the target and failed.
    const attempt = await lab.bob.waitFor((e) => e.type === 'CALL_CLOSED' && e.peeruri === nowhere);
    expect(attempt.param).toBe('Connection refused');
    expect(await recorder.waitFor('transferFailed')).toEqual({ type: 'transferFailed', reason: '500 Connection refused' });
    // baresip 1.0.0 then drops the call without CALL_CLOSED; the adapter notices.
    await recorder.waitFor('ended');
    expect(recorder.types).toEqual(['talking', 'transferFailed', 'ended']);
  });

  it('an outbound call stays dialing while the far end rings, then talks when it answers', async () => {
    const dialled = await lab.phone.dial!(lab.bob.uri, never());
    const recorder = new LegRecorder(dialled);
    expect(dialled.snapshot()).toEqual({ state: 'DIALING', parties: [{ number: 'bob' }], muted: false });
    const incoming = await lab.bob.waitForType('CALL_INCOMING', callIdOf(dialled));
    expect(incoming.peeruri).toBe(lab.agent.uri);
    expect(dialled.snapshot().state).toBe('DIALING');
    await lab.bob.command('accept');
    await recorder.waitFor('talking');
    expect(recorder.types).toEqual(['talking']);
  });

  it('dialling a closed TCP port fails the call', async () => {
    const closedPort = await freePorts(1);
    const dialled = await lab.phone.dial!(`sip:x@127.0.0.1:${closedPort};transport=tcp`, never());
    const recorder = new LegRecorder(dialled);
    expect(await recorder.waitFor('failed')).toEqual({ type: 'failed', reason: 'Connection refused' });
    expect(dialled.snapshot().state).toBe('RELEASED');
  });

  async function dialRejected(scenario: string) {
    const far = await startSippServer(scenario);
    try {
      const dialled = await lab.phone.dial!(far.uri, never());
      const recorder = new LegRecorder(dialled);
      expect(dialled.snapshot()).toEqual({ state: 'DIALING', parties: [{ number: 'far' }], muted: false });
      // sipp exits 0 only when it got our INVITE, sent its answer and got our ACK.
      expect(await far.exited).toBe(0);
      expect(far.messages()).toContain(`Call-ID: ${callIdOf(dialled)}`);
      return { dialled, recorder };
    } finally {
      await far.stop();
    }
  }

  it.skipIf(!sipp.available)('a far end that answers 486 Busy Here makes the call busy', async () => {
    const { recorder } = await dialRejected('uas-busy.xml');
    expect(await recorder.waitFor('busy')).toEqual({ type: 'busy' });
    expect(recorder.types).toEqual(['busy']);
  });

  it.skipIf(!sipp.available)('a far end that answers 503 makes the call fail with that reason', async () => {
    const { recorder } = await dialRejected('uas-unavailable.xml');
    expect(await recorder.waitFor('failed')).toEqual({ type: 'failed', reason: '503 Service Unavailable' });
  });
});
