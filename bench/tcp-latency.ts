/**
 * `npm run bench -- latency`: open loop over loopback TCP. The bridge process writes senddtmf
 * requests at 1,000, 5,000 and 10,000 a second on a 1 ms tick (10,000 legs in round robin),
 * whatever comes back, and times each from its write to its decoded answer. Beside it the raw
 * framed echo on the same bridge. "Held" means at least 99% of the offered rate was achieved
 * (answers ÷ time from the first write to the last answer).
 *
 * Each contender is warmed first, untimed: after its inits the bridge sends it WARMUP requests at
 * saturation (64 outstanding), then pauses, then offers the timed rate. A client runs for hours;
 * a fresh one timed at once at 1,000/s is timed while V8 still compiles it (BENCHMARKS.md,
 * "Warm-up", has the figures with and without).
 */
import { alternate, cold, fmt, machineLine, median, medianRatio, quantile, table, tiny, writeResult, rounds } from './support/report.js';
import type { BenchBridge } from './tcp/bridge.js';
import { startClient, startEcho, talkingPhone, type Contender } from './tcp/contenders.js';
import { pause, warmUp, withBridge } from './tcp/session.js';

const ROUNDS = rounds(5);
const RATES = tiny ? [500, 2_000] : [1_000, 5_000, 10_000];
const SECONDS = tiny ? 0.2 : 3;
const LEGS = tiny ? 50 : 10_000;
const GRACE_MS = tiny ? 2_000 : 3_000;
/** Untimed requests at saturation before the timed rate: two per leg. */
const WARMUP = cold ? 0 : tiny ? 100 : 20_000;

interface OpenFigure {
  readonly achieved: number;
  readonly p50: number;
  readonly p99: number;
  readonly p999: number;
  readonly answered: number;
  readonly sent: number;
}

async function measure(bridge: BenchBridge, start: () => Promise<Contender>, legIds: readonly string[], rate: number): Promise<OpenFigure> {
  const contender = await start();
  try {
    const init = await bridge.run({ cmd: 'inits', legIds, graceMs: GRACE_MS });
    if (init.answered !== legIds.length) throw new Error(`only ${init.answered} of ${legIds.length} inits were answered`);
    await warmUp(bridge, legIds, WARMUP, GRACE_MS);
    await pause(50);
    const total = Math.round(rate * SECONDS);
    const r = await bridge.run({ cmd: 'open', legIds, rate, total, graceMs: GRACE_MS });
    if (r.failed !== 0) throw new Error(`${r.failed} requests failed`);
    return {
      achieved: (r.answered / r.ms) * 1000,
      p50: quantile(r.latenciesMs, 0.5),
      p99: quantile(r.latenciesMs, 0.99),
      p999: quantile(r.latenciesMs, 0.999),
      answered: r.answered,
      sent: r.sent,
    };
  } finally {
    await contender.close();
    await pause();
  }
}

export async function latency(): Promise<Record<string, unknown>> {
  return withBridge(async (bridge) => {
    const { phone, legIds } = await talkingPhone(LEGS);
    const byRate: Record<string, { echo: OpenFigure[]; client: OpenFigure[] }> = {};
    for (const rate of RATES) {
      byRate[rate] = (await alternate(ROUNDS, {
        echo: () => measure(bridge, () => startEcho(bridge), legIds, rate),
        client: () => measure(bridge, () => startClient(bridge, phone), legIds, rate),
      })) as { echo: OpenFigure[]; client: OpenFigure[] };
    }
    const pick = (figures: readonly OpenFigure[], key: keyof OpenFigure): number[] => figures.map((f) => f[key]);
    const rows: string[][] = [];
    const summary: Record<string, unknown> = {};
    for (const rate of RATES) {
      const { echo, client } = byRate[rate]!;
      for (const [name, figures] of [['echo', echo], ['client', client]] as const) {
        rows.push([
          `${rate}/s`,
          name,
          `${fmt.rate(median(pick(figures, 'achieved')))} (${fmt.pct(median(pick(figures, 'achieved')) / rate)})`,
          fmt.ms(median(pick(figures, 'p50'))),
          fmt.ms(median(pick(figures, 'p99'))),
          fmt.ms(median(pick(figures, 'p999'))),
        ]);
      }
      const p99Ratio = medianRatio(pick(client, 'p99'), pick(echo, 'p99'));
      rows.push([`${rate}/s`, 'client ÷ echo', '', fmt.ratio(medianRatio(pick(client, 'p50'), pick(echo, 'p50'))), fmt.ratio(p99Ratio), fmt.ratio(medianRatio(pick(client, 'p999'), pick(echo, 'p999')))]);
      summary[rate] = {
        clientAchievedShare: median(pick(client, 'achieved')) / rate,
        echoAchievedShare: median(pick(echo, 'achieved')) / rate,
        clientP50Ms: median(pick(client, 'p50')),
        clientP99Ms: median(pick(client, 'p99')),
        clientP999Ms: median(pick(client, 'p999')),
        echoP50Ms: median(pick(echo, 'p50')),
        echoP99Ms: median(pick(echo, 'p99')),
        echoP999Ms: median(pick(echo, 'p999')),
        p99VsEcho: p99Ratio,
      };
    }
    console.log(`\n## TCP latency, open loop (${LEGS} legs round robin, ${SECONDS} s per rate after ${WARMUP} untimed requests, ${ROUNDS} rounds)\n\n${machineLine()}\n`);
    console.log(table(['offered', 'contender', 'achieved', 'p50', 'p99', 'p99.9'], rows));
    const file = writeResult('tcp-latency', { rounds: ROUNDS, seconds: SECONDS, legs: LEGS, warmup: WARMUP, byRate, summary });
    console.log(`\nresults: ${file}`);
    return summary;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await latency();
