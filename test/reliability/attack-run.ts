/**
 * The attacks of RELIABILITY.md played against one client, in a process of its own that the
 * attack tests start with `node --max-old-space-size=128`: the client must neither abort nor stop
 * answering. Not a test file: `attack-128mb.test.ts` runs it and reads the RESULT line it prints.
 *
 *   node --max-old-space-size=128 --import tsx test/reliability/attack-run.ts client 20000 SEED
 *   node --max-old-space-size=128 --import tsx test/reliability/attack-run.ts chart
 *
 * `client`: the attacks the client itself bounds, each across 100 legs, then the fuzz corpus.
 * The run logs through the package's own logger (createLogger) into a sink that counts the lines
 * and bytes written, the longest line, lines holding a raw control character and genuine
 * "connected" lines, as a log file would show them.
 * `chart`: the attacks bounded by the destination's queue and requestId memory (the statechart's
 * limits); they hold once that work is merged.
 */
import { validateOutbound } from '../../generated/validators.js';
import { createBridgeClient } from '../../src/client/index.js';
import { createConversationDestination, type ConversationDestination } from '../../src/destination/index.js';
import { internalActor } from '../../src/destination/internal.js';
import { createLogger } from '../../src/log/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { idKey, startHostileBridge } from '../support/hostile-bridge.js';
import { corpus } from './fuzz-corpus.js';
import { heapAfterGc } from './heap.js';

const mode = process.argv[2] ?? 'client';
const fuzzFrames = Number(process.argv[3] ?? 20_000);
const seed = Number(process.argv[4] ?? 1);
const LEGS = 100;
/** Attack 9's grace: an ended, initialised leg the bridge never disposes is let go after this. */
const LET_GO_MS = 1500;

let invalid = 0;
/** What the log would hold: lines as a reader splits them (any line break, not only the writer's own). */
const log = { lines: 0, bytes: 0, longest: 0, rawControl: 0, connectedLines: 0 };
// A character a log line must never hold raw (the writer's own final newline is split off first).
const RAW_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const GENUINE_CONNECTED = /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO  bridge client: connected to the bridge at /;
const logger = createLogger({
  level: 'info',
  write: {
    write(text: string) {
      log.bytes += Buffer.byteLength(text);
      const lines = text.split(/\r\n|[\n\r\u0085\u2028\u2029]/);
      if (lines.at(-1) === '') lines.pop();
      for (const line of lines) {
        log.lines++;
        log.longest = Math.max(log.longest, line.length);
        if (RAW_CONTROL.test(line)) log.rawControl++;
        if (GENUINE_CONNECTED.test(line)) log.connectedLines++;
      }
    },
  },
});
/** FAILURE answers that say "busy" (the client's budget or a leg's queue bound). */
let busyAnswers = 0;
/** The answers to the requests named `late-…` (attack 9), as `RESULT: errorMessage`. */
const lateAnswers = new Map<string, string>();
/** What attacks 6 and 9 found (client mode). */
let attackLog: Record<string, number> | undefined;
let attackPile: Record<string, number | string> | undefined;
const bridge = await startHostileBridge({
  retain: false,
  onFrame: (message) => {
    if (!validateOutbound(message).ok) invalid++;
    if (message.header?.['result'] === 'FAILURE' && /busy/i.test(String(message.header['errorMessage']))) busyAnswers++;
    const requestId = String(message.header?.['requestId']);
    if (requestId.startsWith('late-')) lateAnswers.set(requestId, `${String(message.header['result'])}: ${String(message.header['errorMessage'] ?? '')}`);
  },
});
const hangingLegs = new Set<string>();
const phone = new SimulatedPhone({
  // The first hold on a leg in hangingLegs hangs (until the operation deadline); the rest do not.
  faultPlan: (call) => (call.operation === 'hold' && hangingLegs.delete(call.legId) ? 'hang' : undefined),
});
/**
 * The destinations not stopped yet (the client stops one when it forgets its leg), so the run can
 * count the live ones and read what their requestId memories hold without keeping the rest alive.
 */
