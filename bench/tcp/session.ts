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

/** Lets the last round's sockets, timers and garbage settle before the next one is timed. */
export async function pause(ms = 100): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  (globalThis as { gc?: () => void }).gc?.();
}
