/**
 * A dial whose call never showed up must not take over the next call's first event: after
 * dialClaimMs the dial is disarmed (and fails, unless it was cancelled), and the next outgoing
 * call is announced as a leg of its own, not hung up and not handed to the old dial.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaresipPhone } from '../../src/adapters/baresip/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { FakeCtrl } from '../support/baresip-fake-ctrl.js';
import { never } from '../support/baresip-recorder.js';

let fake: FakeCtrl;
let phone: BaresipPhone;
let diagnostics: { code: string; message: string }[];

beforeEach(async () => {
  fake = await FakeCtrl.start();
  fake.handler = (command) =>
    command.command === 'listcalls'
      ? { ok: true, data: '\n--- Active calls (0) ---\n\n' }
      : command.command === 'callfind'
        ? { ok: true, data: `setting current call: ${command.params}\n` }
        : { ok: true, data: '' };
  diagnostics = [];
  phone = await BaresipPhone.connect({ port: fake.port, commandTimeoutMs: 300, checkIntervalMs: 0, reconnectDelayMs: 10, dialClaimMs: 50, onDiagnostic: (d) => diagnostics.push(d) });
});
afterEach(async () => {
  await phone.close();
  await fake.close();
});

function announced(): TelephonyLeg[] {
  const legs: TelephonyLeg[] = [];
  phone.onLeg((leg) => legs.push(leg));
  return legs;
}

/** Polls: the fake's own wait only re-checks when a command arrives. */
async function poll(test: () => boolean): Promise<void> {
  while (!test()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const outgoing = (id: string) => ({ type: 'CALL_RINGING', direction: 'outgoing', peeruri: 'sip:other@127.0.0.1:5090', id });

describe('dial arming', () => {
  it('a dial whose call never shows up fails after dialClaimMs, and the next outgoing call is a leg of its own', async () => {
    const legs = announced();
    const first = phone.dial!('sip:far@127.0.0.1:5090', never());
    await expect(first).rejects.toThrow(/no call showed up within 50 ms/);
    expect(diagnostics.some((d) => d.code === 'dial-unclaimed')).toBe(true);
    fake.event(outgoing('later-1'));
    await poll(() => legs.length === 1);
    expect(legs[0]!.snapshot().state).toBe('DIALING');
    expect(fake.commands.some((c) => c.command === 'hangup')).toBe(false);
  });

  it('a cancelled dial whose call never showed up does not hang up the next outgoing call', async () => {
    const legs = announced();
    const controller = new AbortController();
    const dialling = phone.dial!('sip:far@127.0.0.1:5090', controller.signal);
    await fake.until(() => fake.commands.some((c) => c.command === 'dial'));
    controller.abort(new Error('cancelled'));
    await expect(dialling).rejects.toThrow('cancelled');
    await poll(() => diagnostics.some((d) => d.code === 'dial-unclaimed'));
    fake.event(outgoing('later-2'));
    await poll(() => legs.length === 1);
    expect(fake.commands.some((c) => c.command === 'hangup')).toBe(false);
  });

  it('a dial whose call shows up in time is still claimed by it', async () => {
    const legs = announced();
    const dialling = phone.dial!('sip:far@127.0.0.1:5090', never());
    await fake.until(() => fake.commands.some((c) => c.command === 'dial'));
    fake.event(outgoing('mine'));
    const leg = await dialling;
    expect(leg.id).toBe(legs[0]!.id);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(diagnostics.some((d) => d.code === 'dial-unclaimed')).toBe(false);
  });
});
