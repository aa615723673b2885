/**
 * `npm run bench:record` (also `npm run bench -- record`, and in the suite's tiny smoke run): what
 * recording a trace (docs/traces.md) costs the bridge client, beside the same client not
 * recording, in one run. The client runs in a child process (its CPU time is measured there) with
 * a SimulatedPhone of LEGS answered legs; this process is the bridge (the bridge simulator) and
 * keeps every leg busy: hold, then retrieve, CYCLES times per leg, all legs at once. Each of these
 * requests makes six trace lines (the frame in, the operation started and settled, the phone
 * event, the response and the event out). Recording and not recording take turns over ROUNDS
 * rounds each (a fresh client per round, the order turning each round).
 *
 * Two kinds of figure, labelled as such in the table: each contender's throughput and CPU time are
 * the medians of its own rounds; the cost is the median of the per-round costs, each taken between
 * the two runs of one round, under the same load. They need not agree: on a shared machine the
 * load moves between rounds, so the recording client's median throughput can come out above the
 * other's while recording still costs in most rounds. The per-round costs are printed too.
 * `-- --write` also writes the figures into BENCHMARKS.md ("Recording").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBridgeSimulator } from '../src/simulator/index.js';
import { writeBenchmarkSection } from './support/benchmarks-file.js';
import { alternate, machineLine, median, rounds, tiny, writeResult } from './support/report.js';

const LEGS = tiny ? 2 : 20;
const CYCLES = tiny ? 3 : 60;
const ROUNDS = rounds(7);
const target = (i: number): string => `PB1.S-1.G-1.TEL.I-${i}.leg-${i}`;

interface Round {
  readonly requestsPerSecond: number;
  readonly clientCpuMicrosPerRequest: number;
  readonly traceBytes: number;
}

function ask<T>(child: ChildProcess, message: string, key: string): Promise<T> {
  return new Promise((resolve) => {
    const listener = (reply: unknown) => {
      if (typeof reply === 'object' && reply !== null && key in reply) {
        child.off('message', listener);
        resolve(reply as T);
      }
    };
    child.on('message', listener);
    if (message !== '') child.send(message);
  });
}

async function round(record: boolean, dir: string, n: number): Promise<Round> {
  const sim = await createBridgeSimulator({ host: '127.0.0.1', port: 0 });
  const file = record ? join(dir, `round-${n}.jsonl`) : '';
  const child = fork(new URL('./support/record-client.ts', import.meta.url).pathname, [String(sim.port), String(LEGS), file], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await ask(child, '', 'ready');
    await sim.waitForConnection();
    const legs = [...Array(LEGS).keys()];
    await Promise.all(
      legs.map(async (i) => {
        await sim.init(target(i));
        await sim.request(target(i), 'answer');
      }),
    );
    const cpuBefore = (await ask<{ cpuMicros: number }>(child, 'cpu', 'cpuMicros')).cpuMicros;
    const start = process.hrtime.bigint();
    await Promise.all(
      legs.map(async (i) => {
        for (let c = 0; c < CYCLES; c++) {
          await sim.request(target(i), 'hold');
          await sim.request(target(i), 'retrieve');
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpuAfter = (await ask<{ cpuMicros: number }>(child, 'cpu', 'cpuMicros')).cpuMicros;
    await ask(child, 'close', 'closed');
    const requests = LEGS * CYCLES * 2;
    return {
      requestsPerSecond: requests / seconds,
      clientCpuMicrosPerRequest: (cpuAfter - cpuBefore) / requests,
      traceBytes: record ? statSync(file).size : 0,
    };
  } finally {
    child.kill();
    await sim.close();
  }
}

const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));
let files = 0;
let figures: { base: Round[]; recorded: Round[] };
try {
  figures = (await alternate(ROUNDS, {
    base: () => round(false, dir, files++),
    recorded: () => round(true, dir, files++),
  })) as { base: Round[]; recorded: Round[] };
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const { base, recorded } = figures;

/** Each round's cost: recording against not recording in the same round, under the same load. */
const throughputCosts = recorded.map((rec, i) => 1 - rec.requestsPerSecond / (base[i] as Round).requestsPerSecond);
const cpuCosts = recorded.map((rec, i) => rec.clientCpuMicrosPerRequest / (base[i] as Round).clientCpuMicrosPerRequest - 1);
const throughputCost = median(throughputCosts);
const cpuCost = median(cpuCosts);
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const rate = (rounds: readonly Round[]): number => median(rounds.map((r) => r.requestsPerSecond));
const cpu = (rounds: readonly Round[]): number => median(rounds.map((r) => r.clientCpuMicrosPerRequest));
const row = (name: string, rounds: readonly Round[]) => `| ${name} | ${rate(rounds).toFixed(0)} requests/s | ${cpu(rounds).toFixed(0)} µs |`;
const bytesPerRequest = median(recorded.map((r) => r.traceBytes)) / (LEGS * CYCLES * 2);
const each = (costs: readonly number[]): string => costs.map((c) => pct(c)).join(', ');

