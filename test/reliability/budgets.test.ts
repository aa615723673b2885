/**
 * The client-wide budget: each bound reached on purpose, the behaviour at it (RELIABILITY.md's
 * table) and its counter. Also the client side of letting go of a leg the bridge never disposed,
 * and a client that cannot reach its bridge saying so with a back-off summary.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeClient, type BridgeClient, type BridgeClientDiagnostic, type BridgeClientOptions } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { fakeDestinations } from '../support/fake-destination.js';
import { startHostileBridge, type HostileBridge } from '../support/hostile-bridge.js';

let bridge: HostileBridge | undefined;
let client: BridgeClient | undefined;
let phone: SimulatedPhone | undefined;

afterEach(async () => {
  await client?.close();
  await phone?.close();
  await bridge?.close();
  client = phone = bridge = undefined;
});

async function setUp(legs: number, extra: Partial<BridgeClientOptions> = {}) {
  bridge = await startHostileBridge();
  phone = new SimulatedPhone();
  for (let i = 1; i <= legs; i++) phone.ring({ number: `+1555000${i}` }, { id: `leg-${i}` });
  const fakes = fakeDestinations();
  const diagnostics: BridgeClientDiagnostic[] = [];
  client = createBridgeClient({
    host: bridge.host,
    port: bridge.port,
    phone,
    reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
    createDestination: fakes.create,
    onDiagnostic: (d) => diagnostics.push(d),
    ...extra,
  });
  await bridge.waitForConnection();
  return { bridge, client, phone, fakes, diagnostics };
}

const req = (name: string, target: string, requestId: string, body: unknown = {}) => ({
  header: { type: name.startsWith('query.') ? 'cti.query' : 'cti.request', name: `conversation.${name}`, target, requestId },
  body,
});

describe('pending frames: count and bytes, all legs together', () => {
  it('past limits.pendingFrames a frame is answered FAILURE "busy" at once; answering the held frees the budget', async () => {
    const { bridge: b, client: c, fakes } = await setUp(2, { limits: { pendingFrames: 5 } });
    for (let i = 0; i < 5; i++) b.send(req('request.hold', `A.leg-${(i % 2) + 1}`, `h-${i}`));
    await b.waitUntil(() => c.pending.frames === 5);
    b.send(req('request.hold', 'A.leg-1', 'over'));
    await b.waitUntil(() => b.answerCount('over') === 1);
    expect(b.answers.get('over')![0]!.header).toMatchObject({ result: 'FAILURE', errorMessage: expect.stringContaining('busy') });
    expect(c.counters.busy).toBe(1);
    for (const fake of fakes.byLeg.values()) fake.releaseHeld();
    await b.waitUntil(() => c.pending.frames === 0);
    expect(c.pending.bytes).toBe(0);
    b.send(req('request.hold', 'A.leg-1', 'after'));
    await b.waitUntil(() => c.pending.frames === 1);
    expect(b.answerCount('after')).toBe(0);
  });

  it('a frame that would take the pending bytes past limits.pendingBytes is answered "busy"', async () => {
    const { bridge: b, client: c } = await setUp(1, { limits: { pendingBytes: 10_000 } });
    b.send(req('request.hold', 'A.leg-1', 'small'));
    b.send(req('request.hold', 'A.leg-1', 'big', { pad: 'p'.repeat(20_000) }));
    await b.waitUntil(() => b.answerCount('big') === 1);
    expect(b.answers.get('big')![0]!.header['result']).toBe('FAILURE');
    expect(b.answerCount('small')).toBe(0);
    expect(c.counters.busy).toBe(1);
    expect(c.pending.frames).toBe(1);
  });
});

describe('legs and the disposed set', () => {
  it('past limits.legs a new leg is not served: counted, and its requests get "unknown leg"', async () => {
    const { bridge: b, client: c, phone: p } = await setUp(2, { limits: { legs: 2 } });
    p.ring({ number: '+15550009' }, { id: 'leg-9' });
    expect(c.legCount).toBe(2);
    expect(c.counters.legsRefused).toBe(1);
    b.send(req('query.init', 'A.leg-9', 'i-9'));
    await b.waitUntil(() => b.answerCount('i-9') === 1);
    expect(b.answers.get('i-9')![0]!.header['errorMessage']).toContain('unknown leg');
  });

  it('the disposed set keeps within its bytes: the oldest disposed legs are forgotten and counted', async () => {
    const { bridge: b, client: c } = await setUp(20, { limits: { disposedBytes: 5 * 1024 } });
    for (let i = 1; i <= 20; i++) {
      const target = `${'T'.repeat(200)}.leg-${i}`;
      b.send(req('query.init', target, `i-${i}`));
      b.send(req('request.dispose', target, `d-${i}`));
    }
    await b.waitUntil(() => b.answerCount('d-20') === 1);
    expect(c.legCount).toBe(0);
    expect(c.disposedCount).toBeLessThan(20);
    expect(c.counters.disposedForgotten).toBe(20 - c.disposedCount);
    // The newest is remembered: a late request there gets "disposed"; its dispose repeated, the same answer.
    b.send(req('request.hold', 'A.leg-20', 'late'));
    b.send(req('request.dispose', `${'T'.repeat(200)}.leg-20`, 'd-20'));
    await b.waitUntil(() => b.answerCount('late') === 1 && b.answerCount('d-20') === 2);
    expect(b.answers.get('late')![0]!.header['errorMessage']).toContain('disposed');
    expect(b.answers.get('d-20')![1]).toEqual(b.answers.get('d-20')![0]);
  });
});

describe("a leg's own bounds, counted by the client (real destinations)", () => {
  /**
   * One leg with a queue of 2, one with a requestId memory of 2000 bytes that then moves ten times, one never initialised
   * whose pre-init queue holds 4 events and 1 one-shot word; each bound hit the same number of
   * times with and without a listener (the counting needs none).
   */
  async function hitLegBounds(listen: boolean) {
    bridge = await startHostileBridge();
    phone = new SimulatedPhone();
    const queueLeg = phone.ring({ number: '+15550001' }, { id: 'leg-1' });
    phone.ring({ number: '+15550002' }, { id: 'leg-2' });
    const quietLeg = phone.ring({ number: '+15550003' }, { id: 'leg-3' });
    const diagnostics: BridgeClientDiagnostic[] = [];
    client = createBridgeClient({
      host: bridge.host,
      port: bridge.port,
      phone,
      destination: { limits: { queuedRequests: 2, requestIdBytes: 2000, preInitEvents: 4, oneShotEvents: 1 } },
      ...(listen && { onDiagnostic: (d: BridgeClientDiagnostic) => void diagnostics.push(d) }),
    });
    const b = bridge;
    const c = client;
    await b.waitForConnection();
    b.send(req('query.init', 'A.leg-1', 'i-1'));
    b.send(req('request.answer', 'A.leg-1', 'a-1'));
    b.send(req('query.init', 'A.leg-2', 'i-2'));
    await b.waitUntil(() => b.answerCount('i-1') + b.answerCount('a-1') + b.answerCount('i-2') === 3);
    // A hold that hangs, two waiting behind it, then two more: "busy", counted.
    queueLeg.inject('hold', 'hang');
    for (const id of ['h-1', 'h-2', 'h-3', 'h-4', 'h-5']) b.send(req('request.hold', 'A.leg-1', id));
    await b.waitUntil(() => b.answerCount('h-4') + b.answerCount('h-5') === 2);
    expect(b.answers.get('h-5')![0]!.header['errorMessage']).toBe('hold: busy: too many requests are waiting on this conversation; try again later');
    // Five answers of about 1,100 bytes each in a memory of 2,000: each after the first forgets one for bytes.
    for (let i = 0; i < 5; i++) b.send(req(`request.${'m'.repeat(107)}`, 'A.leg-2', `${'r'.repeat(200)}-${i}`));
    await b.waitUntil(() => b.answerTotal === 10);
    // Ten moves of leg-2 (A, then B1 … B10): it keeps the 8 targets it left, so the 9th and 10th move each forget the oldest.
    for (let i = 1; i <= 10; i++) b.send(req('query.init', `B${i}.leg-2`, `mv-${i}`));
    await b.waitUntil(() => b.answerCount('mv-10') === 1);
    // Ten party events before the init: the queue of 4 is full twice; two one-shot words with room for one.
    for (let i = 0; i < 5; i++) {
      quietLeg.far.join({ number: `+1666${i}` });
      quietLeg.far.leave(`+1666${i}`);
    }
    quietLeg.far.emit({ type: 'transferFailed', reason: 'first' });
    quietLeg.far.emit({ type: 'transferFailed', reason: 'second' });
    for (let i = 0; i < 3; i++) quietLeg.far.join({ number: `+1777${i}` });
    return { counters: c.counters, diagnostics };
  }

  it('queueBusy, requestMemoryFull, preInitOverflows, oneShotOverflows and earlierTargetsForgotten count each bound hit, listener or not', async () => {
    const heard = await hitLegBounds(true);
    expect(heard.counters).toMatchObject({ queueBusy: 2, requestMemoryFull: 4, preInitOverflows: 3, oneShotOverflows: 1, earlierTargetsForgotten: 2, busy: 0 });
    // Each hit is a warning naming the leg, rate-limited in the log like any per-frame line.
    const bounds = heard.diagnostics.filter((d) =>
      ['queue-full', 'request-memory-full', 'pre-init-queue-full', 'one-shot-events-dropped', 'earlier-target-forgotten'].includes(d.code),
    );
    expect(bounds.map((d) => d.code).sort()).toEqual([
      'earlier-target-forgotten',
      'earlier-target-forgotten',
      'one-shot-events-dropped',
      'pre-init-queue-full',
      'pre-init-queue-full',
      'pre-init-queue-full',
      'queue-full',
      'queue-full',
      'request-memory-full',
      'request-memory-full',
      'request-memory-full',
      'request-memory-full',
    ]);
    expect(bounds.every((d) => d.level === 'warn' && d.legId !== undefined)).toBe(true);
    expect(heard.diagnostics.find((d) => d.code === 'queue-full')).toMatchObject({ legId: 'leg-1', target: 'A.leg-1' });
    await client!.close();
    await phone!.close();
    await bridge!.close();
    client = phone = bridge = undefined;

    const unheard = await hitLegBounds(false);
    expect(unheard.counters).toMatchObject({ queueBusy: 2, requestMemoryFull: 4, preInitOverflows: 3, oneShotOverflows: 1, earlierTargetsForgotten: 2 });
  });
});

