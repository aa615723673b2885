/**
 * The soak: a long day of calls over loopback with faults, for leaks. A bridge driver (the hostile
 * bridge harness, speaking the protocol) runs many calls at once through one client and a
 * simulated phone: ring, init, answer, a few rounds of hold, retrieve, mute, unmute and DTMF,
 * release, dispose. Faults: phone operations that reject, throw or hang (drawn per call), garbage
 * frames, requests for unknown legs, and the connection dropped every so often (the driver then
 * re-inits its live legs and carries on, as a bridge does). Heap is measured after a warm-up and
 * a forced GC, and again at the end when every call is over; live destinations must be zero.
 *
 * `npm run soak` runs about a million messages (scripts/soak.ts); a short one runs in the suite.
 */
import { createBridgeClient, type BridgeClientCounters } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { startHostileBridge, type Wire } from '../support/hostile-bridge.js';
import { prng } from './fuzz-corpus.js';
import { heapAfterGc } from './heap.js';

export interface SoakOptions {
  /** Messages both ways (requests, answers, events, garbage) to run for; default 1,000,000. */
  readonly messages?: number;
  /** Calls at once; default 40. */
  readonly concurrency?: number;
  readonly seed?: number;
  /** The connection is dropped after about this many messages; default 50,000. */
  readonly dropEvery?: number;
  /** The client's disposed-set limit; default 500, small enough to fill during the warm-up. */
  readonly disposedLegs?: number;
  readonly log?: (line: string) => void;
}

export interface SoakResult {
  readonly messages: number;
  readonly calls: number;
  readonly seconds: number;
  readonly messagesPerSecond: number;
  readonly heapStart: number;
  readonly heapEnd: number;
  readonly liveDestinations: number;
  readonly drops: number;
  readonly faults: Readonly<Record<string, number>>;
  readonly counters: BridgeClientCounters;
}

class Dropped extends Error {}

