/** A CLI io for in-process runs whose stderr a test can await for a pattern (no sleeping). */
import type { CliIo } from '../../src/cli/io.js';

export type WatchedIo = CliIo & { err: () => string; errMatches: (pattern: RegExp) => Promise<void> };

export function watchedIo(signal: AbortSignal, extra: Partial<CliIo> = {}): WatchedIo {
  let err = '';
  let waiters: { pattern: RegExp; resolve: () => void }[] = [];
  return {
    signal,
    ...extra,
    stdout: { write: () => undefined },
    stderr: {
      write(text) {
        err += text;
        waiters = waiters.filter((waiter) => !(waiter.pattern.test(err) && (waiter.resolve(), true)));
      },
    },
    err: () => err,
    errMatches: (pattern) =>
      new Promise((resolve) => {
        if (pattern.test(err)) resolve();
        else waiters.push({ pattern, resolve });
      }),
  };
}
