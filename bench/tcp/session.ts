/** One bench bridge for a script's lifetime, stopped by its pid however the script ends. */
import { BenchBridge } from './bridge.js';

export async function withBridge<T>(body: (bridge: BenchBridge) => Promise<T>): Promise<T> {
  const bridge = await BenchBridge.start();
  const stop = (): void => bridge.stop();
  process.once('exit', stop);
  try {
    return await body(bridge);
  } finally {
    process.off('exit', stop);
    stop();
  }
}

/**
 * The untimed warm-up of a contender (BENCHMARKS.md, "Warm-up"): `total` requests at saturation
 * (64 outstanding) over `legIds`; throws unless every one was answered SUCCESS. Nothing when
 * `total` is 0 (`--cold`).
 */
export async function warmUp(bridge: BenchBridge, legIds: readonly string[], total: number, graceMs: number): Promise<void> {
  if (total === 0) return;
  const warm = await bridge.run({ cmd: 'saturate', legIds, outstanding: 64, total, graceMs });
  if (warm.answered !== total || warm.failed !== 0) throw new Error(`warm-up: ${warm.answered} answered, ${warm.failed} failed of ${total}`);
}

/** Lets the last round's sockets, timers and garbage settle before the next one is timed. */
export async function pause(ms = 100): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  (globalThis as { gc?: () => void }).gc?.();
}
