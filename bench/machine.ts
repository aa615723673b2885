/**
 * `npm run bench:machine`: what a conversation costs end to end in process, beside its floor.
 *
 *  - floor: a bare machine with the same three regions and states, unguarded edges, no actions,
 *    no delays, driven by the same two sends per pair (a request in, its outcome in);
 *  - pair: a request → response through createConversationDestination, over a leg whose
 *    operation resolves at once (readFrame, the chart, the leg call, validateOutbound, send);
 *  - phone event: a leg event through the destination (muted / unmuted while TALKING, each sends);
 *  - 10,000 legs: pairs round robin over 10,000 destinations, against the one-leg rate; and the
 *    floor's pairs round robin over 10,000 bare actors, against the one-actor floor (what XState
 *    alone loses to many actors: its per-actor objects no longer sit in the CPU's caches). Both
 *    share this process's heap, which moves both figures; bench/many-legs.ts measures each
 *    contender in a heap of its own;
 *  - hand-written responder: readFrame, the leg call, a response, validateOutbound, send, no chart;
 *  - fromPromise: what invoking a `fromPromise` actor per operation would add (createActor, start,
 *    settle), against the start/abort effects the destination performs.
 * Each figure is the median over alternating rounds (every scenario once per round, the order
 * rotating), after a warm-up round, with gc() before each batch; each ratio is the median of the
 * per-round ratios. See BENCHMARKS.md, "Machine".
 * `-- --write` also writes the figures into BENCHMARKS.md.
 */
import { createActor, fromPromise } from 'xstate';
import type { OutboundMessage } from '../generated/types.js';
import { validateOutbound } from '../generated/validators.js';
import { respond } from '../machines/messages.js';
import { readFrame } from '../src/destination/read-frame.js';
import { createConversationDestination, SignalPool, type ConversationDestination } from '../src/destination/index.js';
import { writeBenchmarkSection } from './support/benchmarks-file.js';
import { benchLeg, benchTarget as target, floorMachine, type FloorEvent } from './support/in-process.js';
import { machineLine as suiteMachineLine, median, medianRatio, rounds } from './support/report.js';

/** `--rounds N` or BENCH_ROUNDS=N as in the rest of the suite (one round with `--tiny`). */
const ROUNDS = rounds(7);
const PAIRS = 4_000;
const LEGS = 10_000;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const RESOLVED = Promise.resolve();

// ---- the floor (bench/support/in-process.ts) -------------------------------------------------------
function floorPairs(n: number): void {
  const actor = createActor(floorMachine).start();
  for (let i = 0; i < n; i += 1) {
    actor.send({ type: 'request' });
    actor.send({ type: 'settled' });
  }
  actor.stop();
}

/** The floor's pairs round robin over many started actors: what XState alone loses to 10,000 of them. */
function floorPairsOver(actors: readonly { send(event: FloorEvent): void }[], n: number): void {
  for (let i = 0; i < n; i += 1) {
    const actor = actors[i % actors.length]!;
    actor.send({ type: 'request' });
    actor.send({ type: 'settled' });
  }
}

let sent = 0;
let refused = 0;
/** Counts what leaves; a FAILURE would mean the scenario measured a refusal, not the work. */
const send = (message: OutboundMessage) => {
  sent += 1;
  if ('result' in message.header && message.header.result === 'FAILURE') refused += 1;
};

/** One pool of signals for every destination, as the bridge client gives its legs. */
const signalPool = new SignalPool();

function destination(leg: number): { destination: ConversationDestination; leg: ReturnType<typeof benchLeg> } {
  const l = benchLeg(`leg-${leg}`);
  const d = createConversationDestination({ leg: l, send, target: target(leg), signalPool });
  d.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: target(leg), requestId: `init-${leg}` }, body: {} });
  return { destination: d, leg: l };
}

let requestCounter = 0;
const holdFrame = (leg: number) => ({
  header: { type: 'cti.request', name: 'conversation.request.hold', target: target(leg), requestId: `r-${(requestCounter += 1)}` },
  body: {},
});

