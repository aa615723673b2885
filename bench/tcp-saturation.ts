/**
 * `npm run bench -- saturation` (or `node --expose-gc --import tsx bench/tcp-saturation.ts`):
 * requests per second through `createBridgeClient` over loopback TCP with 64 requests
 * outstanding (closed loop: the bridge writes one more per answer), against the raw framed echo on
 * the same bridge process as the limit. The client serves one leg, then 64 legs and 10,000 legs in
 * round robin, then one leg with an inspector, a traffic listener and a diagnostics listener
 * attached. On one leg 63 of the 64 outstanding requests wait in its queue and share its steps;
 * on 64 legs each has about one, so 64 ÷ 1 is what spreading the load costs and 10,000 ÷ 64 what
 * many legs' cold objects cost (BENCHMARKS.md, "What bounds the figures now").
 * Each request is a senddtmf of one digit: parse, validate, route, the machine, the phone (a
 * microtask), the response validated, serialised and written.
 *
 * Every contender is warmed before it is timed: after its inits the bridge sends it WARMUP
 * requests at the same saturation, untimed, then the timed TOTAL. A client runs for hours; without
 * the warm-up a fresh one is timed while V8 still compiles it, and the 10,000-leg client is timed
 * on each leg's first request, when the leg's lazily made structures are built (both measured and
 * described in BENCHMARKS.md, "Warm-up").
 */
import { createConversationDestination } from '../src/destination/index.js';
import { alternate, cold, fmt, machineLine, median, medianRatio, table, tiny, writeResult, rounds } from './support/report.js';
import { startClient, startEcho, talkingPhone, type Contender } from './tcp/contenders.js';
import type { BenchBridge } from './tcp/bridge.js';
import { pause, warmUp, withBridge } from './tcp/session.js';

const ROUNDS = rounds(5);
const TOTAL = tiny ? 200 : 30_000;
/** Untimed requests before the timed ones: one per leg of the many-leg client, whose timed ones are then its second to fourth. */
const WARMUP = cold ? 0 : tiny ? 50 : 10_000;
const MANY = tiny ? 50 : 10_000;
const OUTSTANDING = 64;
/** As many legs as requests outstanding: about one on each. */
const SPREAD = tiny ? 8 : OUTSTANDING;
const GRACE_MS = tiny ? 2_000 : 5_000;

export interface SaturationFigures {
  readonly echo: number[];
  readonly client1: number[];
  readonly clientSpread: number[];
  readonly clientMany: number[];
  readonly clientWatched: number[];
}

async function measure(bridge: BenchBridge, start: () => Promise<Contender>, legIds: readonly string[]): Promise<number> {
  const contender = await start();
  try {
    const init = await bridge.run({ cmd: 'inits', legIds, graceMs: GRACE_MS });
    if (init.answered !== legIds.length) throw new Error(`only ${init.answered} of ${legIds.length} inits were answered`);
    await warmUp(bridge, legIds, WARMUP, GRACE_MS);
    const result = await bridge.run({ cmd: 'saturate', legIds, outstanding: OUTSTANDING, total: TOTAL, graceMs: GRACE_MS });
    if (result.answered !== TOTAL || result.failed !== 0) throw new Error(`saturation: ${result.answered} answered, ${result.failed} failed of ${TOTAL}`);
    return (result.answered / result.ms) * 1000;
  } finally {
    await contender.close();
    await pause();
  }
}

export async function saturation(): Promise<Record<string, unknown>> {
  return withBridge(async (bridge) => {
    const one = await talkingPhone(1);
    const spread = await talkingPhone(SPREAD);
    const many = await talkingPhone(MANY);
    const watched = await talkingPhone(1);
    const listen = (): undefined => undefined;
    const figures = (await alternate(ROUNDS, {
      echo: () => measure(bridge, () => startEcho(bridge), one.legIds),
      client1: () => measure(bridge, () => startClient(bridge, one.phone), one.legIds),
      clientSpread: () => measure(bridge, () => startClient(bridge, spread.phone), spread.legIds),
      clientMany: () => measure(bridge, () => startClient(bridge, many.phone), many.legIds),
      clientWatched: () =>
        measure(
          bridge,
          () =>
            startClient(bridge, watched.phone, {
              onTraffic: listen,
              onDiagnostic: listen,
              createDestination: (o) => createConversationDestination({ ...o, inspect: listen }),
            }),
          watched.legIds,
        ),
    })) as unknown as SaturationFigures;
    const rows: [string, number[], number[]][] = [
      ['raw framed echo (the limit)', figures.echo, figures.echo],
      ['client, 1 leg', figures.client1, figures.echo],
      [`client, ${SPREAD} legs round robin`, figures.clientSpread, figures.echo],
      [`client, ${MANY} legs round robin`, figures.clientMany, figures.echo],
      ['client, 1 leg, inspector + traffic + diagnostics listeners', figures.clientWatched, figures.echo],
    ];
    console.log(`\n## TCP saturation (${OUTSTANDING} outstanding, ${TOTAL} senddtmf requests a run after ${WARMUP} untimed, ${ROUNDS} rounds)\n\n${machineLine()}\n`);
    console.log(
      table(
        ['contender', 'requests/s (median)', '÷ echo (median of rounds)'],
        rows.map(([name, values, base]) => [name, fmt.rate(median(values)), fmt.pct(medianRatio(values, base))]),
      ),
    );
    const manyVsOne = medianRatio(figures.clientMany, figures.client1);
    const spreadVsOne = medianRatio(figures.clientSpread, figures.client1);
    const manyVsSpread = medianRatio(figures.clientMany, figures.clientSpread);
    console.log(`\n${MANY} legs keep ${fmt.pct(manyVsOne)} of one leg's throughput: ${SPREAD} legs keep ${fmt.pct(spreadVsOne)} of one leg's, ${MANY} legs ${fmt.pct(manyVsSpread)} of ${SPREAD} legs'.`);
    const summary = {
      echoPerSecond: median(figures.echo),
      client1PerSecond: median(figures.client1),
      clientSpreadPerSecond: median(figures.clientSpread),
      clientManyPerSecond: median(figures.clientMany),
      clientWatchedPerSecond: median(figures.clientWatched),
      client1VsEcho: medianRatio(figures.client1, figures.echo),
      clientManyVsOne: manyVsOne,
      clientSpreadVsOne: spreadVsOne,
      clientManyVsSpread: manyVsSpread,
      watchedVsUnwatched: medianRatio(figures.clientWatched, figures.client1),
    };
    const file = writeResult('tcp-saturation', { rounds: ROUNDS, total: TOTAL, warmup: WARMUP, legs: MANY, spreadLegs: SPREAD, outstanding: OUTSTANDING, figures, summary });
    console.log(`\nresults: ${file}`);
    return summary;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await saturation();
