/**
 * A lost control connection: what was in flight fails with a clear reason, the phone reconnects
 * by itself and asks baresip about every leg again. The relay between the phone and baresip lets
 * the test break the connection; the far ends are real baresip phones.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { programAvailable } from '../support/require-program.js';
import { never } from '../support/baresip-recorder.js';
import { callAgent, callIdOf, clearCalls, establishedFrom, startPhoneLab, type PhoneLab } from './phone-lab.js';

const baresip = programAvailable('baresip', 'baresip-core');

describe.skipIf(!baresip.available)('BaresipPhone losing its control connection', () => {
  let lab: PhoneLab;

  beforeAll(async () => {
    lab = await startPhoneLab({ viaProxy: true, commandTimeoutMs: 400, checkIntervalMs: 150 });
  });
  afterEach(async () => {
    lab.proxy!.refuse(false);
    await connected();
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
    await expect(leg.hold(never())).rejects.toThrow(/baresip control connection was lost \(baresip did not answer/);
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
});
