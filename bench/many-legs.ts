/**
 * `npm run bench -- many-legs`: what serving 10,000 legs in round robin costs against serving one,
 * for the destination and for the floor (bare actors of the same three-region machine), each
 * contender in a process of its own, in three regimes:
 *  - `batches`: gc() before each batch, 4,000 pairs on one leg or one pair on each of 10,000 legs,
 *    as `npm run bench:machine` times them;
 *  - `steady`: no gc() between batches and 40,000 pairs in each, as a busy server runs: the young
 *    generation is collected as it fills, with each leg's latest snapshot alive in it;
 *  - `crowded`: as `batches`, with about 50 MB of other objects kept alive beside the legs, as
 *    bench:machine's process keeps the destinations and the floor's actors together: what the
 *    rest of the heap does to the figure.
 * A pair is the same shape on both sides: a request in, one microtask, its outcome in. Each
 * process alternates one leg and 10,000 legs round by round (one untimed warm-up round first);
 * each ratio is the median of the per-round ratios. Why it exists: BENCHMARKS.md, "10,000 legs
 * against one, in a heap of their own".
 *
 *   node --expose-gc --import tsx bench/many-legs.ts [--rounds N] [--tiny]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createActor } from 'xstate';
import { createConversationDestination, SignalPool, type ConversationDestination } from '../src/destination/index.js';
import { benchLeg, benchTarget, floorMachine } from './support/in-process.js';
import { machineLine, median, medianRatio, progress, rounds, table, tiny, writeResult } from './support/report.js';

const CONTENDERS = ['destination', 'floor'] as const;
const REGIMES = ['batches', 'steady', 'crowded'] as const;
type Contender = (typeof CONTENDERS)[number];
type Regime = (typeof REGIMES)[number];

const LEGS = tiny ? 100 : 10_000;
/** Pairs per batch: [one leg, many legs]. */
const PAIRS: Readonly<Record<Regime, readonly [number, number]>> = tiny
  ? { batches: [100, 100], steady: [200, 200], crowded: [100, 100] }
  : { batches: [4_000, 10_000], steady: [40_000, 40_000], crowded: [4_000, 10_000] };
/** The `crowded` regime's other live objects: three small objects each, about 50 MB in all. */
const CROWD = tiny ? 1_000 : 500_000;
const ROUNDS = rounds(9);

interface ChildResult {
  readonly oneUs: number[];
  readonly manyUs: number[];
  /** heapUsed after gc() with everything built, in bytes. */
  readonly heapBytes: number;
}

// ---- one contender in one regime, in this process -------------------------------------------------

type Pairs = (legs: 'one' | 'many', n: number) => Promise<void>;

function destinationPairs(): Pairs {
  let answers = 0;
  let requestCounter = 0;
  const signalPool = new SignalPool();
  const make = (i: number): ConversationDestination => {
    const d = createConversationDestination({ leg: benchLeg(`leg-${i}`), send: () => (answers += 1), target: benchTarget(i), signalPool });
    d.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: benchTarget(i), requestId: `init-${i}` }, body: {} });
    return d;
  };
  // The one leg is leg LEGS, beside the 10,000 (legs 0 to LEGS - 1), so both batches run in the same heap.
  const sets = { one: [make(LEGS)], many: Array.from({ length: LEGS }, (_, i) => make(i)) };
  return async (legs, n) => {
    const set = sets[legs];
    const before = answers;
    for (let i = 0; i < n; i += 1) {
      const k = i % set.length;
      const target = benchTarget(legs === 'one' ? LEGS : k);
      set[k]!.receive({ header: { type: 'cti.request', name: 'conversation.request.hold', target, requestId: `r-${(requestCounter += 1)}` }, body: {} });
      await null;
    }
    if (answers - before !== n) throw new Error(`expected ${n} answers, saw ${answers - before}`);
  };
}

