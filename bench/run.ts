/**
 * `npm run bench`: the whole suite, one script after another, each in a process of its own (a
 * clean heap, no JIT state carried over), then one table of the headline figures and ratios with
 * the machine and its load. Every script prints its own table and writes bench/results/<name>.json;
 * this runner writes bench/results/suite.json.
 *
 *   npm run bench                      every script
 *   npm run bench -- saturation memory only those (names below, or a prefix)
 *   npm run bench -- --tiny            tiny counts: the CI smoke run; no figure means anything
 *   npm run bench -- --rounds 3        fewer alternating rounds (a busy machine)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cold, fmt, machineLine, table, tiny, writeResult } from './support/report.js';

interface Script {
  readonly name: string;
  readonly file: string;
  /** The JSON it writes in bench/results/, if it writes one. */
  readonly result?: string;
}

const SCRIPTS: readonly Script[] = [
  { name: 'machine', file: 'machine.ts' },
  { name: 'many-legs', file: 'many-legs.ts', result: 'many-legs' },
  { name: 'validate', file: 'validate.ts' },
  { name: 'leg-rate', file: 'leg-rate.ts', result: 'leg-rate' },
  { name: 'memory', file: 'memory.ts', result: 'memory' },
  { name: 'saturation', file: 'tcp-saturation.ts', result: 'tcp-saturation' },
  { name: 'latency', file: 'tcp-latency.ts', result: 'tcp-latency' },
  { name: 'storm', file: 'reconnect-storm.ts', result: 'reconnect-storm' },
  { name: 'record', file: 'record.ts', result: 'record' },
];