/** n pairs: each request is answered once the leg's promise settles (one microtask later). */
async function destinationPairs(destinations: readonly ConversationDestination[], n: number): Promise<void> {
  const before = sent;
  for (let i = 0; i < n; i += 1) {
    const index = i % destinations.length;
    destinations[index]!.receive(holdFrame(index));
    await null;
  }
  if (sent - before !== n) throw new Error(`expected ${n} responses, saw ${sent - before}`);
  if (refused > 0) throw new Error(`${refused} requests were refused: the scenario must measure SUCCESS pairs`);
}

function phoneEvents(one: ReturnType<typeof destination>, n: number): void {
  const before = sent;
  for (let i = 0; i < n; i += 1) one.leg.emit({ type: i % 2 === 0 ? 'muted' : 'unmuted' });
  if (sent - before !== n) throw new Error(`expected ${n} events, saw ${sent - before}`);
}

// ---- a hand-written responder: the same outer work, no chart ------------------------------------
async function handWrittenPairs(n: number): Promise<void> {
  const leg = benchLeg('leg-h');
  const before = sent;
  for (let i = 0; i < n; i += 1) {
    const frame = readFrame(holdFrame(0));
    if (!frame.ok) throw new Error('bad frame');
    const controller = new AbortController();
    leg.hold(controller.signal).then(() => {
      const checked = validateOutbound(respond(frame.header, { ok: true }));
      if (checked.ok) send(checked.message);
    });
    await null;
  }
  if (sent - before !== n) throw new Error('hand-written responder lost a response');
}

// ---- fromPromise per operation (what the invoked variant would add) ------------------------------
const operationLogic = fromPromise(({ signal }: { signal: AbortSignal }) => (signal.aborted ? Promise.reject(new Error('aborted')) : RESOLVED));
async function fromPromiseOperations(n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const actor = createActor(operationLogic).start();
    await null;
    actor.stop();
  }
}
async function effectOperations(n: number): Promise<void> {
  let settled = 0;
  for (let i = 0; i < n; i += 1) {
    const controller = new AbortController();
    Promise.resolve(RESOLVED).then(() => (settled += controller.signal.aborted ? 0 : 1));
    await null;
  }
  if (settled !== n) throw new Error('lost a settle');
}

// ---- rounds -------------------------------------------------------------------------------------
type Scenario = { readonly name: string; readonly units: number; readonly run: () => unknown };

const one = destination(0);
// Leg i is addressed as target(i) by holdFrame(i): the same index, or every answer would be "moved".
const many = Array.from({ length: LEGS }, (_, i) => destination(i).destination);
const floorActors = Array.from({ length: LEGS }, () => createActor(floorMachine).start());
const scenarios: Scenario[] = [
  { name: 'floor pair', units: PAIRS, run: () => floorPairs(PAIRS) },
  { name: 'pair', units: PAIRS, run: () => destinationPairs([one.destination], PAIRS) },
  { name: 'phone event', units: PAIRS, run: () => phoneEvents(one, PAIRS) },
  { name: '10k legs pair', units: LEGS, run: () => destinationPairs(many, LEGS) },
  { name: 'floor 10k actors pair', units: LEGS, run: () => floorPairsOver(floorActors, LEGS) },
  { name: 'hand-written pair', units: PAIRS, run: () => handWrittenPairs(PAIRS) },
  { name: 'fromPromise operation', units: PAIRS, run: () => fromPromiseOperations(PAIRS) },
  { name: 'effect operation', units: PAIRS, run: () => effectOperations(PAIRS) },
];

