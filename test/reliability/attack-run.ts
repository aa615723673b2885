/**
 * The attacks of RELIABILITY.md played against one client, in a process of its own that the
 * attack tests start with `node --max-old-space-size=128`: the client must neither abort nor stop
 * answering. Not a test file: `attack-128mb.test.ts` runs it and reads the RESULT line it prints.
 *
 *   node --max-old-space-size=128 --import tsx test/reliability/attack-run.ts client 20000 SEED
 *   node --max-old-space-size=128 --import tsx test/reliability/attack-run.ts chart
 *
 * `client`: the attacks the client itself bounds, each across 100 legs, then the fuzz corpus.
 * `chart`: the attacks bounded by the destination's queue and requestId memory (the statechart's
 * limits); they hold once that work is merged.
 */
import { validateOutbound } from '../../generated/validators.js';
import { createBridgeClient } from '../../src/client/index.js';
import { createConversationDestination, type ConversationDestination } from '../../src/destination/index.js';
import { internalActor } from '../../src/destination/internal.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { idKey, startHostileBridge } from '../support/hostile-bridge.js';
import { corpus } from './fuzz-corpus.js';
import { heapAfterGc } from './heap.js';

const mode = process.argv[2] ?? 'client';
const fuzzFrames = Number(process.argv[3] ?? 20_000);
const seed = Number(process.argv[4] ?? 1);
const LEGS = 100;

let invalid = 0;
let logLines = 0;
/** FAILURE answers that say "busy" (the client's budget or a leg's queue bound). */
let busyAnswers = 0;
const bridge = await startHostileBridge({
  retain: false,
  onFrame: (message) => {
    if (!validateOutbound(message).ok) invalid++;
    if (message.header?.['result'] === 'FAILURE' && /busy/i.test(String(message.header['errorMessage']))) busyAnswers++;
  },
});
const hangingLegs = new Set<string>();
const phone = new SimulatedPhone({
  // The first hold on a leg in hangingLegs hangs (until the operation deadline); the rest do not.
  faultPlan: (call) => (call.operation === 'hold' && hangingLegs.delete(call.legId) ? 'hang' : undefined),
});
/** Every destination the client made, so the run can read what their requestId memories hold. */
const destinations: ConversationDestination[] = [];
const client = createBridgeClient({
  createDestination: (options) => {
    const destination = createConversationDestination(options);
    destinations.push(destination);
    return destination;
  },
  host: bridge.host,
  port: bridge.port,
  phone,
  reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
  destination: { operationTimeoutMs: 2000 },
  ...(mode === 'chart' && { limits: { pendingFrames: 1_000_000, pendingBytes: 1024 * 1024 * 1024 } }),
  logger: { debug: () => logLines++, info: () => logLines++, warn: () => logLines++, error: () => logLines++ },
});
await bridge.waitForConnection();

const legs = Array.from({ length: LEGS }, (_, i) => `leg-${i}`);
for (const id of legs) phone.ring({ number: `+1555${String(id.length).padStart(7, '0')}`, name: 'n'.repeat(256) }, { id });
phone.ring({ number: '+15550000000' }, { id: 'control' });
const target = (leg: string) => `PB1.AGENT.1001.TEL.${leg}`;
const send = (name: string, to: string, requestId: string, body: unknown = {}) =>
  bridge.send({ header: { type: name === 'conversation.query.init' ? 'cti.query' : 'cti.request', name, target: to, requestId }, body });

const owed = new Map<string, number>();
let owedTotal = 0;
const expect = (requestId: string): void => {
  const key = idKey(requestId);
  owed.set(key, (owed.get(key) ?? 0) + 1);
  owedTotal++;
};
const settle = (timeoutMs = 120_000) => bridge.waitUntil(() => bridge.answerTotal >= owedTotal, timeoutMs);
let peakHeap = 0;
// What is retained, after a forced collection: garbage not yet collected says nothing of a bound.
const heap = () => {
  const now = Math.round(heapAfterGc() / 1e6);
  peakHeap = Math.max(peakHeap, now);
  return now;
};
const steps: string[] = [];
const began = Date.now();
const step = (text: string) => {
  steps.push(`${text} (heap ${heap()} MB)`);
  console.log(`attack: ${text} (heap ${heap()} MB, rss ${Math.round(process.memoryUsage().rss / 1e6)} MB, ${((Date.now() - began) / 1000).toFixed(1)} s)`);
};

let serial = 0;
const id = (prefix: string) => `${prefix}-${++serial}`;
for (const leg of legs) {
  const r = id('init');
  expect(r);
  send('conversation.query.init', target(leg), r);
}
await settle();
step('100 legs initialised');

