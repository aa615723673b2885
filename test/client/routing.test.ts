/**
 * What the client answers itself (unknown legs, destinations it does not implement, disposed
 * legs), what it cannot answer (frames without an address), and how it survives bad bytes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { encodeFrame } from '../../src/wire/index.js';
import { startRig, type Rig } from './helpers/call-rig.js';
import { gatedSchedule } from './helpers/gated-schedule.js';

const caller = { number: '+15551230001' };
let rig: Rig | undefined;

afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('bridge client routing', () => {
  it('answers FAILURE "unknown leg" for a target whose last segment is no leg, echoing the header', async () => {
    rig = await startRig();
    const response = await rig.sim.request('PB1.AGENT.1001.TEL.I-1.nope', 'hold', {}, { requestId: 'req-1' });
    expect(response).toEqual({
      header: {
        type: 'cti.response',
        name: 'conversation.request.hold',
        target: 'PB1.AGENT.1001.TEL.I-1.nope',
        requestId: 'req-1',
        result: 'FAILURE',
        errorMessage: 'hold: the phone has no call leg "nope" (unknown leg)',
      },
      body: {},
    });
    const init = await rig.sim.init('PB1.X.nope');
    expect(init.header.errorMessage).toContain('unknown leg');
    expect((await rig.diagnostic('unknown-leg')).target).toBe('PB1.AGENT.1001.TEL.I-1.nope');
  });

  it('answers FAILURE "not implemented" for a destination kind it does not serve', async () => {
    rig = await startRig();
    rig.phone.ring(caller, { id: 'leg-1' });
    const accept = await rig.sim.send({
      header: { type: 'cti.request', name: 'interaction.request.accept', target: 'PB1.AGENT.1001.TEL.I-1', requestId: 'a-1' },
      body: {},
    });
    expect(accept!.header).toMatchObject({ result: 'FAILURE', name: 'interaction.request.accept', requestId: 'a-1' });
    expect(accept!.header.errorMessage).toBe(
      'accept: this client does not implement the interaction destination (interaction.request.accept is not implemented)',
    );
    // Even when the last segment happens to be a leg id.
    const control = await rig.sim.send({
      header: { type: 'cti.query', name: 'cti.query.capabilities', target: 'PB1.leg-1', requestId: 'c-1' },
      body: {},
    });
    expect(control!.header.errorMessage).toContain('not implemented');
    expect(rig.sim.report().violations).toEqual([]);
  });

  it('gives no response to a frame it cannot address, and answers the next one', async () => {
    rig = await startRig();
    rig.phone.ring(caller, { id: 'leg-1' });
    await rig.sim.send({ header: { type: 'cti.request', name: 'conversation.request.hold', target: 'A.leg-1' }, body: {} });
    await rig.sim.send({ header: { type: 'cti.event', name: 'conversation.ringing', target: 'A.leg-1', requestId: 'e' }, body: {} });
    await rig.sim.send({ body: {} });
    const init = await rig.sim.init('A.leg-1');
    expect(init.header.result).toBe('SUCCESS');
    expect(rig.diagnostics.filter((d) => d.code === 'malformed-header').map((d) => d.message)).toEqual([
      "the frame's header lacks a string requestId; no response is possible",
      'a client accepts only cti.query and cti.request frames, not "cti.event"; no response is possible',
      'the frame has no header object; no response is possible',
    ]);
    expect(rig.sim.report().counts.responses).toBe(1);
  });

  it('routes a later init on another target to the same leg, which answers "moved" on the old one', async () => {
    rig = await startRig();
    rig.phone.ring(caller, { id: 'leg-1' });
    await rig.sim.init('OLD.leg-1');
    await rig.sim.waitForEvent('OLD.leg-1', 'ringing');
    const moved = await rig.sim.init('NEW.leg-1');
    expect(moved.header.result).toBe('SUCCESS');
    const old = await rig.sim.request('OLD.leg-1', 'answer');
    expect(old.header.result).toBe('FAILURE');
    expect(old.header.errorMessage).toContain('moved');
    const answer = await rig.sim.request('NEW.leg-1', 'answer');
    expect(answer.header.result).toBe('SUCCESS');
    await rig.sim.waitForEvent('NEW.leg-1', 'talking');
    expect(rig.phone.leg('leg-1')!.calls.map((c) => c.operation)).toEqual(['answer']);
  });

  it('drops a non-JSON frame and garbage that reads as a small length, then answers the next request', async () => {
    rig = await startRig();
    rig.phone.ring(caller, { id: 'leg-1' });
    const content = Buffer.from('this is not json');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(content.length, 0);
    // A bad frame and a good one in the same write, the good one split from the bad one.
    rig.sim.sendBytes(Buffer.concat([length, content, encodeFrame([1, 2])]));
    const init = await rig.sim.init('A.leg-1');
    expect(init.header.result).toBe('SUCCESS');
    expect(rig.diagnostics.filter((d) => d.code === 'bad-frame').map((d) => d.message)).toEqual([
      'the bridge sent a bad frame: the frame is not valid JSON; dropped (16 bytes)',
      'the bridge sent a bad frame: the frame holds an array, not a JSON object; dropped (5 bytes)',
    ]);
    expect(rig.client.state).toBe('connected');
    expect(rig.sim.connectionCount).toBe(1);
  });

  it('closes the connection on a length over the limit, says why, and reconnects', async () => {
    rig = await startRig({ client: { maxFrameBytes: 4096 } });
    rig.phone.ring(caller, { id: 'leg-1' });
    await rig.sim.init('A.leg-1');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(4097, 0);
    rig.sim.sendBytes(length);
    await rig.sim.waitForConnection(2);
    const fatal = await rig.diagnostic('frame-too-large');
    expect(fatal.level).toBe('error');
    expect(fatal.message).toContain('announced 4097 bytes, over the limit of 4096 bytes');
    expect((await rig.diagnostic('disconnected')).message).toContain('over the limit');
    // The leg waits for its init again on the new connection.
    const again = await rig.sim.init('A.leg-1');
    expect(again.body).toMatchObject({ 'conversation-state': 'RINGING' });
    expect(rig.sim.report().violations).toEqual([]);
  });
});

describe('bridge client logging', () => {
  it('writes readable lines to an injected logger, at a level per kind', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (l: string) => lines.push(`debug ${l}`),
      info: (l: string) => lines.push(`info ${l}`),
      warn: (l: string) => lines.push(`warn ${l}`),
      error: (l: string) => lines.push(`error ${l}`),
    };
    rig = await startRig({ client: { logger } });
    await rig.sim.request('A.nope', 'hold');
    expect(lines[0]).toMatch(/^info bridge client: connected to the bridge at 127\.0\.0\.1:\d+ code=connected$/);
    expect(lines).toContain('warn bridge client: hold: the phone has no call leg "nope" (unknown leg) code=unknown-leg leg=nope target=A.nope');
  });
});

describe('duplicate requestIds on one connection', () => {
  it('answers each frame once while the operation runs once', async () => {
    const gate = gatedSchedule(777);
    rig = await startRig({ phone: { schedule: gate.schedule, latencyMs: (op) => (op === 'answer' ? 777 : 0) } });
    const leg = rig.phone.ring(caller, { id: 'leg-1' });
    await rig.sim.init('A.leg-1');
    const first = rig.sim.request('A.leg-1', 'answer', {}, { requestId: 'dup' });
    await gate.waiting();
    const second = rig.sim.request('A.leg-1', 'answer', {}, { requestId: 'dup' });
    gate.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.header).toMatchObject({ result: 'SUCCESS', requestId: 'dup' });
    expect(b).toEqual(a);
    const third = await rig.sim.request('A.leg-1', 'answer', {}, { requestId: 'dup' });
    expect(third).toEqual(a);
    expect(leg.calls.map((c) => c.operation)).toEqual(['answer']);
    expect(rig.sim.report().violations).toEqual([]);
  });
});

describe('frames over TCP, split and coalesced', () => {
  const init = (target: string, requestId: string) => ({
    header: { type: 'cti.query', name: 'conversation.query.init', target, requestId },
    body: {},
  });
  const answer = (target: string, requestId: string) => ({
    header: { type: 'cti.request', name: 'conversation.request.answer', target, requestId },
    body: {},
  });

  it('answers frames cut inside their length and content, and frames coalesced in one write', async () => {
    rig = await startRig();
    rig.phone.ring(caller, { id: 'leg-1' });
    rig.phone.ring(caller, { id: 'leg-2' });
    const messages = [init('A.leg-1', 'i1'), init('A.leg-2', 'i2'), answer('A.leg-1', 'a1')];
    const first = encodeFrame(messages[0]).length;
    const second = encodeFrame(messages[1]).length;
    // Cut inside the first length prefix, inside the second one, and inside the third frame's content.
    const split = await rig.sim.sendSplit(messages, [2, first + 1, first + 3, first + second + 10]);
    expect(split.map((r) => [r!.header.requestId, r!.header.result])).toEqual([
      ['i1', 'SUCCESS'],
      ['i2', 'SUCCESS'],
      ['a1', 'SUCCESS'],
    ]);
    // Then all in one write.
    const coalesced = await rig.sim.sendSplit([answer('A.leg-2', 'a2'), answer('A.leg-1', 'a3'), init('A.leg-1', 'i3')]);
    expect(coalesced.map((r) => [r!.header.requestId, r!.header.result])).toEqual([
      ['a2', 'SUCCESS'],
      ['a3', 'SUCCESS'],
      ['i3', 'SUCCESS'],
    ]);
    expect(coalesced[2]!.body['conversation-state']).toBe('TALKING');
    expect(rig.sim.report().violations).toEqual([]);
  });
});