const roundsAt = process.argv.indexOf('--rounds');
const passRounds = roundsAt !== -1 ? ['--rounds', process.argv[roundsAt + 1] ?? ''] : [];
const wanted = process.argv.slice(2).filter((arg, i, all) => !arg.startsWith('--') && all[i - 1] !== '--rounds');
const chosen = wanted.length === 0 ? SCRIPTS : SCRIPTS.filter((s) => wanted.some((w) => s.name.startsWith(w)));
if (chosen.length === 0) {
  console.error(`npm run bench: no script named ${wanted.join(', ')}; choose from ${SCRIPTS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}

console.log(`npm run bench${tiny ? ' (tiny: a smoke run, figures meaningless)' : ''}: ${chosen.map((s) => s.name).join(', ')}\n${machineLine()}`);
const outputs: Record<string, string> = {};
let failed = 0;
for (const script of chosen) {
  const file = fileURLToPath(new URL(script.file, import.meta.url));
  const started = Date.now();
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=6144', '--import', 'tsx', file, ...(tiny ? ['--tiny'] : []), ...(cold ? ['--cold'] : []), ...passRounds], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  process.stdout.write(run.stdout ?? '');
  outputs[script.name] = run.stdout ?? '';
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed += 1;
    console.error(`\nbench ${script.name} failed (exit ${run.status ?? run.signal}) after ${seconds} s`);
  } else console.log(`\n(${script.name}: ${seconds} s)`);
}

const read = (name: string): Record<string, any> | undefined => {
  const path = fileURLToPath(new URL(`results/${name}${tiny ? '.tiny' : ''}.json`, import.meta.url));
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>) : undefined;
};

// --- The headline table: each figure beside its baseline and the goal -----------------------------
const rows: string[][] = [];
const ran = new Set(chosen.map((s) => s.name));
const satFile = ran.has('saturation') ? read('tcp-saturation') : undefined;
const sat = satFile?.['summary'];
if (sat) {
  rows.push(['TCP saturation, 64 outstanding, 1 leg', fmt.rate(sat.client1PerSecond), `echo ${fmt.rate(sat.echoPerSecond)}`, fmt.pct(sat.client1VsEcho), '≥ 35%']);
  rows.push([`TCP saturation, ${satFile?.['legs']} legs ÷ 1 leg`, fmt.rate(sat.clientManyPerSecond), `1 leg ${fmt.rate(sat.client1PerSecond)}`, fmt.pct(sat.clientManyVsOne), '≥ 90%']);
  if (sat.clientSpreadPerSecond !== undefined) {
    rows.push([`TCP saturation, ${satFile?.['spreadLegs']} legs ÷ 1 leg (the queue's shared steps)`, fmt.rate(sat.clientSpreadPerSecond), `1 leg ${fmt.rate(sat.client1PerSecond)}`, fmt.pct(sat.clientSpreadVsOne), '(shown)']);
    rows.push([`TCP saturation, ${satFile?.['legs']} legs ÷ ${satFile?.['spreadLegs']} legs (many legs' objects)`, fmt.rate(sat.clientManyPerSecond), `${satFile?.['spreadLegs']} legs ${fmt.rate(sat.clientSpreadPerSecond)}`, fmt.pct(sat.clientManyVsSpread), '(shown)']);
  }
  rows.push(['TCP saturation, inspector + listeners ÷ none', fmt.rate(sat.clientWatchedPerSecond), `none ${fmt.rate(sat.client1PerSecond)}`, fmt.pct(sat.watchedVsUnwatched), '(shown)']);
}
const lat = ran.has('latency') ? read('tcp-latency')?.['summary'] : undefined;
if (lat) {
  for (const [rate, f] of Object.entries(lat) as [string, any][]) {
    const bound = Number(rate) <= 1000 ? '2×' : '5×';
    rows.push([`open loop ${rate}/s: achieved`, fmt.pct(f.clientAchievedShare), `echo ${fmt.pct(f.echoAchievedShare)}`, '', '≥ 99%']);
    rows.push([`open loop ${rate}/s: p50 / p99 / p99.9`, `${fmt.ms(f.clientP50Ms)} / ${fmt.ms(f.clientP99Ms)} / ${fmt.ms(f.clientP999Ms)}`, `echo ${fmt.ms(f.echoP50Ms)} / ${fmt.ms(f.echoP99Ms)} / ${fmt.ms(f.echoP999Ms)}`, `p99 ${fmt.ratio(f.p99VsEcho)}`, `p99 ≤ ${bound} echo`]);
  }
}
const stormFile = ran.has('storm') ? read('reconnect-storm') : undefined;
const storm = stormFile?.['summary'];
if (storm) rows.push([`reconnect storm, ${stormFile?.['legs']} re-inits`, fmt.ms(storm.clientMs), `echo ${fmt.ms(storm.echoMs)}`, fmt.ratio(storm.clientVsEcho), '≤ 5×']);
const manyFile = ran.has('many-legs') ? read('many-legs') : undefined;
for (const r of (manyFile?.['rows'] ?? []) as { contender: string; regime: string; oneUs: number; manyUs: number; kept: number }[]) {
  rows.push([
    `in process, ${manyFile?.['legs']} legs ÷ 1 leg (${r.regime}, a process of its own)`,
    `${r.contender} ${(1e6 / r.manyUs / 1e3).toFixed(1)} k/s`,
    `1 leg ${(1e6 / r.oneUs / 1e3).toFixed(1)} k/s`,
    fmt.pct(r.kept),
    r.contender === 'destination' ? '≥ 90%' : '(the floor: XState alone)',
  ]);
}
const mem = ran.has('memory') ? read('memory')?.['summary'] : undefined;
if (mem) {
  for (const [count, f] of Object.entries(mem) as [string, any][]) {
    rows.push([`heap per idle initialised leg at ${count}`, fmt.kib(f.clientBytes), `floor ${fmt.kib(f.floorBytes)}`, `+${fmt.kib(f.overFloorBytes)}`, '≤ floor + 1.5 KiB']);
  }
}
const rate = ran.has('leg-rate') ? read('leg-rate')?.['summary'] : undefined;
if (rate) rows.push(['legs created + initialised', fmt.rate(rate.destinationPerSecond), `floor ${fmt.rate(rate.floorPerSecond)}`, fmt.pct(rate.destinationVsFloor), '≥ 66.7%']);
// Recording's cost is the median of per-round costs (each round's two runs under the same load),
// not a comparison of the two medians beside it: on a shared machine those can even disagree in sign.
const recordFile = ran.has('record') ? read('record') : undefined;
const recording = recordFile?.['summary'];
if (recording) {
  rows.push([
    `recording a trace, ${recordFile?.['legs']} legs: requests/s`,
    `${recording.recordingPerSecond.toFixed(0)}/s`,
    `not recording ${recording.notRecordingPerSecond.toFixed(0)}/s`,
    `cost ${fmt.pct(recording.throughputCost)} (median of per-round costs)`,
    '(shown)',
  ]);
  rows.push([
    'recording a trace: client CPU per request',
    fmt.ms(recording.recordingCpuMicrosPerRequest / 1000),
    `not recording ${fmt.ms(recording.notRecordingCpuMicrosPerRequest / 1000)}`,
    `cost ${fmt.pct(recording.cpuCost)} (median of per-round costs)`,
    '(shown)',
  ]);
}

if (rows.length > 0) {
  console.log(`\n## Summary\n\n${machineLine()}\n`);
  console.log(table(['figure', 'ours', 'baseline', 'ratio', 'goal'], rows));
}
const file = writeResult('suite', { scripts: chosen.map((s) => s.name), failed, rows, outputs: Object.fromEntries(Object.entries(outputs).filter(([name]) => !chosen.find((s) => s.name === name)?.result)) });
console.log(`\nresults: ${file}`);
if (failed > 0) process.exit(1);
