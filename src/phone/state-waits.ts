/**
 * The waits of one leg for its own state: an operation whose command the phone accepted resolves
 * only once the phone's events show the change (docs/contract.md, "The adapter contract": state
 * changes only when the phone reports it), and gives up when its signal fires or the phone closes.
 */
import { abortError } from './abort.js';

export class StateWaits {
  private readonly watchers = new Set<() => void>();
  private stopped: string | undefined;

  /** Re-checks every wait under way: call it after each change a wait may be for. */
  notify(): void {
    for (const watcher of [...this.watchers]) watcher();
  }

  /** From now on waits reject with `reason`; those under way do so at the next notify. */
  stop(reason: string): void {
    this.stopped = reason;
  }

  /**
   * Resolves once `test` passes (now, or at a notify); rejects when `signal` fires or the waits
   * were stopped first. `beforeWait` runs only when the wait does not settle at once.
   */
  until(test: () => boolean, signal: AbortSignal, beforeWait?: () => void): Promise<void> {
    if (test()) return Promise.resolve();
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.stopped) return Promise.reject(new Error(this.stopped));
    beforeWait?.();
    return new Promise((resolve, reject) => {
      const done = () => {
        this.watchers.delete(watcher);
        signal.removeEventListener('abort', onAbort);
      };
      const watcher = () => {
        if (test()) {
          done();
          resolve();
        } else if (this.stopped) {
          done();
          reject(new Error(this.stopped));
        }
      };
      const onAbort = () => {
        done();
        reject(abortError(signal));
      };
      this.watchers.add(watcher);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
