/** Timers for SimulatedPhone: the wall-clock default and an abortable wait on any Schedule. */
import { MAX_DELAY_MS } from '../../../machines/context.js';
import type { Cancel, Schedule } from './options.js';

/** Wall-clock timers; a latency longer than a timer takes waits the longest a timer takes. */
export const wallClockSchedule: Schedule = (fn, ms) => {
  const handle = setTimeout(fn, Math.min(MAX_DELAY_MS, ms));
  return () => clearTimeout(handle);
};

/**
 * The default phone's schedule for a zero latency: a microtask, not `setTimeout(fn, 0)`. A timer
 * would add a trip round the event loop (about a millisecond under load) to every operation and
 * cap one leg at a few hundred operations a second; the benches and the demo would time the
 * simulator's clock instead of the client. The operation still settles after the caller's
 * synchronous code, and close() still cancels it.
 */
export const microtaskSchedule: Schedule = (fn) => {
  let live = true;
  queueMicrotask(() => {
    if (live) fn();
  });
  return () => {
    live = false;
  };
};

/** The error an aborted operation rejects with: the signal's reason when it is an Error. */
export function abortError(signal: AbortSignal, operation: string): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const error = new Error(`${operation} was aborted`);
  error.name = 'AbortError';
  return error;
}

/**
 * Resolves after `ms` on `schedule`, or rejects as soon as `signal` aborts (the timer is then
 * cancelled). `track` records the pending timer so the phone can cancel it on close.
 */
export function abortableWait(
  schedule: Schedule,
  ms: number,
  signal: AbortSignal,
  operation: string,
  track: Set<Cancel>,
): Promise<void> {
  if (schedule === microtaskSchedule) return microtaskWait(signal, operation, track);
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal, operation));
      return;
    }
    const onAbort = (): void => {
      cancel();
      track.delete(cancel);
      reject(abortError(signal, operation));
    };
    const cancel = schedule(() => {
      track.delete(cancel);
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    track.add(cancel);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Never settles unless `signal` aborts: the `hang` fault. */
export function hangUntilAborted(signal: AbortSignal, operation: string): Promise<void> {
  return new Promise<void>((_resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal, operation));
      return;
    }
    signal.addEventListener('abort', () => reject(abortError(signal, operation)), { once: true });
  });
}

/**
 * abortableWait on a microtask: nothing can abort between now and then except code of this same
 * turn, so the signal is read when the microtask runs instead of listened to (an abort listener
 * added and removed per operation cost more than the rest of the wait).
 */
function microtaskWait(signal: AbortSignal, operation: string, track: Set<Cancel>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal, operation));
      return;
    }
    let live = true;
    const cancel: Cancel = () => {
      live = false;
    };
    track.add(cancel);
    queueMicrotask(() => {
      track.delete(cancel);
      if (!live) return;
      if (signal.aborted) reject(abortError(signal, operation));
      else resolve();
    });
  });
}
