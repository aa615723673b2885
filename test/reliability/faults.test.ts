/**
 * Faults around the client: phone operations that reject, hang or throw (drawn at random per
 * call, seeded); a bridge that closes mid-frame and mid-request; a bridge that stops reading and
 * comes back. Every owed answer on a live connection goes out once, and the client serves on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateOutbound } from '../../generated/validators.js';
import { createBridgeClient, type BridgeClient, type BridgeClientOptions } from '../../src/client/index.js';
import { SimulatedPhone, type SimulatedPhoneOptions } from '../../src/phone/simulated/index.js';
import { frame, startHostileBridge, type HostileBridge } from '../support/hostile-bridge.js';
import { prng } from './fuzz-corpus.js';

let bridge: HostileBridge | undefined;
let client: BridgeClient | undefined;
let phone: SimulatedPhone | undefined;

afterEach(async () => {
  await client?.close();
  await phone?.close();
  await bridge?.close();
  client = phone = bridge = undefined;
});

async function setUp(phoneOptions: SimulatedPhoneOptions = {}, extra: Partial<BridgeClientOptions> = {}) {
  bridge = await startHostileBridge();
  phone = new SimulatedPhone(phoneOptions);
  client = createBridgeClient({
    host: bridge.host,
    port: bridge.port,
    phone,
    reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
    destination: { operationTimeoutMs: 100 },
    ...extra,
  });
  await bridge.waitForConnection();
  return { bridge, client, phone };
}

const msg = (name: string, target: string, requestId: string, body: unknown = {}) => ({
  header: { type: name.startsWith('query.') ? 'cti.query' : 'cti.request', name: `conversation.${name}`, target, requestId },
  body,
});

describe('phone operations that reject, hang or throw', () => {
  it('every request is answered once, SUCCESS or FAILURE, whatever the operation did', { timeout: 120_000 }, async () => {
    const random = prng(20_26);
    const faults = ['reject', 'hang', 'throw', undefined, undefined] as const;
    const drawn = new Map<string, number>();
    const { bridge: b } = await setUp({
      faultPlan: () => {
        const fault = faults[Math.floor(random() * faults.length)];
        drawn.set(String(fault), (drawn.get(String(fault)) ?? 0) + 1);
        return fault;
      },
    });
    const legs = Array.from({ length: 8 }, (_, i) => `leg-${i}`);
    for (const id of legs) phone!.ring({ number: '+15550001' }, { id });
    for (const id of legs) b.send(msg('query.init', `A.${id}`, `i-${id}`));
    await b.waitUntil(() => legs.every((id) => b.answerCount(`i-${id}`) === 1));
    const ops = ['answer', 'hold', 'retrieve', 'mute', 'unmute', 'senddtmf'];
    const ids: string[] = [];
    for (let i = 0; i < 400; i++) {
      const leg = legs[i % legs.length]!;
      const op = ops[Math.floor(random() * ops.length)]!;
      const id = `op-${i}`;
      ids.push(id);
      b.send(msg(`request.${op}`, `A.${leg}`, id, op === 'senddtmf' ? { digits: '12' } : {}));
    }
    await b.waitUntil(() => ids.every((id) => b.answerCount(id) >= 1), 60_000);
    expect(ids.filter((id) => b.answerCount(id) !== 1)).toEqual([]);
    const results = ids.map((id) => b.answers.get(id)![0]!);
    expect(results.filter((m) => !validateOutbound(m).ok)).toEqual([]);
    expect(results.some((m) => m.header['result'] === 'SUCCESS')).toBe(true);
    expect(results.some((m) => m.header['result'] === 'FAILURE')).toBe(true);
    for (const fault of ['reject', 'hang', 'throw']) expect(drawn.get(fault) ?? 0).toBeGreaterThan(0);
  });
});

describe('a bridge that closes', () => {
  it('mid-frame: the half frame is dropped with the connection, and the next connection is served', async () => {
    const { bridge: b, client: c } = await setUp();
    phone!.ring({ number: '+15550001' }, { id: 'leg-1' });
    const bytes = frame(msg('query.init', 'A.leg-1', 'half'));
    b.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    b.drop();
    await b.waitForConnection(2);
    await b.waitUntil(() => c.state === 'connected');
    b.send(msg('query.init', 'A.leg-1', 'whole'));
    await b.waitUntil(() => b.answerCount('whole') === 1);
    expect(b.answerCount('half')).toBe(0);
    expect(b.answers.get('whole')![0]!.header['result']).toBe('SUCCESS');
  });

  it('mid-request: the answer of a request from the closed connection is not sent on the next one', async () => {
    const { bridge: b, client: c } = await setUp({ latencyMs: (op) => (op === 'hold' ? 60 : 0) });
    phone!.ring({ number: '+15550001' }, { id: 'leg-1' });
    b.send(msg('query.init', 'A.leg-1', 'i-1'));
    await b.waitUntil(() => b.answerCount('i-1') === 1);
    b.send(msg('request.answer', 'A.leg-1', 'a-1'));
    await b.waitUntil(() => b.answerCount('a-1') === 1);
    b.send(msg('request.hold', 'A.leg-1', 'h-1'));
    await new Promise((resolve) => setTimeout(resolve, 10));
    b.drop();
    await b.waitForConnection(2);
    await b.waitUntil(() => c.state === 'connected');
    b.send(msg('query.init', 'A.leg-1', 'i-2'));
    await b.waitUntil(() => b.answerCount('i-2') === 1);
    // Long enough for the hold to have finished on the phone.
    await new Promise((resolve) => setTimeout(resolve, 120));
    b.send(msg('request.mute', 'A.leg-1', 'm-1'));
    await b.waitUntil(() => b.answerCount('m-1') === 1);
    expect(b.answers.get('h-1')).toBeUndefined();
    expect(b.answers.get('i-2')![0]!.header['result']).toBe('SUCCESS');
  });
});

describe('a bridge that stops reading', () => {
  it('the client stops reading too; when the bridge reads again every frame is answered once', { timeout: 60_000 }, async () => {
    const { bridge: b, client: c } = await setUp({}, { highWaterMarkBytes: 32 * 1024 });
    phone!.ring({ number: '+15550001' }, { id: 'leg-1' });
    b.pauseReading();
    const ids: string[] = [];
    // Unknown-leg answers echo a 2 KB target: a few thousand of them fill any socket buffer.
    const pad = 'p'.repeat(2000);
    for (let i = 0; i < 4000; i++) {
      const id = `s-${i}`;
      ids.push(id);
      b.send(msg('request.hold', `A.${pad}.nope`, id));
    }
    await b.waitUntil(() => c.counters.backpressurePauses > 0, 30_000);
    b.resumeReading();
    await b.waitUntil(() => ids.every((id) => b.answerCount(id) >= 1), 30_000);
    expect(ids.filter((id) => b.answerCount(id) !== 1)).toEqual([]);
    expect(c.counters.backpressureTimeouts).toBe(0);
    expect(c.counters.connections).toBe(1);
  });
});
