/**
 * SignalPool: abort controllers whose signals nobody hears any more, handed to later operations
 * (docs/contract.md, "The adapter contract"). Node 20 takes about 4–5 µs to make an AbortSignal,
 * a ninth of a request/response pair.
 *
 * The bridge client gives one pool to all its legs. A pool per leg keeps one signal per leg alive,
 * and in Node 20 every AbortSignal has a hidden class of its own: reading the listeners of 10,000
 * different signals, round robin, costs about 1.5 µs a read against nearly nothing for the few a
 * shared pool circulates (BENCHMARKS.md, "Machine: one pool of signals for a client's legs").
 */
import { getEventListeners } from 'node:events';

export class SignalPool {
  readonly #free: AbortController[] = [];

  /** @param capacity At most this many controllers kept for reuse; the rest are left to the collector. */
  constructor(readonly capacity = 64) {}

  /** How many controllers wait to be handed out again. */
  get size(): number {
    return this.#free.length;
  }

  /** An unaborted controller nobody listens to: one given back, else a new one. */
  take(): AbortController {
    return this.#free.pop() ?? new AbortController();
  }

  /**
   * The operation that held `controller` has settled. It is kept for a later operation only while
   * its signal is unaborted and has no abort listener left: a listener left behind must never hear
   * another operation's abort, and an aborted signal stays aborted.
   */
  giveBack(controller: AbortController): void {
    const signal = controller.signal;
    if (this.#free.length < this.capacity && !signal.aborted && getEventListeners(signal, 'abort').length === 0) this.#free.push(controller);
  }
}
