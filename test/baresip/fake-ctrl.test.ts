/**
 * BaresipPhone's edge cases against a scripted ctrl_tcp (test/support/baresip-fake-ctrl.ts):
 * what a real baresip does not show on demand. The real-phone behaviour is in the other files.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BaresipPhone, legIdForCallId } from '../../src/adapters/baresip/index.js';
import { nextLeg } from '../support/next-leg.js';
import { FakeCtrl, type FakeCommand } from '../support/baresip-fake-ctrl.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';

let fake: FakeCtrl;
let phone: BaresipPhone;
let diagnostics: { code: string; message: string }[];

/** Replies like baresip 1.0.0 for a call list of `callIds` (all reachable by callfind). */
function baresipLike(callIds: Set<string>) {
  return (command: FakeCommand) => {
    if (command.command === 'listcalls') return { ok: true, data: `\n--- Active calls (0) ---\n\n` };
    if (command.command === 'callfind') {
      return callIds.has(command.params ?? '')
        ? { ok: true, data: `setting current call: ${command.params}\n` }
        : { ok: true, data: `call not found (id=${command.params})\n` };
    }
    return { ok: true, data: '' };
  };
}

const incoming = (id: string, extra: Record<string, string> = {}) => ({
  type: 'CALL_INCOMING',
  direction: 'incoming',
  peeruri: 'sip:bob@127.0.0.1:5070',
  id,
  param: 'sip:bob@127.0.0.1:5070',
  ...extra,
});


beforeEach(async () => {
  fake = await FakeCtrl.start();
  fake.handler = baresipLike(new Set());
  diagnostics = [];
  phone = await BaresipPhone.connect({
    port: fake.port,
    commandTimeoutMs: 300,
    checkIntervalMs: 0,
    reconnectDelayMs: 10,
    onDiagnostic: (d) => diagnostics.push(d),
  });
});
afterEach(async () => {
  await phone.close();
  await fake.close();
});

