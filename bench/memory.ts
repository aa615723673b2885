/**
 * `npm run bench -- memory`: heap per idle initialised leg at 10,000 and 100,000 legs.
 * The client: `createBridgeClient` over loopback TCP to the bench bridge process, serving a phone
 * of minimal legs (bench/support/minimal-phone.ts), every leg initialised by the bridge. Counted:
 * the destination and the client's entry for the leg (heapUsed after forced GC, after minus
 * before, divided by the legs; the legs themselves exist before the first reading).
 * The floor: a bare `createActor` of the same machine per leg, started, nothing else.
 * Both come from the compiled package (bench/support/compiled.ts says why).
 */
import { createActor } from 'xstate';
import { compiled } from './support/compiled.js';
import { fmt, gc, machineLine, median, progress, rounds, table, tiny, writeResult } from './support/report.js';
import { MinimalLeg, minimalPhone, minimalSnapshot } from './support/minimal-phone.js';
import { pause, withBridge } from './tcp/session.js';
import type { BenchBridge } from './tcp/bridge.js';

const COUNTS = tiny ? [200] : [10_000, 100_000];
const { createBridgeClient, conversationMachine } = await compiled();
const ROUNDS = rounds(3);

function heap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

async function floor(count: number): Promise<number> {
  await pause(50);
  const before = heap();
  const actors = [];
  for (let i = 0; i < count; i += 1) actors.push(createActor(conversationMachine, { input: { snapshot: minimalSnapshot } }).start());
  const after = heap();
  for (const actor of actors) actor.stop();
  return (after - before) / count;
}

async function client(bridge: BenchBridge, count: number): Promise<number> {
  await pause(50);
  const legs = Array.from({ length: count }, (_, i) => new MinimalLeg(`m${i}`));
  const phone = minimalPhone(legs);
  const legIds = legs.map((leg) => leg.id);
  const before = heap();
  const seen = bridge.connections;
  // Past the default of 10,000 legs a client serves (limits.legs), the rest would be refused.
  const c = createBridgeClient({ host: '127.0.0.1', port: bridge.port, phone, limits: { legs: count } });
  await bridge.connectionAfter(seen);
  // A long grace: a full GC of a heap holding 100,000 legs can pause the client for seconds on a busy machine.
  const r = await bridge.run({ cmd: 'inits', legIds, graceMs: 60_000 });
  if (r.answered !== count || r.failed !== 0) throw new Error(`${r.answered} of ${count} inits answered, ${r.failed} failed`);
  await pause(50);
  const after = heap();
  if (c.legCount !== count) throw new Error('the client lost legs');
  await c.close();
  return (after - before) / count;
}

export async function memory(): Promise<Record<string, unknown>> {
  return withBridge(async (bridge) => {
    const rows: string[][] = [];
    const summary: Record<string, unknown> = {};
    const raw: Record<string, { floor: number[]; client: number[] }> = {};
    for (const count of COUNTS) {
      const f: number[] = [];
      const c: number[] = [];
      // 100,000 legs take long to set up and vary little: one round of them, ROUNDS of the smaller counts.
      for (let round = 0; round < (count > 20_000 ? 1 : ROUNDS); round += 1) {
        if (round % 2 === 0) {
          f.push(await floor(count));
          c.push(await client(bridge, count));
        } else {
          c.push(await client(bridge, count));
          f.push(await floor(count));
        }
        progress(`${count} legs, round ${round + 1}: floor ${f.at(-1)!.toFixed(0)} B, client ${c.at(-1)!.toFixed(0)} B per leg`);
      }
      raw[count] = { floor: f, client: c };
      const over = median(c) - median(f);
      rows.push([String(count), fmt.kib(median(f)), fmt.kib(median(c)), fmt.kib(over), fmt.ratio(median(c) / median(f))]);
      summary[count] = { floorBytes: median(f), clientBytes: median(c), overFloorBytes: over };
    }
    console.log(`\n## Memory per idle initialised leg (${ROUNDS} rounds, medians)\n\n${machineLine()}\n`);
    console.log(table(['legs', 'bare createActor, started (floor)', 'client: destination + entry', 'over the floor', 'client ÷ floor'], rows));
    const file = writeResult('memory', { rounds: ROUNDS, raw, summary });
    console.log(`\nresults: ${file}`);
    return summary;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await memory();
