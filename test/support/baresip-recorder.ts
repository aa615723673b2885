/** Records a leg's phone events so a test can wait for one and check the order. */
import type { PhoneEvent, PhoneEventType, TelephonyLeg } from '../../src/phone/types.js';

export class LegRecorder {
  readonly events: PhoneEvent[] = [];
  private readonly waiters = new Set<{ type: PhoneEventType; resolve: (event: PhoneEvent) => void }>();

  constructor(readonly leg: TelephonyLeg) {
    leg.subscribe((event) => {
      this.events.push(event);
      for (const waiter of [...this.waiters]) {
        if (waiter.type === event.type) {
          this.waiters.delete(waiter);
          waiter.resolve(event);
        }
      }
    });
  }

  get types(): PhoneEventType[] {
    return this.events.map((event) => event.type);
  }

  /** The first event of this type, already seen or still to come. */
  waitFor<T extends PhoneEventType>(type: T): Promise<Extract<PhoneEvent, { type: T }>> {
    const seen = this.events.find((event) => event.type === type);
    if (seen) return Promise.resolve(seen as Extract<PhoneEvent, { type: T }>);
    return new Promise((resolve) =>
      this.waiters.add({ type, resolve: (event) => resolve(event as Extract<PhoneEvent, { type: T }>) }),
    );
  }
}

/** A fresh AbortSignal that never fires. */
export function never(): AbortSignal {
  return new AbortController().signal;
}