const samples = new Map<string, number[]>(scenarios.map((s) => [s.name, []]));
for (let round = -1; round < ROUNDS; round += 1) {
  for (let k = 0; k < scenarios.length; k += 1) {
    const scenario = scenarios[(k + Math.max(round, 0)) % scenarios.length]!;
    gc();
    const start = process.hrtime.bigint();
    await scenario.run();
    const us = Number(process.hrtime.bigint() - start) / 1000 / scenario.units;
    if (round >= 0) samples.get(scenario.name)!.push(us);
  }
}
const m = Object.fromEntries([...samples].map(([name, values]) => [name, median(values)])) as Record<string, number>;
/**
 * A ratio is the median of the per-round ratios, as in the rest of the suite: the two figures of
 * one round ran seconds apart under the same load, so a neighbour's burst moves both.
 */
const ratio = (a: string, b: string) => medianRatio(samples.get(a)!, samples.get(b)!);

const floorPair = m['floor pair']!;
const floorSend = floorPair / 2;
const f = (us: number) => (us >= 10 ? us.toFixed(1) : us.toFixed(2));
const x = (ratio: number) => `${ratio.toFixed(2)}×`;
const machineLine = `${suiteMachineLine()} at the end, median of ${ROUNDS} alternating rounds (ratios: the median of the per-round ratios)`;
const table = [
  '| scenario | µs each | per second | against the floor | goal |',
  '|---|---|---|---|---|',
  `| floor: bare three-region machine, two sends per pair | ${f(floorPair)} | ${Math.round(1e6 / floorPair).toLocaleString('en')} | 1× (one send: ${f(floorSend)} µs) | |`,
  `| request → response through createConversationDestination | ${f(m['pair']!)} | ${Math.round(1e6 / m['pair']!).toLocaleString('en')} | ${x(ratio('pair', 'floor pair'))} the floor pair | ≤ 2.5× |`,
  `| phone event through the destination (sends one event) | ${f(m['phone event']!)} | ${Math.round(1e6 / m['phone event']!).toLocaleString('en')} | ${x(2 * ratio('phone event', 'floor pair'))} one floor send | ≤ 2× |`,
  `| request → response, 10,000 legs round robin | ${f(m['10k legs pair']!)} | ${Math.round(1e6 / m['10k legs pair']!).toLocaleString('en')} | ${(100 * ratio('pair', '10k legs pair')).toFixed(0)}% of the one-leg rate (of the medians: ${((100 * m['pair']!) / m['10k legs pair']!).toFixed(0)}%) | ≥ 90% |`,
  `| floor pairs, 10,000 bare actors round robin | ${f(m['floor 10k actors pair']!)} | ${Math.round(1e6 / m['floor 10k actors pair']!).toLocaleString('en')} | ${(100 * ratio('floor pair', 'floor 10k actors pair')).toFixed(0)}% of the one-actor floor rate | |`,
  `| hand-written responder (readFrame, leg call, validateOutbound, send; no chart) | ${f(m['hand-written pair']!)} | ${Math.round(1e6 / m['hand-written pair']!).toLocaleString('en')} | ${x(ratio('hand-written pair', 'floor pair'))} the floor pair | |`,
  `| one operation as an invoked fromPromise actor (createActor, start, settle) | ${f(m['fromPromise operation']!)} | | | |`,
  `| one operation as start/abort effects (AbortController, promise, settle) | ${f(m['effect operation']!)} | | | |`,
].join('\n');

console.log(machineLine);
console.log(table);

if (process.argv.includes('--write')) {
  const section = [
    '## Machine',
    '',
    '`npm run bench:machine` (add `-- --write` to update this section); the scenarios are described at the top',
    `of bench/machine.ts. ${PAIRS} pairs or events per batch (${LEGS} over the 10,000 legs), every scenario once per`,
    'round with the order rotating, gc() before each batch, medians; each ratio the median of the per-round ratios.',
    '',
    `${machineLine}.`,
    '',
    table,
    '',
  ].join('\n');
  writeBenchmarkSection(new URL('../BENCHMARKS.md', import.meta.url), '## Machine', section);
  console.log('wrote the "Machine" section of BENCHMARKS.md');
}
for (const d of [one.destination, ...many]) d.stop();
for (const actor of floorActors) actor.stop();