describe('letting go of a leg the bridge never disposed (the destination calls onLetGo)', () => {
  it('forgets the leg, keeps its target among the disposed: a later dispose gets SUCCESS, anything else "disposed"', async () => {
    const { bridge: b, client: c, fakes } = await setUp(1);
    b.send(req('query.init', 'A.leg-1', 'i-1'));
    await b.waitUntil(() => b.answerCount('i-1') === 1);
    const fake = fakes.byLeg.get('leg-1')!;
    fake.letGo();
    expect(c.legCount).toBe(0);
    expect(c.disposedCount).toBe(1);
    expect(c.counters.legsLetGo).toBe(1);
    expect(fake.stopped).toBe(true);
    b.send(req('request.hold', 'A.leg-1', 'h-1'));
    b.send(req('request.dispose', 'A.leg-1', 'd-1'));
    b.send(req('request.dispose', 'A.leg-1', 'd-2'));
    await b.waitUntil(() => b.answerCount('h-1') + b.answerCount('d-1') + b.answerCount('d-2') === 3);
    expect(b.answers.get('h-1')![0]!.header).toMatchObject({ result: 'FAILURE', errorMessage: expect.stringContaining('disposed') });
    expect(b.answers.get('d-1')![0]!.header).toMatchObject({ result: 'SUCCESS', name: 'conversation.request.dispose', target: 'A.leg-1', requestId: 'd-1' });
    expect(b.answers.get('d-2')![0]!.header).toMatchObject({ result: 'SUCCESS', requestId: 'd-2' });
    // A dispose there whose requestId is over the catalogue's limit cannot be answered SUCCESS.
    const longId = 'd'.repeat(300);
    b.send(req('request.dispose', 'A.leg-1', longId));
    await b.waitUntil(() => b.answerCount(longId) === 1);
    expect(b.answers.get(longId)![0]!.header).toMatchObject({ result: 'FAILURE', errorMessage: 'dispose: header.requestId must be 1 to 256 characters long' });
  });
});