if (mode === 'client') {
  // 1. Long names: no dots; an unknown leg; an initialised leg with the frame just under 1 MiB.
  for (const leg of legs) {
    for (const [name, to] of [
      ['n'.repeat(300_000), target(leg)],
      [`conversation.request.${'x'.repeat(600_000)}`, target('nope')],
      [`conversation.request.${'x'.repeat(1_047_000)}`, target(leg)],
    ] as const) {
      const r = id('long');
      expect(r);
      send(name, to, r);
    }
    await settle();
  }
  step('long names on 100 legs answered');

  // 3. Huge unknown names (1,000,000 characters), once per leg: refused for their length, remembered nowhere.
  for (const leg of legs) {
    const r = id('huge');
    expect(r);
    send(`conversation.request.${'u'.repeat(1_000_000)}`, target(leg), r);
    await settle();
  }
  step('1,000,000-character names on 100 legs answered');

  // 4. Queues: a hold that hangs on every leg, then 100 more requests per leg behind it.
  for (const leg of legs) hangingLegs.add(leg);
  for (const leg of legs) {
    const answer = id('answer');
    expect(answer);
    send('conversation.request.answer', target(leg), answer);
  }
  await settle();
  for (let round = 0; round < 101; round++) {
    for (const leg of legs) {
      const r = id('queued');
      expect(r);
      send('conversation.request.hold', target(leg), r);
    }
  }
  // They are answered once the hanging hold times out (operationTimeoutMs), or at once with
  // "busy" past the budget.
  await settle(600_000);
  step(`10,100 queued holds on 100 legs answered (${client.counters.busy} busy)`);

  // 5. A bridge that stops reading while the phone floods events: party names of 256 characters.
  bridge.pauseReading();
  const connectionsBefore = client.counters.connections;
  for (let round = 0; round < 2000 && client.counters.unsentOverflows === 0; round++) {
    for (const leg of phone.legs()) {
      if (leg.id === 'control') continue;
      leg.far.join({ number: `+1666${round}`, name: 'p'.repeat(256) });
      leg.far.leave(`+1666${round}`);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  bridge.resumeReading();
  await bridge.waitUntil(() => client.counters.connections > connectionsBefore || client.counters.unsentOverflows === 0);
  await bridge.waitUntil(() => client.state === 'connected');
  step(`event flood with the bridge not reading: ${client.counters.unsentOverflows} overflow(s), ${client.counters.backpressurePauses} pause(s)`);

  // The fuzz corpus on top.
  const live = legs.slice(0, 20);
  const frames = corpus({ seed, legs: () => live });
  for (let sent = 0; sent < fuzzFrames; ) {
    const batch: Buffer[] = [];
    for (let i = 0; i < 200 && sent < fuzzFrames; i++, sent++) {
      const f = frames.next().value!;
      batch.push(f.bytes);
      if (f.owed !== undefined) expect(f.owed);
    }
    bridge.write(Buffer.concat(batch));
    await bridge.waitUntil(() => bridge.answerTotal >= owedTotal - 2000, 120_000);
  }
  await settle();
  step(`${fuzzFrames} fuzz frames answered`);
} else {
  // The requestId memory: per leg, 1,100 requests with the largest header the catalogue allows
  // (a 128-character unknown name, a 256-character requestId, a 1024-character target).
  const longTarget = (leg: string) => `${'T'.repeat(1024 - leg.length - 1)}.${leg}`;
  for (let round = 0; round < 1100; round++) {
    for (const leg of legs) {
      const r = `${'r'.repeat(240)}-${round}-${leg}`.slice(-256);
      expect(r);
      send(`conversation.request.${'m'.repeat(107)}`, longTarget(leg), r);
    }
    if (round % 20 === 0) await settle();
  }
  await settle();
  step('1,100 maximal unknown requests on each of 100 legs answered');
  // A deep queue on one leg: 8,000 holds behind one that hangs; past the leg's bound, "busy".
  hangingLegs.add('leg-0');
  const answer = id('answer');
  expect(answer);
  send('conversation.request.answer', target('leg-0'), answer);
  await settle();
  for (let i = 0; i < 8001; i++) {
    const r = id('deep');
    expect(r);
    send('conversation.request.hold', target('leg-0'), r);
  }
  await settle(600_000);
  step('8,001 holds on one leg answered');
}

// The control leg, never attacked, is still served.
const control = id('control');
expect(control);
send('conversation.query.init', target('control'), control);
await settle();
let missing = 0;
let duplicate = 0;
for (const [key, count] of owed) {
  const got = bridge.answerCount(key);
  if (got < count) missing += count - got;
  if (got > count) duplicate += got - count;
}
/** Bytes the destinations' requestId memories are charged for (each bounded by limits.requestIdBytes). */
const memoryBytes = destinations.reduce((sum, d) => sum + internalActor(d).getSnapshot().context.memory.bytes, 0);
const result = { mode, owed: owedTotal, memoryBytes, destinations: destinations.length, answers: bridge.answerTotal, missing, duplicate, invalid, logLines, busyAnswers, heapMB: heap(), peakHeapMB: peakHeap, counters: client.counters, steps };
console.log(`RESULT ${JSON.stringify(result)}`);
await client.close();
await phone.close();
await bridge.close();
