/** Heap measurements for the reliability tests: a forced GC (exposed at run time) and heapUsed after it. */
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Runs a full garbage collection; works without node --expose-gc. */
export function collect(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** heapUsed in bytes after a forced collection. */
export function heapAfterGc(): number {
  collect();
  return process.memoryUsage().heapUsed;
}
