/**
 * A three-party conference on real calls: the linphone agent (registered with a sipp registrar)
 * talks with bob, conferences carol in, and linphone-daemon mixes the two calls. Bob and carol
 * are baresip phones sending a sine tone each (550 Hz and 660 Hz) and recording what they
 * receive: tone detection shows carol hears bob through the agent's mix, and bob's baresip
 * reports the mix's RTP arriving (the agent has no microphone, so it sent bob nothing before).
 * Removing carol ends her call and leaves the agent and bob talking. baresip 1.0.0 stops decoding
 * after being held and retrieved (which the first party of a conference is), so the second test
 * checks both directions by tone detection between two consulted parties, with a linphone
 * far end (dave) as the first party: bob hears carol and carol hears bob.
 *
 * The second part needs only linphone far ends: a consulted party who never answers (the phone's
 * own ring timeout, short here, hangs the consult call up) and a conference aborted while its
 * `call` is in flight. For the abort the phone talks to its daemon through a relay that fires
 * the abort when the `call` line passes: the daemon has then placed the call and paused the
 * original one, which the phone hears of only after the reply (docs/linphone.md, "Conference").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinphonePhone, type LinphoneDaemon } from '../../src/adapters/linphone/index.js';
import { nextLeg } from '../support/next-leg.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';
import { CALL_OVER, LinphoneFarEnd, startLinphone, startRegistrar, type Registrar } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';
import { readPcm, receivedAudioFile, toneShare, waitForSamples } from '../support/tone.js';
import { UnixProxy } from '../support/unix-proxy.js';
import path from 'node:path';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');
const baresip = programAvailable('baresip', 'baresip-core');
const sipp = programAvailable('sipp', 'sip-tester');
const BOB_HZ = 550;
const CAROL_HZ = 660;
/** What baresip prints once RTP arrives on a call's audio stream. */
const RTP_ARRIVING = /incoming rtp for 'audio' established/;

