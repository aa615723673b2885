/**
 * A lost control connection: what was in flight fails with a clear reason, the phone reconnects
 * by itself and asks baresip about every leg again. The relay between the phone and baresip lets
 * the test break the connection; the far ends are real baresip phones.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { programAvailable } from '../support/require-program.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { never } from '../support/baresip-recorder.js';
import { BaresipPhone } from '../../src/adapters/baresip/index.js';
import { callAgent, callIdOf, clearCalls, establishedFrom, nextLeg, startPhoneLab, type PhoneLab } from './phone-lab.js';

const baresip = programAvailable('baresip', 'baresip-core');

describe.skipIf(!baresip.available)('BaresipPhone losing its control connection', () => {
  let lab: PhoneLab;

  beforeAll(async () => {
    lab = await startPhoneLab({ viaProxy: true, commandTimeoutMs: 1500, checkIntervalMs: 150 });
  });
  afterEach(async () => {
    lab.proxy!.refuse(false);
    await connected();
    await clearCalls(lab);
  });
  afterAll(async () => {
    await lab?.stop();
  });

  async function connected(): Promise<void> {
    if (!lab.phone.connected) await lab.diagnostic('reconnected', lab.diagnostics.length - 1);
  }

  it('an unanswered command fails the operation in flight with a clear reason, then the call goes on', async () => {
    await connected();
    const { leg } = await establishedFrom(lab, lab.bob);
    const from = lab.diagnostics.length;
    lab.proxy!.silence();
    // Lost under the hold itself, or under the periodic check just before it: either way it says why.
    await expect(leg.hold(never())).rejects.toThrow(/baresip control connection (was lost \(|is down \(lost: )baresip did not answer/);
    await lab.diagnostic('reconnected', from);
    expect(leg.snapshot().state).toBe('TALKING'); // the call is still there: no event

    const offers = lab.bob.events.length;
    await leg.hold(never());
    await lab.bob.waitFor((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer', offers);
    expect(await lab.bob.audioDirection(callIdOf(leg))).toBe('recvonly');
    await clearCalls(lab);
  });

  it('the periodic check notices a connection that went silent while idle', async () => {
    await connected();
    const from = lab.diagnostics.length;
    lab.proxy!.silence();
    expect((await lab.diagnostic('connection-lost', from)).message).toMatch(/did not answer "listcalls"/);
    await lab.diagnostic('reconnected', from);
    expect(lab.phone.connected).toBe(true);
  });

  it('operations while the connection is down fail at once; legs that ended meanwhile are reported ended', async () => {
    await connected();
    const gone = await establishedFrom(lab, lab.bob);
    const stays = await callAgent(lab, lab.carol);
    const from = lab.diagnostics.length;

    lab.proxy!.refuse(true);
    lab.proxy!.cut();
    await lab.diagnostic('connection-lost', from);
    await expect(stays.leg.answer(never())).rejects.toThrow(/control connection is down/);

    // bob hangs up while the phone cannot hear baresip.
    await lab.bob.onCall(callIdOf(gone.leg), 'hangup');
    await lab.bob.waitForType('CALL_CLOSED', callIdOf(gone.leg));
    expect(gone.leg.snapshot().state).toBe('TALKING');

    lab.proxy!.refuse(false);
    expect(await gone.recorder.waitFor('ended')).toEqual({
      type: 'ended',
      reason: 'the call ended while the baresip control connection was down',
    });
    // carol's call is still there and still works.
    expect(stays.leg.snapshot().state).toBe('RINGING');
    await stays.leg.answer(never());
    await stays.recorder.waitFor('talking');
    await lab.carol.waitForType('CALL_ESTABLISHED', callIdOf(stays.leg));
    expect(stays.recorder.types).toEqual(['talking']);
    await clearCalls(lab);
  });

  it('a dial in flight when the connection drops fails with the reason', async () => {
    await connected();
    lab.proxy!.silence();
    await expect(lab.phone.dial!(lab.bob.uri, never())).rejects.toThrow(/control connection was lost/);
    await connected();
  });

  it('a call that began while the connection was down is adopted after reconnecting', async () => {
    await connected();
    const from = lab.diagnostics.length;
    lab.proxy!.refuse(true);
    lab.proxy!.cut();
    await lab.diagnostic('connection-lost', from);

    const bobFrom = lab.bob.events.length;
    await lab.bob.command('dial', lab.agent.uri);
    const ringing = await lab.bob.waitFor((e) => e.direction === 'outgoing' && e.id !== undefined, bobFrom);
    const announced = nextLeg(lab.phone);
    lab.proxy!.refuse(false);
    const { leg, recorder } = await announced;
    expect(leg.id).toBe(ringing.id);
    expect(leg.snapshot()).toEqual({ state: 'RINGING', parties: [{ number: 'bob' }], muted: false });
    await leg.answer(never());
    await lab.bob.waitForType('CALL_ESTABLISHED', ringing.id);
    expect(recorder.types).toEqual(['talking']);
    await clearCalls(lab);
  });

  it('a phone that connects to a baresip with calls adopts them, a held one as HELD', async () => {
    await connected();
    const { leg } = await establishedFrom(lab, lab.bob);
    const holdOffer = lab.bob.events.length;
    await leg.hold(never());
    await lab.bob.waitFor((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer', holdOffer);
    const ringing = await callAgent(lab, lab.carol);
    // Keep the lab's phone away (it would take the control port back), then connect a new one.
    const from = lab.diagnostics.length;
    lab.proxy!.refuse(true);
    lab.proxy!.cut();
    await lab.diagnostic('connection-lost', from);
    const fresh = await BaresipPhone.connect({ port: lab.agent.ctrlPort });
    try {
      const held = fresh.leg(leg.id);
      expect(held?.snapshot()).toEqual({ state: 'HELD', parties: [{ number: 'bob' }], muted: false });
      expect(fresh.leg(ringing.leg.id)?.snapshot()).toEqual({ state: 'RINGING', parties: [{ number: 'carol' }], muted: false });
      // The adopted leg works: retrieve it and bob hears it as sendrecv again.
      const offers = lab.bob.events.length;
      await held!.retrieve(never());
      expect(held!.snapshot().state).toBe('TALKING');
      await lab.bob.waitFor((e) => e.type === 'CALL_REMOTE_SDP' && e.param === 'offer', offers);
      expect(await lab.bob.audioDirection(callIdOf(leg))).toBe('sendrecv');
      for (const adopted of fresh.legs()) await adopted.release(never());
    } finally {
      await fresh.close();
    }
    lab.proxy!.refuse(false);
    await connected();
    await clearCalls(lab);
  });

  it('a call answered and held at the phone while the connection was down catches up after reconnecting', async () => {
    await connected();
    const { leg, recorder } = await callAgent(lab, lab.bob);
    const from = lab.diagnostics.length;
    lab.proxy!.refuse(true);
    lab.proxy!.cut();
    await lab.diagnostic('connection-lost', from);

    // Someone else drives the agent's baresip meanwhile: answers the call, then holds it.
    const other = await FarEnd.connect(lab.agent);
    try {
      await other.onCall(callIdOf(leg), 'accept');
      await lab.bob.waitForType('CALL_ESTABLISHED', callIdOf(leg));
      await other.onCall(callIdOf(leg), 'hold');
    } finally {
      other.close();
    }
    expect(leg.snapshot().state).toBe('RINGING');

    lab.proxy!.refuse(false);
    await recorder.waitFor('held');
    expect(recorder.types).toEqual(['talking', 'held']);
    expect(leg.snapshot().state).toBe('HELD');
    await clearCalls(lab);
  });
});