export async function runSoak(options: SoakOptions = {}): Promise<SoakResult> {
  const target = options.messages ?? 1_000_000;
  const concurrency = options.concurrency ?? 40;
  const seed = options.seed ?? 1;
  const dropEvery = options.dropEvery ?? 50_000;
  const log = options.log ?? (() => undefined);
  const random = prng(seed);
  const faults: Record<string, number> = {};

  let messages = 0;
  const waiting = new Map<string, { resolve: (m: Wire) => void; reject: (e: Error) => void }>();
  // The harness keeps nothing per request (its waiting map empties as answers come): the heap
  // measured is the client's and the phone's.
  const bridge = await startHostileBridge({
    retain: false,
    countAnswers: false,
    onFrame: (message) => {
      messages++;
      const id = message.header?.['requestId'];
      if (message.header?.['type'] !== 'cti.response' || typeof id !== 'string') return;
      const waiter = waiting.get(id);
      waiting.delete(id);
      waiter?.resolve(message);
    },
  });
  const phone = new SimulatedPhone({
    faultPlan: (call) => {
      if (call.operation === 'dispose' || random() > 0.03) return undefined;
      const fault = (['reject', 'throw', 'hang'] as const)[Math.floor(random() * 3)]!;
      faults[fault] = (faults[fault] ?? 0) + 1;
      return fault;
    },
  });
  const client = createBridgeClient({
    host: bridge.host,
    port: bridge.port,
    phone,
    reconnect: { initialDelayMs: 1, maxDelayMs: 20 },
    destination: { operationTimeoutMs: 50 },
    // A small disposed set reaches its steady size within the warm-up (it is bounded either way).
    limits: { disposedLegs: options.disposedLegs ?? 500 },
  });
  await bridge.waitForConnection();
  let connection = 1;
  let serial = 0;

  const request = (name: string, to: string, body: Record<string, unknown> = {}): Promise<Wire> => {
    const requestId = `s-${++serial}`;
    const mine = connection;
    return new Promise<Wire>((resolve, reject) => {
      waiting.set(requestId, { resolve, reject });
      messages++;
      bridge.send({ header: { type: name === 'conversation.query.init' ? 'cti.query' : 'cti.request', name, target: to, requestId }, body });
      if (mine !== connection) reject(new Dropped());
    });
  };
  const connected = () => bridge.waitUntil(() => client.state === 'connected' && bridge.connections === connection, 60_000);

  /** One request, retried after a drop with a re-init first (the bridge's side of a reconnect). */
  const step = async (name: string, to: string, body: Record<string, unknown> = {}): Promise<Wire> => {
    for (;;) {
      try {
        return await request(name, to, body);
      } catch (error) {
        if (!(error instanceof Dropped)) throw error;
        await connected();
        try {
          await request('conversation.query.init', to);
        } catch {
          // dropped again: the loop tries once more
        }
      }
    }
  };

  let calls = 0;
  let legSerial = 0;
  const oneCall = async (): Promise<void> => {
    const id = `soak-${++legSerial}`;
    const to = `PB1.AGENT.1001.TEL.${id}`;
    phone.ring({ number: `+1555${String(legSerial % 10_000_000).padStart(7, '0')}`, name: 'Soak Caller' }, { id });
    await step('conversation.query.init', to);
    await step('conversation.request.answer', to);
    const rounds = 1 + Math.floor(random() * 3);
    for (let i = 0; i < rounds; i++) {
      await step('conversation.request.hold', to);
      await step('conversation.request.retrieve', to);
      await step('conversation.request.mute', to);
      await step('conversation.request.unmute', to);
      await step('conversation.request.senddtmf', to, { digits: '123#' });
      if (random() < 0.05) {
        // Faults from the bridge's side: garbage, and a request for a leg that does not exist.
        bridge.write(Buffer.from([0, 0, 0, 3, 0xff, 0xfe, 0xfd]));
        messages++;
        await step('conversation.request.hold', 'PB1.AGENT.1001.TEL.nobody');
      }
    }
    await step('conversation.request.release', to);
    // The dispose must land: after a drop it is sent again; "disposed" then means it did.
    await step('conversation.request.dispose', to);
    calls++;
  };

  const dropper = setInterval(() => {
    if (messages < nextDrop || client.state !== 'connected') return;
    nextDrop += dropEvery;
    connection++;
    drops++;
    for (const waiter of waiting.values()) waiter.reject(new Dropped());
    waiting.clear();
    bridge.drop();
  }, 5);
  let nextDrop = dropEvery;
  let drops = 0;

  let heapStart = 0;
  const warmUp = Math.min(Math.floor(target / 10), 100_000);
  const started = Date.now();
  let lastReport = started;
  const worker = async (): Promise<void> => {
    while (messages < target) {
      await oneCall();
      if (heapStart === 0 && messages >= warmUp) heapStart = -1; // measured between calls, below
      if (Date.now() - lastReport > 5000) {
        lastReport = Date.now();
        log(`soak: ${messages} messages, ${calls} calls, ${drops} drops, ${Math.round(messages / ((Date.now() - started) / 1000))} msg/s`);
      }
    }
  };
  // Warm-up first with every worker, then the measured start.
  const workers = Array.from({ length: concurrency }, () => worker());
  await bridge.waitUntil(() => heapStart === -1, 3_600_000);
  heapStart = heapAfterGc();
  log(`soak: warm-up done at ${messages} messages; heap after GC ${(heapStart / 1e6).toFixed(2)} MB`);
  await Promise.all(workers);
  clearInterval(dropper);
  const seconds = (Date.now() - started) / 1000;
  await bridge.waitUntil(() => client.legCount === 0, 60_000);
  const heapEnd = heapAfterGc();
  const result: SoakResult = {
    messages,
    calls,
    seconds,
    messagesPerSecond: Math.round(messages / seconds),
    heapStart,
    heapEnd,
    liveDestinations: client.legCount,
    drops,
    faults,
    counters: client.counters,
  };
  await client.close();
  await phone.close();
  await bridge.close();
  return result;
}