/** Resolves once `test` passes (checked every 50 ms; the test's timeout bounds the wait). */
/** The next leg `phone` announces. */
async function until(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe.skipIf(!linphone.available || !baresip.available || !sipp.available)('LinphonePhone conference on real calls', () => {
  let registrar: Registrar;
  let agent: LinphoneDaemon;
  let bobPhone: BaresipInstance;
  let carolPhone: BaresipInstance;
  let bob: FarEnd;
  let carol: FarEnd;
  let phone: LinphonePhone;

  beforeAll(async () => {
    registrar = await startRegistrar();
    [agent, bobPhone, carolPhone] = await Promise.all([
      startLinphone('agent'),
      startBaresip('bob', { toneHz: BOB_HZ, record: true }),
      startBaresip('carol', { toneHz: CAROL_HZ, record: true, answermode: 'auto' }),
    ]);
    bob = await FarEnd.connect(bobPhone);
    carol = await FarEnd.connect(carolPhone);
    phone = await LinphonePhone.connect({
      socket: agent.socket,
      account: { identity: 'sip:agent@127.0.0.1', proxy: registrar.proxy },
    });
  }, 60_000);

  afterAll(async () => {
    await phone?.close();
    bob?.close();
    carol?.close();
    await Promise.all([agent?.stop(), bobPhone?.stop(), carolPhone?.stop()]);
    await registrar?.stop();
  }, 60_000);

  /** The share of `hz` in the last half second `far` received, once it has `atLeast` samples. */
  async function heard(far: BaresipInstance, hz: number, atLeast: number): Promise<number> {
    const pcm = await waitForSamples(path.join(far.dir, 'audio'), atLeast);
    const window = Math.floor(pcm.rate / 2);
    return toneShare(pcm.samples.subarray(pcm.samples.length - window), pcm.rate, hz);
  }

  /**
   * The tone's share once the mix carries it: half-second windows, each 1.5 s of new audio after
   * the last, up to eight. On a loaded machine the mix can take a few seconds to start (a CI run
   * read 0.003 and 0.485 in the first window), so the first window alone could fail a call that
   * works; a mix that never carries the tone still fails.
   */
  async function heardOnceMixed(far: BaresipInstance, hz: number, from: number): Promise<number> {
    let share = 0;
    for (let step = 1; step <= 8 && share <= 0.5; step += 1) share = await heard(far, hz, from + step * 12_000);
    return share;
  }

  function samplesNow(far: BaresipInstance): number {
    const file = receivedAudioFile(path.join(far.dir, 'audio'));
    return file ? readPcm(file).samples.length : 0;
  }

  it('conference joins carol (held, partyAdded, talking); carol hears bob through the mix and bob gets its RTP; removeParty leaves the agent and bob talking', async () => {
    const announced = nextLeg(phone);
    await bob.command('dial', agent.uri);
    const leg = await announced;
    const recorder = new LegRecorder(leg);
    await leg.answer(never());
    await bob.waitForType('CALL_ESTABLISHED');

    const bobRtpBeforeConference = RTP_ARRIVING.test(bobPhone.log());
    await leg.conference!(carolPhone.uri, never());
    await recorder.waitFor('partyAdded');
    await recorder.waitFor('talking');
    const afterConference = recorder.types.slice(recorder.types.indexOf('held'));
    expect(afterConference).toEqual(['held', 'partyAdded', 'talking']);
    expect(leg.snapshot().parties.map((party) => party.number)).toEqual(['bob', 'carol']);
    await carol.waitForType('CALL_ESTABLISHED');

    // The agent has no microphone: whatever bob and carol receive now comes from the mix.
    // Carol (never held) records what she decodes: bob's tone, not her own.
    const carolFrom = samplesNow(carolPhone);
    expect(await heardOnceMixed(carolPhone, BOB_HZ, carolFrom)).toBeGreaterThan(0.5);
    expect(await heard(carolPhone, CAROL_HZ, 0)).toBeLessThan(0.2);
    // Bob was held and retrieved on the way in, and baresip 1.0.0 then stops decoding what it
    // receives (its recording stays empty, with any far end): for bob the check is the RTP
    // itself. The agent sent bob nothing before the conference; now bob's baresip reports the
    // agent's RTP arriving.
    expect(bobRtpBeforeConference).toBe(false);
    await until(() => RTP_ARRIVING.test(bobPhone.log()));

    await leg.removeParty!('carol', never());
    await recorder.waitFor('partyRemoved');
    await carol.waitForType('CALL_CLOSED');
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
    expect(bob.events.some((event) => event.type === 'CALL_CLOSED')).toBe(false);
    // Still a working call: the agent holds and retrieves bob.
    await leg.hold(never());
    expect(leg.snapshot().state).toBe('HELD');
    await leg.retrieve(never());
    expect(leg.snapshot().state).toBe('TALKING');
    await leg.release(never());
    await bob.waitForType('CALL_CLOSED');
  }, 120_000);

  it('a conference of three far ends: two consulted baresip parties hear each other through the mix', async () => {
    const dave = await LinphoneFarEnd.connect(await startLinphone('dave'));
    try {
      const announced = nextLeg(phone);
      const daveCall = await dave.call(agent.uri);
      const leg = await announced;
      const recorder = new LegRecorder(leg);
      await leg.answer(never());
      await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallStreamsRunning');
      const bobFrom = bob.events.length;
      await leg.conference!(bobPhone.uri, never());
      const bobIncoming = await bob.waitForType('CALL_INCOMING', undefined, bobFrom);
      await bob.command('accept');
      await recorder.waitFor('partyAdded');
      const carolFrom = carol.events.length;
      await leg.conference!(carolPhone.uri, never());
      await carol.waitForType('CALL_ESTABLISHED', undefined, carolFrom);
      while (leg.snapshot().parties.length < 3) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(leg.snapshot().parties.map((party) => party.number)).toEqual(['dave', 'bob', 'carol']);
      const bobSamples = samplesNow(bobPhone);
      const carolSamples = samplesNow(carolPhone);
      expect(await heardOnceMixed(bobPhone, CAROL_HZ, bobSamples)).toBeGreaterThan(0.5);
      expect(await heardOnceMixed(carolPhone, BOB_HZ, carolSamples)).toBeGreaterThan(0.5);
      expect(bobIncoming.id).toBeDefined();
      await leg.release(never());
      await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallEnd');
    } finally {
      await dave.close();
      await dave.daemon.stop();
    }
  }, 120_000);

  it('the agent daemon is still running', () => {
    expect(agent.alive()).toBe(true);
  });
});

describe.skipIf(!linphone.available || !sipp.available)('LinphonePhone conference: no answer and an abort, on real calls', () => {
  /** The consult call's ring timeout here: short, so the no-answer test is quick. */
  const NO_ANSWER_MS = 1500;
  let registrar: Registrar;
  let agent: LinphoneDaemon;
  let dave: LinphoneFarEnd;
  let erin: LinphoneFarEnd;
  let relay: UnixProxy;
  let phone: LinphonePhone;

  beforeAll(async () => {
    registrar = await startRegistrar();
    const daemons = await Promise.all([startLinphone('agent'), startLinphone('dave'), startLinphone('erin')]);
    agent = daemons[0];
    dave = await LinphoneFarEnd.connect(daemons[1]);
    erin = await LinphoneFarEnd.connect(daemons[2]);
    relay = await UnixProxy.start(agent.socket);
    phone = await LinphonePhone.connect({
      socket: relay.path,
      account: { identity: 'sip:agent@127.0.0.1', proxy: registrar.proxy },
      consultAnswerTimeoutMs: NO_ANSWER_MS,
    });
  }, 60_000);

  afterAll(async () => {
    await phone?.close();
    await relay?.close();
    for (const far of [dave, erin]) await far?.close();
    await Promise.all([agent?.stop(), dave?.daemon.stop(), erin?.daemon.stop()]);
    await registrar?.stop();
  }, 60_000);

  /** Dave calls the agent, the agent answers; resolves once both talk. */
  async function talkingWithDave() {
    const announced = nextLeg(phone);
    const daveCall = await dave.call(agent.uri);
    const leg = await announced;
    const recorder = new LegRecorder(leg);
    await leg.answer(never());
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallStreamsRunning');
    return { leg, recorder, daveCall };
  }

  /** Waits until dave's call was held by the agent (from event index `from`) and then resumed. */
  async function daveHeldThenResumed(daveCall: number, from: number): Promise<void> {
    const held = await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallPausedByRemote', from);
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallStreamsRunning', dave.events.indexOf(held) + 1);
  }

  it('no answer: the consulted phone stops ringing, conferenceFailed says no answer, and dave talks with the agent again', async () => {
    const { leg, recorder, daveCall } = await talkingWithDave();
    const daveFrom = dave.events.length;
    const erinFrom = erin.events.length;
    await leg.conference!(erin.uri, never());
    const erinCall = await erin.incoming(erinFrom);
    const failed = await recorder.waitFor('conferenceFailed');
    expect(failed.reason).toMatch(/no answer/);
    await erin.waitFor((event) => event.id === erinCall && CALL_OVER.test(event.state), erinFrom);
    expect(erin.events.slice(erinFrom).some((event) => event.id === erinCall && event.state === 'LinphoneCallStreamsRunning')).toBe(false);
    await daveHeldThenResumed(daveCall, daveFrom);
    await until(() => leg.snapshot().state === 'TALKING');
    expect(recorder.types.slice(recorder.types.indexOf('held'))).toEqual(['held', 'conferenceFailed', 'talking']);
    expect(leg.snapshot().parties).toEqual([{ number: 'dave' }]);
    await leg.release(never());
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallEnd');
  });

  it('no answer while the daemon connection is down: the consulted phone rings on until the connection is back, then the phone hangs it up', async () => {
    const { leg, recorder, daveCall } = await talkingWithDave();
    const erinFrom = erin.events.length;
    await leg.conference!(erin.uri, never());
    // Cut the phone off before its ring timeout: when that fires, `terminate` cannot reach the daemon.
    relay.block();
    relay.dropAll();
    try {
      const erinCall = await erin.incoming(erinFrom);
      const failed = await recorder.waitFor('conferenceFailed');
      expect(failed.reason).toMatch(/no answer/);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const over = () => erin.events.slice(erinFrom).some((event) => event.id === erinCall && CALL_OVER.test(event.state));
      expect(over()).toBe(false);
      relay.unblock();
      await erin.waitFor((event) => event.id === erinCall && CALL_OVER.test(event.state), erinFrom);
    } finally {
      relay.unblock();
    }
    // The phone is back (it just hung erin up). It could not retrieve dave while cut off: the
    // leg stays held until the agent retrieves it.
    expect(leg.snapshot().state).toBe('HELD');
    await leg.retrieve(never());
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'dave' }], muted: false });
    await leg.release(never());
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallEnd');
  }, 30_000);

  it('an abort while the consult call is being placed hangs it up, and dave, whom the daemon paused meanwhile, talks again', async () => {
    const { leg, recorder, daveCall } = await talkingWithDave();
    const daveFrom = dave.events.length;
    const erinFrom = erin.events.length;
    const controller = new AbortController();
    relay.onClientData = (text) => {
      if (text.startsWith(`call ${erin.uri}`)) controller.abort(new Error('cancelled by release'));
    };
    try {
      await expect(leg.conference!(erin.uri, controller.signal)).rejects.toThrow('cancelled by release');
    } finally {
      relay.onClientData = undefined;
    }
    expect(controller.signal.aborted).toBe(true);
    await daveHeldThenResumed(daveCall, daveFrom);
    await until(() => leg.snapshot().state === 'TALKING');
    expect(recorder.types).toEqual(['talking', 'held', 'talking']);
    const erinCall = await erin.incoming(erinFrom);
    await erin.waitFor((event) => event.id === erinCall && CALL_OVER.test(event.state), erinFrom);
    expect(erin.events.slice(erinFrom).some((event) => event.state === 'LinphoneCallStreamsRunning')).toBe(false);
    // Still a working call: the agent holds and retrieves dave.
    await leg.hold(never());
    await leg.retrieve(never());
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'dave' }], muted: false });
    await leg.release(never());
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallEnd');
  });

  it('the agent daemon is still running', () => {
    expect(agent.alive()).toBe(true);
  });
});