const table = [
  `| client | throughput, median of its ${ROUNDS} rounds | client CPU per request, median of its ${ROUNDS} rounds |`,
  '|---|---|---|',
  row('not recording', base),
  row('recording (masked, the default)', recorded),
  `| **recording's cost: median of the ${ROUNDS} per-round costs** | **${pct(throughputCost)}** fewer requests/s | **${pct(cpuCost)}** more CPU per request |`,
  `| the two medians above compared (across rounds, not under the same load) | ${pct(1 - rate(recorded) / rate(base))} | ${pct(cpu(recorded) / cpu(base) - 1)} |`,
].join('\n');
const perRound = `per-round costs, in round order: throughput ${each(throughputCosts)}; CPU per request ${each(cpuCosts)}`;
process.stdout.write(`\n## Recording (${LEGS} legs, ${LEGS * CYCLES * 2} requests a round, ${ROUNDS} rounds)\n\n${machineLine()}\n\n${table}\n\n${perRound}\ntrace: ${bytesPerRequest.toFixed(0)} bytes per request\n`);

const summary = {
  notRecordingPerSecond: rate(base),
  recordingPerSecond: rate(recorded),
  notRecordingCpuMicrosPerRequest: cpu(base),
  recordingCpuMicrosPerRequest: cpu(recorded),
  throughputCost,
  cpuCost,
  traceBytesPerRequest: bytesPerRequest,
};
const file = writeResult('record', { rounds: ROUNDS, legs: LEGS, cycles: CYCLES, figures, throughputCosts, cpuCosts, summary });
console.log(`\nresults: ${file}`);

if (process.argv.includes('--write') && !tiny) {
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url),
    '## Recording',
    `## Recording

\`npm run bench:record\` (or \`npm run bench -- record\`; \`npm run bench:record -- --write\` also
rewrites this section). What recording a trace (\`client --record FILE\`, docs/traces.md) costs the
bridge client, beside the same client not recording, in one run. The client runs in its own
process with a SimulatedPhone of ${LEGS} answered legs; the bridge simulator in the bench process keeps
every leg busy (hold, then retrieve, ${CYCLES} times per leg, all legs at once: ${LEGS * CYCLES * 2} requests a round,
six trace lines each). The two take turns over ${ROUNDS} rounds each, a fresh client per round, the
order turning each round.

Which figure is which: the first two rows are each client's own medians over its ${ROUNDS} rounds; the
cost (bold) is the median of the ${ROUNDS} per-round costs, each between the two runs of one round,
under the same load. The last row compares the two medians, for reference only: on a shared
machine the load moves between rounds, so those medians come from different rounds and can even
put the recording client ahead. Throughput is bounded by both processes; the client's CPU time
per request is the stricter figure.

${machineLine()}.

${table}

- per-round costs, in round order (recording against not recording in the same round):
  throughput ${each(throughputCosts)};
  client CPU per request ${each(cpuCosts)}
- the trace grows by ${bytesPerRequest.toFixed(0)} bytes per request (masked, JSON lines)
`,
  );
}
