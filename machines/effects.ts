/**
 * What the chart asks of whoever runs it, as data. Each step's rules append their effects to the
 * context's `outbox`, in order; the runner takes them once the step is done (`takeEffects`, called
 * from an `actor.subscribe` observer, which XState calls once per event processed, after the
 * step's last microstep). The destination performs them; a test reads them.
 *
 * An outbox, not XState's `emit`: every emitted event cost an action object, its resolution and a
 * deferred closure, about a seventh of a request/response pair (BENCHMARKS.md, "Machine: effects
 * in an outbox").
 */
import type { Outgoing } from './messages.js';
import type { LegOperationName } from './types.js';

/** What the destination is asked to do, in order. */
export type Effect =
  | { readonly type: 'send'; readonly message: Outgoing }
  | {
      readonly type: 'start';
      readonly opId: number;
      readonly operation: LegOperationName;
      readonly args: readonly string[];
      /** After this long without an outcome, the performer sends `operation.deadline` for `opId`. */
      readonly deadlineMs: number;
    }
  | { readonly type: 'abort'; readonly opId: number }
  | { readonly type: 'detach' }
  /** An ended leg the bridge never disposed is let go after the grace period. */
  | { readonly type: 'letGo' }
  | { readonly type: 'diagnostic'; readonly code: string; readonly message: string };

/**
 * Hands each effect of the step just taken to `perform`, in order, and empties the outbox. Call it
 * from the actor's observer: an actor nobody drains keeps every effect it ever made.
 * A `perform` that sends the actor an event is safe: XState queues that event until the observer
 * returns, so its effects follow these.
 */
export function takeEffects(context: { readonly outbox: Effect[] }, perform: (effect: Effect) => void): void {
  const { outbox } = context;
  try {
    for (let i = 0; i < outbox.length; i += 1) perform(outbox[i] as Effect);
  } finally {
    outbox.length = 0;
  }
}