describe('BaresipPhone against a scripted ctrl_tcp', () => {
  it('gives a Call-ID that cannot end a target the base64url of its SHA-256 as leg id', async () => {
    const announced = nextLeg(phone);
    fake.event(incoming('a84b4c76e66710@pc33.example.com', { peerdisplayname: 'Bob B.' }));
    const leg = await announced;
    expect(leg.id).toBe(legIdForCallId('a84b4c76e66710@pc33.example.com'));
    expect(leg.id).not.toContain('@');
    expect(leg.snapshot().parties).toEqual([{ number: 'bob', name: 'Bob B.' }]);
  });

  it('a disposed leg hears nothing more, and its call never comes back as a new leg', async () => {
    const announced = nextLeg(phone);
    fake.event(incoming('c1'));
    const leg = await announced;
    const recorder = new LegRecorder(leg);
    await leg.dispose();
    expect(phone.leg('c1')).toBeUndefined();
    const following = nextLeg(phone);
    fake.event({ type: 'CALL_CLOSED', direction: 'incoming', id: 'c1', param: 'Connection reset by peer' });
    fake.event(incoming('c2'));
    expect((await following).id).toBe('c2');
    expect(recorder.events).toEqual([]);
    expect(phone.legs().map((l) => l.id)).toEqual(['c2']);
  });

  it('ignores a reply with a token that is not ours', async () => {
    fake.handler = (command) => {
      if (command.command === 'about') {
        fake.write(JSON.stringify({ response: true, ok: true, data: 'not for you', token: 'someone-else' }));
        return { ok: true, data: 'for us' };
      }
      return { ok: true, data: '' };
    };
    expect((await phone.command('about')).data).toBe('for us');
  });

  it('treats broken framing as a lost connection and reconnects', async () => {
    fake.writeRaw('12x:garbage');
    await fake.until(() => fake.connectionCount === 2);
    expect(diagnostics.map((d) => d.code)).toContain('connection-lost');
    expect(diagnostics.find((d) => d.code === 'connection-lost')?.message).toMatch(/bad framing/);
  });

  it('a listener that throws is reported and the other listeners still hear the event', async () => {
    const ids = new Set(['c3']);
    fake.handler = baresipLike(ids);
    const announced = nextLeg(phone);
    fake.event(incoming('c3'));
    const leg = await announced;
    leg.subscribe(() => {
      throw new Error('boom');
    });
    const recorder = new LegRecorder(leg);
    fake.event({ type: 'CALL_ESTABLISHED', direction: 'incoming', id: 'c3', param: 'sip:bob@127.0.0.1:5070' });
    await recorder.waitFor('talking');
    expect(diagnostics.some((d) => d.code === 'listener-threw' && /boom/.test(d.message))).toBe(true);
  });

  it('hangs up the call of a cancelled dial when it shows up, without announcing it', async () => {
    const ids = new Set(['out1']);
    fake.handler = baresipLike(ids);
    const controller = new AbortController();
    const dialling = phone.dial!('sip:far@127.0.0.1:5090', controller.signal);
    await fake.until(() => fake.commands.some((c) => c.command === 'dial'));
    controller.abort(new Error('cancelled by release'));
    await expect(dialling).rejects.toThrow('cancelled by release');
    let announced = false;
    phone.onLeg(() => (announced = true));
    fake.event({ type: 'CALL_RINGING', direction: 'outgoing', peeruri: 'sip:far@127.0.0.1:5090', id: 'out1' });
    await fake.until(() => fake.commands.some((c) => c.command === 'hangup'));
    const tail = fake.commands.slice(-2).map((c) => [c.command, c.params]);
    expect(tail).toEqual([['callfind', 'out1'], ['hangup', undefined]]);
    expect(announced).toBe(false);
    expect(phone.leg('out1')).toBeUndefined();
  });

  it('a dial baresip refuses rejects with its reason, and the next dial still works', async () => {
    fake.handler = (command) =>
      command.command === 'dial' && command.params === 'bad' ? { ok: false, data: 'invalid uri\n' } : { ok: true, data: '' };
    await expect(phone.dial!('bad', never())).rejects.toThrow('baresip refused dial: invalid uri');
    const dialling = phone.dial!('sip:far@127.0.0.1:5090', never());
    await fake.until(() => fake.commands.filter((c) => c.command === 'dial').length === 2);
    fake.event({ type: 'CALL_CLOSED', direction: 'outgoing', peeruri: 'sip:far@127.0.0.1:5090', id: 'out2', param: '486 Busy Here' });
    const leg = await dialling;
    const recorder = new LegRecorder(leg);
    // The close came before dial resolved; it is delivered once the caller could subscribe.
    expect(await recorder.waitFor('busy')).toEqual({ type: 'busy' });
  });

  it('after TRANSFER_FAILED, a call baresip no longer has is reported ended', async () => {
    const ids = new Set(['c4']);
    fake.handler = baresipLike(ids);
    const announced = nextLeg(phone);
    fake.event(incoming('c4'));
    const leg = await announced;
    const recorder = new LegRecorder(leg);
    fake.event({ type: 'CALL_ESTABLISHED', direction: 'incoming', id: 'c4' });
    await recorder.waitFor('talking');
    ids.delete('c4');
    fake.event({ type: 'TRANSFER_FAILED', direction: 'incoming', id: 'c4', param: '503 Service Unavailable' });
    expect(await recorder.waitFor('ended')).toEqual({ type: 'ended', reason: 'baresip ended the call after the failed transfer' });
    expect(recorder.types).toEqual(['talking', 'transferFailed', 'ended']);
  });

  it('operations on an ended leg reject, except release, and bad input is refused before baresip sees it', async () => {
    const announced = nextLeg(phone);
    fake.event(incoming('c5'));
    const leg = await announced;
    fake.event({ type: 'CALL_ESTABLISHED', direction: 'incoming', id: 'c5' });
    await new LegRecorder(leg).waitFor('talking');
    const before = fake.commands.length;
    await expect(leg.sendDtmf!('12x', never())).rejects.toThrow('digits may hold only');
    await expect(leg.transfer!('sip:a b', never())).rejects.toThrow('printable characters without spaces');
    expect(fake.commands.length).toBe(before);

    fake.event({ type: 'CALL_CLOSED', direction: 'incoming', id: 'c5', param: 'Connection reset by peer' });
    await new LegRecorder(leg).waitFor('ended').catch(() => undefined);
    await fake.until(() => leg.snapshot().state === 'RELEASED');
    await expect(leg.hold(never())).rejects.toThrow('the call has ended');
    await expect(leg.release(never())).resolves.toBeUndefined();
  });

  it('answer waits for baresip to report the call established, and a close stops that wait', async () => {
    const ids = new Set(['c6', 'c7']);
    fake.handler = baresipLike(ids);
    let announced = nextLeg(phone);
    fake.event(incoming('c6'));
    const first = await announced;
    const answering = first.answer(never());
    await fake.until(() => fake.commands.some((c) => c.command === 'accept'));
    fake.event({ type: 'CALL_ESTABLISHED', direction: 'incoming', id: 'c6' });
    await answering;
    expect(first.snapshot().state).toBe('TALKING');

    announced = nextLeg(phone);
    fake.event(incoming('c7'));
    const second = await announced;
    const waiting = second.answer(never());
    await fake.until(() => fake.commands.filter((c) => c.command === 'accept').length === 2);
    await phone.close();
    await expect(waiting).rejects.toThrow('the baresip phone was closed');
  });
});
