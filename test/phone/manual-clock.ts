/**
 * A hand-driven timer for SimulatedPhone's `schedule` option: nothing runs until the test
 * advances time, so tests never wait on the wall clock.
 */
import type { Schedule } from '../../src/phone/simulated/index.js';

interface Timer {
  readonly at: number;
  readonly order: number;
  readonly fn: () => void;
}

export class ManualClock {
  now = 0;
  private timers: Timer[] = [];
  private order = 0;

  readonly schedule: Schedule = (fn, ms) => {
    const timer: Timer = { at: this.now + Math.max(0, ms), order: this.order++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((candidate) => candidate !== timer);
    };
  };

  get pending(): number {
    return this.timers.length;
  }

  /** Moves time forward by `ms`, running due timers in time order and letting promises settle. */
  async advance(ms: number): Promise<void> {
    const until = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers
        .filter((timer) => timer.at <= until)
        .sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = until;
    await settle();
  }
}

/** Lets every promise continuation that is ready run (one turn of the event loop). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
