import type { Schedule } from '../../../src/phone/simulated/index.js';

/** A timer that holds back operations with the marked latency until the test opens the gate. */
export function gatedSchedule(mark: number) {
  const held: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  const schedule: Schedule = (fn, ms) => {
    if (ms === mark) {
      held.push(fn);
      onHeld?.();
      return () => undefined;
    }
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  };
  return {
    schedule,
    /** Resolves once an operation waits at the gate. */
    waiting: () => new Promise<void>((resolve) => (held.length > 0 ? resolve() : (onHeld = resolve))),
    open: () => held.splice(0).forEach((fn) => fn()),
  };
}