describe('letting go of an initialised leg that ended while the bridge was away (the client\'s backstop)', () => {
  it('the connection dropped, the bridge never re-inits the leg, the call ends: let go after letGoAfterMs all the same', async () => {
    bridge = await startHostileBridge();
    phone = new SimulatedPhone();
    const leg = phone.ring({ number: '+15550001' }, { id: 'leg-1' });
    const kept = phone.ring({ number: '+15550002' }, { id: 'leg-2' });
    const b = bridge;
    const c = (client = createBridgeClient({
      host: b.host,
      port: b.port,
      phone,
      reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
      destination: { letGoAfterMs: 50 },
    }));
    await b.waitForConnection();
    b.send(req('query.init', 'A.leg-1', 'i-1'));
    b.send(req('query.init', 'A.leg-2', 'i-2'));
    await b.waitUntil(() => b.answerCount('i-1') + b.answerCount('i-2') === 2);
    b.drop();
    await b.waitForConnection(2);
    await b.waitUntil(() => c.state === 'connected');
    // Only leg-2 is initialised again; leg-1's end waits in its destination's pre-init queue.
    b.send(req('query.init', 'A.leg-2', 'i-2b'));
    await b.waitUntil(() => b.answerCount('i-2b') === 1);
    leg.far.hangUp();
    kept.far.hangUp();
    await b.waitUntil(() => c.legCount === 0);
    expect(c.counters.legsLetGo).toBe(2);
    expect(c.disposedCount).toBe(2);
    // Let go like any leg the bridge never disposed: a dispose gets SUCCESS, anything else "disposed".
    b.send(req('request.dispose', 'A.leg-1', 'd-1'));
    b.send(req('query.init', 'A.leg-1', 'i-1c'));
    await b.waitUntil(() => b.answerCount('d-1') + b.answerCount('i-1c') === 2);
    expect(b.answers.get('d-1')![0]!.header['result']).toBe('SUCCESS');
    expect(b.answers.get('i-1c')![0]!.header['errorMessage']).toContain('(disposed)');
  });
});

