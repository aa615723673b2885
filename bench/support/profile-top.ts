/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per file
 * group, so BENCHMARKS.md can say where the time of a request goes.
 *   node --import tsx bench/support/profile-top.ts <file.cpuprofile> [top] [requests]
 * With `requests`, each group's busy time is also given in µs per request (idle left out).
 */
import { readFileSync } from 'node:fs';

interface Node {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: readonly number[];
}
interface Profile {
  readonly nodes: readonly Node[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topArg, requestsArg] = process.argv.slice(2);
const requests = Number(requestsArg ?? 0);
if (!file) throw new Error('usage: profile-top.ts <file.cpuprofile> [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
let total = 0;
for (const t of self.values()) total += t;

const shortUrl = (url: string): string => {
  const at = url.indexOf('/node_modules/');
  if (at !== -1) return url.slice(at + '/node_modules/'.length);
  const src = url.search(/\/(src|machines|generated|bench)\//);
  return src !== -1 ? url.slice(src + 1) : url.replace(/^node:/, 'node:');
};
/** Where a function's time belongs, for the stage breakdown. */
const group = (url: string, name: string): string => {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(program)' || name === '(idle)') return name;
  if (url.includes('/xstate/')) return 'xstate';
  if (url.includes('/machines/')) return 'machines/ (the chart)';
  if (url.includes('/generated/')) return 'generated/ (validators)';
  if (url.includes('/src/destination/')) return 'src/destination/';
  if (url.includes('/src/client/')) return 'src/client/';
  if (url.includes('/src/wire/')) return 'src/wire/';
  if (url.includes('/src/phone/')) return 'src/phone/ (SimulatedPhone)';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:') || url === '') return name === 'writev' || name === 'writeBuffer' || name.includes('write') ? 'node: socket writes' : `node internals / builtins`;
  return shortUrl(url);
};

const fnTime = new Map<string, number>();
const groupTime = new Map<string, number>();
for (const [id, t] of self) {
  const n = byId.get(id)!;
  const key = `${n.callFrame.functionName || '(anonymous)'}  ${shortUrl(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  fnTime.set(key, (fnTime.get(key) ?? 0) + t);
  const g = group(n.callFrame.url, n.callFrame.functionName);
  groupTime.set(g, (groupTime.get(g) ?? 0) + t);
}
const top = Number(topArg ?? 25);
const pct = (t: number): string => `${((t / total) * 100).toFixed(1)}%`;
const busy = total - (groupTime.get('(idle)') ?? 0);
console.log(`total sampled ${(total / 1000).toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms${requests > 0 ? `, ${((busy / requests)).toFixed(1)} µs busy per request` : ''}\n\nself time by group:`);
for (const [g, t] of [...groupTime].sort((a, b) => b[1] - a[1])) {
  const perRequest = requests > 0 && g !== '(idle)' ? `  ${(t / requests).toFixed(1).padStart(7)} µs/request` : '';
  console.log(`  ${pct(t).padStart(6)}${perRequest}  ${g}`);
}
console.log(`\ntop ${top} functions by self time:`);
for (const [k, t] of [...fnTime].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(t).padStart(6)}  ${k}`);
