/**
 * The simulator against a hand-driven client: a client that follows the rules gets a passing
 * report; a deliberately broken one gets each of its faults flagged under the right invariant.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  BridgeConnectionClosedError,
  createBridgeSimulator,
  formatReport,
  type BridgeSimulator,
} from '../../src/simulator/index.js';
import { connectRawClient, event, respondTo, type RawClient } from './helpers/raw-client.js';

const T = 'PB1.AGENT.1001.TEL.I-1.leg-1';
const ringingInit = { 'conversation-state': 'RINGING', parties: [{ number: '+15551230001', name: 'Pat' }] };

let sim: BridgeSimulator;
let client: RawClient | undefined;

afterEach(async () => {
  await client?.close();
  client = undefined;
  await sim?.close();
});

async function start() {
  sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
  client = await connectRawClient(sim.port);
  await sim.waitForConnection();
  return client;
}

function violations(id: string) {
  return sim.report().invariants.find((i) => i.id === id)!.violations.map((v) => v.message);
}

describe('bridge simulator with a well-behaved hand-driven client', () => {
  it('resolves init and requests with their responses, collects events and passes', async () => {
    const c = await start();
    const init = sim.init(T);
    const q = await c.message(0);
    expect(q['header']).toMatchObject({ type: 'cti.query', name: 'conversation.query.init', target: T });
    expect((q['header'] as Record<string, string>)['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    c.send(respondTo(q, {}, ringingInit));
    expect((await init).body).toEqual(ringingInit);
    c.send(event(T, 'ringing'));

    const answer = sim.request(T, 'answer');
    const r = await c.message(1);
    expect((r['header'] as Record<string, string>)['name']).toBe('conversation.request.answer');
    c.send(respondTo(r));
    c.send(event(T, 'started'));
    c.send(event(T, 'partyadded', { number: '+15551230001', name: 'Pat' }));
    c.send(event(T, 'talking'));
    expect((await answer).header.result).toBe('SUCCESS');
    await sim.waitForEvent(T, 'talking');
    expect(sim.eventNames(T)).toEqual(['ringing', 'started', 'partyadded', 'talking']);

    expect(sim.folded(T)).toEqual({ state: 'TALKING', parties: ['+15551230001'], muted: false });
    expect(sim.checkModel(T, { state: 'TALKING', parties: [{ number: '+15551230001' }], muted: false })).toEqual([]);
    const report = sim.report();
    expect(report.violations).toEqual([]);
    expect(report.passed).toBe(true);
    expect(report.invariants.filter((i) => i.checked).map((i) => i.id)).toEqual(['1', '2', '3', '4', '8', 'dispose']);
    expect(report.counts).toMatchObject({ connections: 1, framesSent: 2, framesReceived: 6, responses: 2, events: 4, targets: 1 });
    expect(formatReport(report)).toContain('PASSED');
  });

  it('rejects a request whose connection closes first, and does not count it against the client', async () => {
    const c = await start();
    const pending = sim.request(T, 'hold');
    await c.message(0);
    await c.close();
    client = undefined;
    await expect(pending).rejects.toBeInstanceOf(BridgeConnectionClosedError);
    expect(sim.report().violations).toEqual([]);
  });

  it('rejects a request it cannot frame, owing nothing for it', async () => {
    await start();
    await expect(sim.request(T, 'hold', { pad: 'x'.repeat(2 * 1024 * 1024) })).rejects.toThrow(
      /^conversation\.request\.hold on PB1\.AGENT\.1001\.TEL\.I-1\.leg-1 could not be sent: a frame of \d+ bytes is over the limit of 1048576 bytes$/,
    );
    expect(sim.report().violations).toEqual([]);
    expect(sim.report().counts.framesSent).toBe(0);
  });

  it('rejects a request whose response does not come within its timeout and reports it unanswered', async () => {
    const c = await start();
    await expect(sim.request(T, 'hold', {}, { responseTimeoutMs: 1 })).rejects.toThrow(
      'no response to conversation.request.hold on PB1.AGENT.1001.TEL.I-1.leg-1 within 1 ms',
    );
    expect((await c.message(0))['header']).toMatchObject({ name: 'conversation.request.hold' });
    expect(violations('2')).toEqual(['conversation.request.hold has had no response yet']);
  });
});

describe('bridge simulator with a deliberately broken client', () => {
  it('flags an event before the init response (1)', async () => {
    const c = await start();
    c.send(event(T, 'ringing'));
    await sim.waitForEvents(T, 1);
    expect(violations('1')).toEqual(['conversation.ringing was sent before the init response on this connection']);
  });

  it('flags a missing response, a wrong name, a wrong target, a second response and an unasked one (2)', async () => {
    const c = await start();
    const first = sim.request(T, 'hold');
    const q1 = await c.message(0);
    c.send(respondTo(q1, { name: 'conversation.request.retrieve' }));
    await first;
    const second = sim.request(T, 'mute');
    const q2 = await c.message(1);
    c.send(respondTo(q2, { target: 'PB1.AGENT.1001.TEL.I-1.leg-2' }));
    await second;
    c.send(respondTo(q2)); // a second response to the same frame
    c.send(respondTo({ header: { name: 'conversation.request.answer', target: T, requestId: 'never-asked' } }));
    void sim.request(T, 'unmute').catch(() => undefined); // never answered
    await c.message(2);
    await sim.waitUntil(() => sim.report().counts.responses === 4);
    const found = violations('2');
    expect(found).toContain('the response to conversation.request.hold is named conversation.request.retrieve');
    expect(found).toContain('the response to conversation.request.mute on PB1.AGENT.1001.TEL.I-1.leg-1 names another target');
    expect(found.filter((m) => m.includes('answers nothing asked, or answers it a second time'))).toHaveLength(2);
    expect(found).toContain('conversation.request.unmute has had no response yet');
    expect(sim.report().passed).toBe(false);
  });

  it('flags talking before started, started twice, anything after ended and a second ended (4)', async () => {
    const c = await start();
    const init = sim.init(T);
    c.send(respondTo(await c.message(0), {}, ringingInit));
    await init;
    for (const name of ['talking', 'started', 'started', 'ended', 'held', 'ended']) c.send(event(T, name));
    await sim.waitForEvents(T, 6);
    expect(violations('4')).toEqual([
      'conversation.talking was sent before started',
      'started was sent twice',
      'conversation.held was sent after ended',
      'conversation.ended was sent after ended',
    ]);
    expect(violations('1')).toEqual([]);
    const text = formatReport(sim.report());
    expect(text).toMatch(/^Conformance report: FAILED \(1 connection\(s\), 1 frames sent, 7 received: 1 responses, 6 events, 1 targets\)/);
    expect(text).toContain('[4] `started` precedes talking, held and ended; `ended` at most once and last: VIOLATED 4x (6 checks)');
    expect(text).toContain(`      - started was sent twice (target ${T}, connection 1)`);
    expect(text).toContain('[3] folding the init body and the events gives the leg\'s model: not checked');
  });

  it('flags messages that fail the outbound validators, non-JSON frames and non-objects (8)', async () => {
    const c = await start();
    const init = sim.init(T);
    c.send(respondTo(await c.message(0), {}, { 'conversation-state': 'RINGING', parties: [] }));
    await init;
    c.send({ header: { type: 'cti.event', name: 'conversation.bogus', target: T }, body: {} });
    c.send({ header: { type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: 'x' }, body: {} });
    const garbage = Buffer.from('{{{{');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(garbage.length, 0);
    c.sendBytes(Buffer.concat([len, garbage]));
    c.send([1, 2, 3]);
    await sim.waitUntil(() => sim.report().counts.framesReceived === 5);
    const found = violations('8');
    expect(found).toHaveLength(5);
    expect(found[0]).toMatch(/^conversation\.query\.init fails the outbound validators: body\.parties/);
    expect(found[1]).toMatch(/^conversation\.bogus fails the outbound validators: header\.name/);
    expect(found[2]).toMatch(/^conversation\.request\.hold fails the outbound validators/);
    expect(found[3]).toContain('not valid JSON');
    expect(found[4]).toContain('an array');
  });

  it('flags an event sent after the dispose response', async () => {
    const c = await start();
    const init = sim.init(T);
    c.send(respondTo(await c.message(0), {}, ringingInit));
    await init;
    const dispose = sim.request(T, 'dispose');
    c.send(respondTo(await c.message(1)));
    await dispose;
    c.send(event(T, 'started'));
    await sim.waitForEvents(T, 1);
    expect(violations('dispose')).toEqual(['conversation.started was sent after the dispose response']);
  });

  it('flags a fold that disagrees with the leg (3)', async () => {
    const c = await start();
    const init = sim.init(T);
    c.send(respondTo(await c.message(0), {}, ringingInit));
    await init;
    c.send(event(T, 'started'));
    c.send(event(T, 'talking'));
    c.send(event(T, 'mute'));
    await sim.waitForEvents(T, 3);
    const problems = sim.checkModel(T, { state: 'HELD', parties: [{ number: '+15551230001' }, { number: '2001' }], muted: true });
    expect(problems).toEqual([
      'the events say TALKING but the leg is HELD',
      'the events list parties [+15551230001] but the leg has [+15551230001, 2001]',
    ]);
    expect(sim.checkModel(T, { state: 'TALKING', parties: [{ number: '+15551230001' }], muted: false })).toEqual([
      'the events say muted but the leg is not muted',
    ]);
    expect(violations('3')).toHaveLength(3);
  });

  it('flags a frame length over the limit and closes the connection', async () => {
    const c = await start();
    const len = Buffer.alloc(4);
    len.writeUInt32BE(64 * 1024 * 1024, 0);
    c.sendBytes(len);
    await c.closed;
    client = undefined;
    // The simulator reads answers up to the frame limit plus the outbound headroom (1 MiB + 16 KiB).
    expect(violations('8')).toEqual([expect.stringContaining('over the limit of 1064960 bytes')]);
  });
});
