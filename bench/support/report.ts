/**
 * What every benchmark script shares: the machine and its load (printed with every table, since
 * the machine is shared and the figures move with the load), medians and percentiles, the tiny
 * scale of the CI smoke run, alternating rounds and the JSON results in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** `--tiny` (or BENCH_TINY=1): counts small enough for CI to check the scripts still run; no figure means anything. */
export const tiny = process.argv.includes('--tiny') || process.env['BENCH_TINY'] === '1';

/**
 * `--cold` (or BENCH_COLD=1): the TCP benches time each contender fresh, without their untimed
 * warm-up, as the first seconds of a newly started client are (BENCHMARKS.md, "Warm-up").
 */
export const cold = process.argv.includes('--cold') || process.env['BENCH_COLD'] === '1';

/**
 * `--rounds N` (or BENCH_ROUNDS=N): fewer (or more) alternating rounds than a script's default,
 * for a machine too busy to finish the full suite in reasonable time. Printed with each table.
 */
export function rounds(fallback: number): number {
  if (tiny) return 1;
  const at = process.argv.indexOf('--rounds');
  const given = Number(at !== -1 ? process.argv[at + 1] : process.env['BENCH_ROUNDS']);
  return Number.isInteger(given) && given > 0 ? given : fallback;
}

/** A line on stderr so a long run shows where it is (stdout holds only the tables). */
export function progress(line: string): void {
  process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${line}\n`);
}

export interface MachineInfo {
  readonly node: string;
  readonly cpu: string;
  readonly cores: number;
  readonly loadAverage: readonly number[];
  readonly date: string;
}

export function machine(): MachineInfo {
  const list = cpus();
  return {
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
    date: new Date().toISOString(),
  };
}

export function machineLine(m: MachineInfo = machine()): string {
  return `Node ${m.node}, ${m.cpu} (${m.cores} cores), load average ${m.loadAverage.join(' / ')} (1/5/15 min), ${m.date.slice(0, 16)}Z`;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The p-quantile (0..1) of values already sorted ascending (nearest rank). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Runs every contender once per round, the order turning each round (A B, B A, A B...), so drift in
 * the machine's load falls on both sides. Returns each contender's results in round order.
 */
export async function alternate<T>(rounds: number, contenders: Readonly<Record<string, () => Promise<T>>>): Promise<Record<string, T[]>> {
  const names = Object.keys(contenders);
  const out: Record<string, T[]> = Object.fromEntries(names.map((n) => [n, [] as T[]]));
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      out[name]!.push(await contenders[name]!());
      progress(`round ${round + 1}/${rounds} ${name}: ${JSON.stringify(out[name]!.at(-1), (_k, v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) / 1000 : v))}`);
    }
  }
  return out;
}

/** Median of the per-round ratios a[i] / b[i]: the ratio is taken under the same load. */
export function medianRatio(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, i) => value / b[i]!));
}

const gcFn = (globalThis as { gc?: () => void }).gc;
export function gc(): void {
  if (!gcFn) throw new Error('run with node --expose-gc');
  gcFn();
  gcFn();
}

export const resultsDir = new URL('../results/', import.meta.url);

/** Writes bench/results/<name>.json (the machine included) and returns its path. */
export function writeResult(name: string, data: Record<string, unknown>): string {
  mkdirSync(resultsDir, { recursive: true });
  const file = new URL(`${name}${tiny ? '.tiny' : ''}.json`, resultsDir);
  writeFileSync(file, `${JSON.stringify({ name, tiny, machine: machine(), ...data }, null, 2)}\n`);
  return file.pathname;
}

/** A markdown table. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export const fmt = {
  rate: (perSecond: number): string => (perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(2)} M/s` : `${(perSecond / 1e3).toFixed(1)} k/s`),
  ms: (ms: number): string => (ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(0)} µs`),
  ratio: (r: number): string => `${r.toFixed(2)}×`,
  pct: (r: number): string => `${(r * 100).toFixed(1)}%`,
  kib: (bytes: number): string => `${(bytes / 1024).toFixed(2)} KiB`,
};