describe('a bridge that stops reading', () => {
  it("past limits.unsentBytes the connection is closed and re-opened (the re-init re-syncs); the client's memory stays bounded", async () => {
    const { bridge: b, client: c, fakes } = await setUp(1, { highWaterMarkBytes: 64 * 1024, limits: { unsentBytes: 512 * 1024 } });
    b.send(req('query.init', 'A.leg-1', 'i-1'));
    await b.waitUntil(() => b.answerCount('i-1') === 1);
    b.pauseReading();
    const fake = fakes.byLeg.get('leg-1')!;
    const reason = 'r'.repeat(1000);
    // Up to 64 MB of events, in batches, until the client gives up on the connection.
    for (let batch = 0; batch < 64 && c.counters.unsentOverflows === 0; batch++) {
      for (let i = 0; i < 1000; i++) fake.event('conversation.failed', { reason });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(c.counters.unsentOverflows).toBe(1);
    await b.waitForConnection(2);
    await b.waitUntil(() => c.state === 'connected');
    expect(c.counters.connections).toBe(2);
  });
});

describe('a client that cannot reach its bridge', () => {
  it('warns at the first failure and every tenth, with the attempts, the time and the next delay', async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    phone = new SimulatedPhone();
    const failures: BridgeClientDiagnostic[] = [];
    let done!: () => void;
    const tenth = new Promise<void>((resolve) => (done = resolve));
    client = createBridgeClient({
      host: '127.0.0.1',
      port,
      phone,
      reconnect: { initialDelayMs: 1, maxDelayMs: 2 },
      onDiagnostic: (d) => {
        if (d.code !== 'connect-failed') return;
        failures.push(d);
        if (failures.length === 10) done();
      },
    });
    await tenth;
    expect(failures.map((d) => d.level)).toEqual(['warn', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'debug', 'warn']);
    expect(failures[0]!.message).toMatch(/^could not connect to the bridge at 127\.0\.0\.1:\d+: .*; next attempt in \d+ ms$/);
    expect(failures[9]!.message).toMatch(/; 10 attempts failed over \d+ s; next attempt in \d+ ms$/);
    expect(client.counters.connectFailures).toBeGreaterThanOrEqual(10);
  });
});
