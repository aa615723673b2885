/**
 * The smallest phone the memory and leg-rate benches can give a client: each leg is an object
 * with one own field (its id) and shared methods, so what is measured per leg is the client's
 * entry and the destination, not the phone.
 */
import type { LegSnapshot, Phone, PhoneEventListener, TelephonyLeg } from '../../src/phone/types.js';

const SNAPSHOT: LegSnapshot = { state: 'TALKING', parties: [{ number: '+15551230001' }], muted: false };
const nothing = (): void => undefined;
const done = (): Promise<void> => Promise.resolve();

export class MinimalLeg implements TelephonyLeg {
  constructor(readonly id: string) {}
  snapshot(): LegSnapshot {
    return SNAPSHOT;
  }
  subscribe(_listener: PhoneEventListener): () => void {
    return nothing;
  }
  declare answer: (signal: AbortSignal) => Promise<void>;
  declare release: (signal: AbortSignal) => Promise<void>;
  declare hold: (signal: AbortSignal) => Promise<void>;
  declare retrieve: (signal: AbortSignal) => Promise<void>;
  declare dispose: () => Promise<void>;
}
// The operations live on the prototype, not on each leg.
for (const name of ['answer', 'release', 'hold', 'retrieve', 'dispose'] as const) Object.defineProperty(MinimalLeg.prototype, name, { value: done });

export function minimalPhone(legs: readonly TelephonyLeg[]): Phone {
  return {
    leg: (id) => legs.find((leg) => leg.id === id),
    legs: () => legs,
    onLeg: () => nothing,
    close: done,
  };
}

export const minimalSnapshot = SNAPSHOT;