function floorPairs(): Pairs {
  const sets = { one: [createActor(floorMachine).start()], many: Array.from({ length: LEGS }, () => createActor(floorMachine).start()) };
  return async (legs, n) => {
    const set = sets[legs];
    for (let i = 0; i < n; i += 1) {
      const actor = set[i % set.length]!;
      actor.send({ type: 'request' });
      await null;
      actor.send({ type: 'settled' });
    }
    if (set.some((actor) => !actor.getSnapshot().matches({ operation: 'idle' }))) throw new Error('a floor actor did not settle');
  };
}

async function child(contender: Contender, regime: Regime): Promise<ChildResult> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const crowd = regime === 'crowded' ? Array.from({ length: CROWD }, (_, i) => ({ i, list: [i], named: { name: String(i) } })) : [];
  const pairs = contender === 'destination' ? destinationPairs() : floorPairs();
  const [oneN, manyN] = PAIRS[regime];
  gc();
  const result: ChildResult = { oneUs: [], manyUs: [], heapBytes: process.memoryUsage().heapUsed };
  for (let round = -1; round < ROUNDS; round += 1) {
    const order = round % 2 === 0 ? (['one', 'many'] as const) : (['many', 'one'] as const);
    for (const legs of order) {
      const n = legs === 'one' ? oneN : manyN;
      if (regime !== 'steady') gc();
      const start = process.hrtime.bigint();
      await pairs(legs, n);
      const us = Number(process.hrtime.bigint() - start) / 1000 / n;
      if (round >= 0) (legs === 'one' ? result.oneUs : result.manyUs).push(us);
    }
  }
  // Read after the rounds, so the crowd stays alive through them.
  if (crowd.length !== (regime === 'crowded' ? CROWD : 0)) throw new Error('the crowd was not kept');
  return result;
}

// ---- the parent: each contender and regime in a process of its own ---------------------------------

const at = process.argv.indexOf('--child');
if (at !== -1) {
  const contender = process.argv[at + 1] as Contender;
  const regime = process.argv[at + 2] as Regime;
  if (!CONTENDERS.includes(contender) || !REGIMES.includes(regime)) throw new Error(`--child <${CONTENDERS.join('|')}> <${REGIMES.join('|')}>`);
  process.stdout.write(`${JSON.stringify(await child(contender, regime))}\n`);
} else {
  const self = fileURLToPath(import.meta.url);
  const passed = [...(tiny ? ['--tiny'] : []), '--rounds', String(ROUNDS)];
  const runs: { contender: Contender; regime: Regime; result: ChildResult }[] = [];
  for (const regime of REGIMES) {
    for (const contender of CONTENDERS) {
      progress(`${contender}, ${regime}: ${ROUNDS} rounds in a process of its own`);
      const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--child', contender, regime, ...passed], {
        stdio: ['ignore', 'pipe', 'inherit'],
        encoding: 'utf8',
      });
      if (run.status !== 0) throw new Error(`many-legs: the ${contender} ${regime} process failed (exit ${run.status ?? run.signal})`);
      runs.push({ contender, regime, result: JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ChildResult });
    }
  }
  const rows = runs.map(({ contender, regime, result }) => {
    const one = median(result.oneUs);
    const many = median(result.manyUs);
    // The rate kept is one leg's time over many legs' time, round by round.
    const kept = medianRatio(result.oneUs, result.manyUs);
    return { contender, regime, oneUs: one, manyUs: many, kept, heapMiB: result.heapBytes / 2 ** 20 };
  });
  console.log(`${machineLine()} at the end, median of ${ROUNDS} alternating rounds in each process (the kept rate: the median of the per-round ratios)`);
  console.log(
    table(
      ['regime', 'contender', 'heap', 'µs a pair, 1 leg', `µs a pair, ${LEGS.toLocaleString('en')} legs`, `${LEGS.toLocaleString('en')} legs keep`],
      rows.map((r) => [r.regime, r.contender, `${r.heapMiB.toFixed(0)} MiB`, r.oneUs.toFixed(1), r.manyUs.toFixed(1), `${(100 * r.kept).toFixed(0)}% of the one-leg rate`]),
    ),
  );
  console.log(`results: ${writeResult('many-legs', { legs: LEGS, rounds: ROUNDS, pairs: PAIRS, rows, runs })}`);
}
