/**
 * Fuzzing the client over loopback: at least 100,000 hostile frames per run (CTI_FUZZ_FRAMES raises
 * it), seeded (CTI_FUZZ_SEED replays a run; the seed is printed), written in reads of random sizes
 * so frames arrive split and coalesced, with a connection killed by an impossible frame length now
 * and then. Invariant: every owed frame gets exactly one answer, every other frame none, a leg the
 * fuzz never touches keeps being served, every answer passes the catalogue, and the heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateOutbound } from '../../generated/validators.js';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../../src/wire/index.js';
import { idKey, startHostileBridge, type HostileBridge } from '../support/hostile-bridge.js';
import { corpus, prng } from './fuzz-corpus.js';
import { heapAfterGc } from './heap.js';

const FRAMES = Math.max(1, Number(process.env['CTI_FUZZ_FRAMES'] ?? 100_000));
const SEED = Number(process.env['CTI_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
/** Frames in flight before the writer waits for answers to catch up. */
const WINDOW = 2000;
/** A connection is killed by an impossible frame length every this many frames. */
const EPOCH = 25_000;

let bridge: HostileBridge;
let client: BridgeClient;
let phone: SimulatedPhone;
let invalid = 0;
const controlAnswers = new Map<string, unknown>();

beforeAll(async () => {
  // Only counts are kept of what the client sends: the heap measured is the client's.
  bridge = await startHostileBridge({
    retain: false,
    onFrame: (message) => {
      if (!validateOutbound(message).ok) invalid++;
      const id = message.header?.['requestId'];
      if (typeof id === 'string' && id.startsWith('control-')) controlAnswers.set(id, message.header['result']);
    },
  });
  phone = new SimulatedPhone();
  client = createBridgeClient({
    host: bridge.host,
    port: bridge.port,
    phone,
    reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
    destination: { operationTimeoutMs: 200 },
  });
  await bridge.waitForConnection();
});

afterAll(async () => {
  await client.close();
  await phone.close();
  await bridge.close();
});

describe('fuzzing the client', () => {
  it(`exactly one answer per owed frame, none otherwise, other legs served, heap bounded (${FRAMES} frames)`, { timeout: 600_000 }, async () => {
    console.log(`fuzz-client: seed ${SEED}, ${FRAMES} frames (CTI_FUZZ_SEED=${SEED} replays it; CTI_FUZZ_FRAMES raises the count)`);
    const random = prng(SEED ^ 0x5eed);
    let legSerial = 0;
    const live: string[] = [];
    const ring = (): void => {
      const id = `leg-${++legSerial}`;
      phone.ring({ number: `+1555${String(legSerial).padStart(7, '0')}`, name: 'Fuzz Caller' }, { id });
      live.push(id);
      if (live.length > 20) live.shift();
    };
    for (let i = 0; i < 20; i++) ring();
    phone.ring({ number: '+15550000000' }, { id: 'control' });

    const owed = new Map<string, number>();
    const never = new Set<string>();
    let owedTotal = 0;
    const answered = (): number => bridge.answerTotal;
    let controlSerial = 0;
    const controlServed = async (): Promise<void> => {
      const id = `control-${++controlSerial}`;
      bridge.send({ header: { type: 'cti.query', name: 'conversation.query.init', target: 'PB1.control', requestId: id }, body: {} });
      await bridge.waitUntil(() => bridge.answerCount(id) === 1, 60_000);
      expect(controlAnswers.get(id)).toBe('SUCCESS');
    };

    // Warm up, then the heap the run is measured against.
    await controlServed();
    const heapStart = heapAfterGc();
    const frames = corpus({ seed: SEED, legs: () => live });
    const kinds = new Map<string, number>();
    let sent = 0;
    let kills = 0;
    while (sent < FRAMES) {
      const batch: Buffer[] = [];
      const size = Math.min(200, FRAMES - sent);
      for (let i = 0; i < size; i++) {
        const f = frames.next().value!;
        batch.push(f.bytes);
        kinds.set(f.kind, (kinds.get(f.kind) ?? 0) + 1);
        if (f.owed !== undefined) {
          const key = idKey(f.owed);
          owed.set(key, (owed.get(key) ?? 0) + 1);
          owedTotal++;
        }
        if (f.never !== undefined) never.add(f.never);
      }
      sent += size;
      // One stream, cut at random points: frames split across reads and coalesced within them.
      const stream = Buffer.concat(batch);
      for (let at = 0; at < stream.length; ) {
        const cut = Math.min(stream.length, at + 1 + Math.floor(random() * 9000));
        bridge.write(stream.subarray(at, cut));
        at = cut;
      }
      if (sent % 5000 < size) ring();
      await bridge.waitUntil(() => answered() >= owedTotal - WINDOW, 120_000);
      if (sent % EPOCH < size && sent < FRAMES) {
        // Everything owed on this connection answered, then a length no frame may have: the client
        // closes, reconnects and goes on serving.
        await bridge.waitUntil(() => answered() === owedTotal, 120_000);
        const before = bridge.connections;
        const prefix = Buffer.alloc(4);
        prefix.writeUInt32BE(DEFAULT_MAX_FRAME_BYTES + 1 + Math.floor(random() * (0xffff_ffff - DEFAULT_MAX_FRAME_BYTES - 1)), 0);
        bridge.write(Buffer.concat([prefix, Buffer.from('garbage after the length')]));
        await bridge.waitForConnection(before + 1);
        await bridge.waitUntil(() => client.state === 'connected');
        kills++;
        await controlServed();
      }
    }
    await bridge.waitUntil(() => answered() >= owedTotal, 120_000);
    await controlServed();

    let missing = 0;
    let duplicate = 0;
    for (const [key, count] of owed) {
      const got = bridge.answerCount(key);
      if (got < count) missing += count - got;
      if (got > count) duplicate += got - count;
    }
    const unowedAnswers = [...never].filter((id) => bridge.answerCount(id) > 0).length;
    const heapEnd = heapAfterGc();
    console.log(
      `fuzz-client: ${sent} frames (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}), ${owedTotal} owed, ` +
        `${answered()} answers, ${missing} missing, ${duplicate} duplicate, ${unowedAnswers} answered unowed, ${invalid} invalid, ` +
        `${kills} connections killed; heap ${(heapStart / 1e6).toFixed(1)} → ${(heapEnd / 1e6).toFixed(1)} MB; counters ${JSON.stringify(client.counters)}`,
    );
    expect(sent).toBeGreaterThanOrEqual(FRAMES);
    expect({ missing, duplicate, unowedAnswers, invalid, undecodable: bridge.undecodable }).toEqual({ missing: 0, duplicate: 0, unowedAnswers: 0, invalid: 0, undecodable: 0 });
    expect(heapEnd).toBeLessThan(heapStart + 96 * 1024 * 1024);
  });
});