const live = new Set<ConversationDestination>();
let created = 0;
const client = createBridgeClient({
  createDestination: (options) => {
    const destination = createConversationDestination(options);
    created++;
    live.add(destination);
    const stop = destination.stop.bind(destination);
    destination.stop = () => {
      live.delete(destination);
      stop();
    };
    return destination;
  },
  host: bridge.host,
  port: bridge.port,
  phone,
  reconnect: { initialDelayMs: 1, maxDelayMs: 10 },
  destination: { operationTimeoutMs: 2000, letGoAfterMs: LET_GO_MS },
  ...(mode === 'chart' && { limits: { pendingFrames: 1_000_000, pendingBytes: 1024 * 1024 * 1024 } }),
  logger,
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

  // 6. Log injection and flooding: bridge text with control characters, line breaks and a forged
  // "connected" line, in targets and names (within and far over the name limit), 100 frames per leg
  // that earn a warning (75 a leg). The log must show every line escaped and cut, hold back most of them
  // with a count, and keep nothing.
  const forged = '\n2026-12-01T00:00:00.000Z INFO  bridge client: connected to the bridge at 10.6.6.6:1\r\u2028\u001b[2J\u0085\u202e';
  const logBefore = { ...log };
  const suppressedBefore = client.counters.logLinesSuppressed;
  const heapBeforeLogs = heap();
  const logStarted = Date.now();
  let warned = 0;
  for (const leg of legs) {
    for (let i = 0; i < 25; i++) {
      const frames: [string, string][] = [
        // An unknown leg whose id and target carry the forged line (the target field is logged).
        ['conversation.request.hold', `PB1.AGENT${forged}${'t'.repeat(i * 40)}.gone${forged}-${leg}`],
        // A name of another destination, with the forged line in it: "not implemented".
        [`evil${forged}.request.${i}`, target(leg)],
        // A name over the limit, 5,000 to 100,000 characters of forged lines: quoted 64 characters.
        [`conversation.request.${forged.repeat(50 + i * 40)}`, target(leg)],
      ];
      for (const [name, to] of frames) {
        const r = id('log');
        expect(r);
        send(name, to, r);
        warned++;
      }
      // A known leg reached through a target holding the forged line: the leg answers "moved".
      const moved = id('log-moved');
      expect(moved);
      send('conversation.request.hold', `PB1${forged}.${leg}`, moved);
    }
    await settle();
  }
  const logSeconds = (Date.now() - logStarted) / 1000;
  const logLinesOfAttack = log.lines - logBefore.lines;
  attackLog = {
    frames: warned,
    lines: logLinesOfAttack,
    bytes: log.bytes - logBefore.bytes,
    suppressed: client.counters.logLinesSuppressed - suppressedBefore,
    seconds: Math.round(logSeconds * 10) / 10,
    heapBeforeMB: heapBeforeLogs,
    heapAfterMB: heap(),
  };
  step(`log injection and flooding: ${warned} frames on 100 legs wrote ${logLinesOfAttack} lines (${attackLog.bytes} bytes, longest ${log.longest}), ${attackLog.suppressed} held back`);

  // 9. Legs pile up: 100 more legs, initialised on 1024-character targets and talking, each
  // answering 80 unknown requests (about 220 KiB of remembered answers a leg, 22 MiB in all; the
  // requestIds are short, so the harness's own bookkeeping stays small), then ended by the far end;
  // the bridge never disposes them. After the short grace (LET_GO_MS) the destinations let go: the
  // live destination count goes back to where it was and the heap with it.
  const liveBeforePile = live.size;
  const legCountBeforePile = client.legCount;
  const letGoBefore = client.counters.legsLetGo;
  const heapBeforePile = heap();
  const piled = Array.from({ length: LEGS }, (_, i) => `pile-${i}`);
  for (const leg of piled) phone.ring({ number: '+15557770000', name: 'Pile Caller' }, { id: leg });
  const pileTarget = (leg: string) => `${'T'.repeat(1024 - leg.length - 1)}.${leg}`;
  for (const leg of piled) {
    const init = id('pinit');
    const answer = id('panswer');
    expect(init);
    expect(answer);
    send('conversation.query.init', pileTarget(leg), init);
    send('conversation.request.answer', pileTarget(leg), answer);
  }
  await settle();
  for (let round = 0; round < 80; round++) {
    for (const leg of piled) {
      const r = id('p');
      expect(r);
      send(`conversation.request.${'q'.repeat(107)}`, pileTarget(leg), r);
    }
    if (round % 10 === 9) await settle();
  }
  await settle();
  const liveWhilePiled = live.size;
  let pileMemoryBytes = 0;
  for (const d of live) if (d.legId.startsWith('pile-')) pileMemoryBytes += internalActor(d).getSnapshot().context.memory.bytes;
  const heapWhilePiled = heap();
  for (const leg of piled) phone.leg(leg)?.far.hangUp();
  await bridge.waitUntil(() => live.size === liveBeforePile && client.legCount === legCountBeforePile, 120_000);
  // A late dispose of a let-go leg gets SUCCESS; anything else there, "disposed".
  const lateDispose = id('late-dispose');
  const lateHold = id('late-hold');
  expect(lateDispose);
  expect(lateHold);
  send('conversation.request.dispose', target('pile-0'), lateDispose);
  send('conversation.request.hold', target('pile-1'), lateHold);
  await settle();
  attackPile = {
    legs: piled.length,
    liveBefore: liveBeforePile,
    liveWhilePiled,
    memoryBytesWhilePiled: pileMemoryBytes,
    liveAfter: live.size,
    piledLiveAfter: [...live].filter((d) => d.legId.startsWith('pile-')).length,
    letGo: client.counters.legsLetGo - letGoBefore,
    heapBeforeMB: heapBeforePile,
    heapWhilePiledMB: heapWhilePiled,
    heapAfterMB: heap(),
    lateDispose: lateAnswers.get(lateDispose) ?? '',
    lateHold: lateAnswers.get(lateHold) ?? '',
  };
  step(`100 piled-up legs ended and never disposed: ${attackPile.letGo} let go, live destinations ${liveWhilePiled} → ${live.size}`);

  // The fuzz corpus on top.
  const fuzzLegs = legs.slice(0, 20);
  const frames = corpus({ seed, legs: () => fuzzLegs });
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
/** Bytes the live destinations' requestId memories are charged for (each bounded by limits.requestIdBytes). */
let memoryBytes = 0;
for (const d of live) memoryBytes += internalActor(d).getSnapshot().context.memory.bytes;
const liveBeforeEnd = live.size;

// The end of the day: every call still up ends and the bridge disposes none of them. Every leg
// was initialised, so after the grace every destination is let go: none is left.
for (const leg of phone.legs()) if (leg.snapshot().state !== 'RELEASED') leg.far.hangUp();
await bridge.waitUntil(() => live.size === 0 && client.legCount === 0, 120_000).catch((error: unknown) => {
  // Say which legs stayed, and where their charts are.
  for (const d of live) console.log(`attack: still live: ${d.legId} ${JSON.stringify(internalActor(d).getSnapshot().value)} phone ${phone.leg(d.legId)?.snapshot().state}`);
  throw error;
});
step(`every call ended, none disposed by the bridge: ${liveBeforeEnd} live destinations → ${live.size}`);
const result = {
  mode,
  owed: owedTotal,
  memoryBytes,
  destinations: created,
  liveBeforeEnd,
  liveDestinations: live.size,
  answers: bridge.answerTotal,
  missing,
  duplicate,
  invalid,
  logLines: log.lines,
  log,
  attackLog,
  attackPile,
  busyAnswers,
  heapMB: heap(),
  peakHeapMB: peakHeap,
  counters: client.counters,
  steps,
};
console.log(`RESULT ${JSON.stringify(result)}`);
await client.close();
await phone.close();
await bridge.close();
