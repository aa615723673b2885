/**
 * The workload to profile the client's per-request path (not a benchmark; no baseline):
 *
 *   node --cpu-prof --cpu-prof-dir=bench/results/profile --import tsx bench/profile-client.ts [legs] [requests]
 *   node --import tsx bench/support/profile-top.ts bench/results/profile/<file>.cpuprofile
 *
 * The bridge runs in its own process (not profiled); this process holds only the client and a
 * SimulatedPhone, saturated with 64 senddtmf requests outstanding.
 */
import { startClient, talkingPhone } from './tcp/contenders.js';
import { withBridge } from './tcp/session.js';

const legs = Number(process.argv[2] ?? 1);
const total = Number(process.argv[3] ?? 50_000);

await withBridge(async (bridge) => {
  const { phone, legIds } = await talkingPhone(legs);
  const client = await startClient(bridge, phone);
  await bridge.run({ cmd: 'inits', legIds, graceMs: 5_000 });
  const r = await bridge.run({ cmd: 'saturate', legIds, outstanding: 64, total, graceMs: 5_000 });
  console.log(`${r.answered} of ${total} answered (${r.failed} failed) in ${r.ms.toFixed(0)} ms: ${((r.answered / r.ms) * 1000).toFixed(0)}/s`);
  await client.close();
});
