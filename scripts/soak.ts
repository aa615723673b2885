/**
 * `npm run soak`: about a million messages over loopback with faults (test/reliability/soak.ts),
 * then throughput, heap at the start and the end (after a forced GC), the bound counters and the
 * live destinations. Exits 1 when a destination is left or the end heap is more than 10% above the
 * start. `npm run soak -- 200000` runs fewer messages; CTI_SOAK_SEED picks the seed.
 */
import { runSoak } from '../test/reliability/soak.js';

const messages = Number(process.argv[2] ?? 1_000_000);
const seed = Number(process.env['CTI_SOAK_SEED'] ?? 1);
console.log(`soak: ${messages} messages, seed ${seed}`);
const result = await runSoak({ messages, seed, log: (line) => console.log(line) });
const growth = (result.heapEnd - result.heapStart) / result.heapStart;
console.log(`soak: ${result.messages} messages, ${result.calls} calls in ${result.seconds.toFixed(1)} s: ${result.messagesPerSecond} messages/s`);
console.log(`soak: heap after GC ${(result.heapStart / 1e6).toFixed(2)} MB at the start, ${(result.heapEnd / 1e6).toFixed(2)} MB at the end (${(growth * 100).toFixed(1)}%)`);
console.log(`soak: ${result.drops} connection drops; phone faults ${JSON.stringify(result.faults)}`);
console.log(`soak: counters ${JSON.stringify(result.counters)}`);
console.log(`soak: live destinations at the end: ${result.liveDestinations}`);
const ok = result.liveDestinations === 0 && growth <= 0.1;
console.log(ok ? 'soak: PASSED' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
