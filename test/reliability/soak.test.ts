/**
 * The short soak of the suite (`npm run soak` runs the long one): calls with phone faults, garbage
 * and dropped connections through one client, then zero live destinations and a heap, after a
 * forced GC, within 10% of the heap after the warm-up (plus 2 MB: at this length a few hundred
 * kilobytes of JIT and map growth are a larger share than over a million messages).
 */
import { describe, expect, it } from 'vitest';
import { runSoak } from './soak.js';

describe('soak (short)', () => {
  it('ends with zero live destinations and the heap within 10% of its start, through drops and faults', { timeout: 600_000 }, async () => {
    const result = await runSoak({ messages: 20_000, concurrency: 20, dropEvery: 4_000, seed: 7, disposedLegs: 40 });
    console.log(
      `soak (short): ${result.messages} messages, ${result.calls} calls, ${result.messagesPerSecond} msg/s, ${result.drops} drops, ` +
        `faults ${JSON.stringify(result.faults)}, heap ${(result.heapStart / 1e6).toFixed(2)} → ${(result.heapEnd / 1e6).toFixed(2)} MB, ` +
        `counters ${JSON.stringify(result.counters)}`,
    );
    expect(result.liveDestinations).toBe(0);
    expect(result.drops).toBeGreaterThanOrEqual(2);
    expect(result.counters.connections).toBe(result.drops + 1);
    expect(Object.values(result.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(result.heapEnd).toBeLessThanOrEqual(result.heapStart * 1.1 + 2 * 1024 * 1024);
  });
});
