/**
 * `npm run bench:record`: what recording a trace (docs/traces.md) costs the bridge client, beside
 * the same client not recording, in one run. The client runs in a child process (its CPU time is
 * measured there) with a SimulatedPhone of LEGS answered legs; this process is the bridge (the
 * bridge simulator) and keeps every leg busy: hold, then retrieve, CYCLES times per leg, all legs
 * at once. Each of these requests makes six trace lines (the frame in, the operation started and
 * settled, the phone event, the response and the event out). Recording and not recording take
 * turns over ROUNDS rounds each (a fresh client per round); figures are medians, the cost is the
 * median of per-round ratios. `-- --write` also writes the figures into BENCHMARKS.md ("Recording").
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBridgeSimulator } from '../src/simulator/index.js';
import { writeBenchmarkSection } from './support/benchmarks-file.js';

const LEGS = 20;
const CYCLES = 60;
const ROUNDS = 7;
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

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const dir = mkdtempSync(join(tmpdir(), 'bench-record-'));
const base: Round[] = [];
const recorded: Round[] = [];
try {
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so a drift of the machine's load favours neither.
    for (const record of r % 2 === 0 ? [false, true] : [true, false]) (record ? recorded : base).push(await round(record, dir, r));
    process.stderr.write('.');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stderr.write('\n');

const throughputCost = 1 - median(recorded.map((rec, i) => rec.requestsPerSecond / (base[i] as Round).requestsPerSecond));
const cpuCost = median(recorded.map((rec, i) => rec.clientCpuMicrosPerRequest / (base[i] as Round).clientCpuMicrosPerRequest)) - 1;
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
const row = (name: string, rounds: readonly Round[]) =>
  `| ${name} | ${median(rounds.map((r) => r.requestsPerSecond)).toFixed(0)} requests/s | ${median(rounds.map((r) => r.clientCpuMicrosPerRequest)).toFixed(0)} µs |`;
const bytesPerRequest = median(recorded.map((r) => r.traceBytes)) / (LEGS * CYCLES * 2);

const table = [
  '| client | throughput | client CPU per request |',
  '|---|---|---|',
  row('not recording', base),
  row('recording (masked, the default)', recorded),
  `| **recording's cost** | **${pct(throughputCost)}** | **${pct(cpuCost)}** |`,
].join('\n');
process.stdout.write(`${table}\n\ntrace: ${bytesPerRequest.toFixed(0)} bytes per request\n`);

if (process.argv.includes('--write')) {
  writeBenchmarkSection(
    new URL('../BENCHMARKS.md', import.meta.url),
    '## Recording',
    `## Recording

\`npm run bench:record\` (add \`-- --write\` to update this section). What recording a trace
(\`client --record FILE\`, docs/traces.md) costs the bridge client, beside the same client not
recording, in one run. The client runs in its own process with a SimulatedPhone of ${LEGS} answered
legs; the bridge simulator in the bench process keeps every leg busy (hold, then retrieve, ${CYCLES}
times per leg, all legs at once: ${LEGS * CYCLES * 2} requests a round, six trace lines each). The
two take turns over ${ROUNDS} rounds each, a fresh client per round; figures are medians, the costs
the median of per-round ratios. Throughput is bounded by both processes on a shared machine; the
client's CPU time per request is the stricter figure.

Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}.

${table}

- the trace grows by ${bytesPerRequest.toFixed(0)} bytes per request (masked, JSON lines)
`,
  );
}
