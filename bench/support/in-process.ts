/**
 * What the in-process benches share: the floor (a bare machine with the conversation chart's three
 * regions and states, unguarded edges, no actions) and a leg whose operations resolve at once, so
 * a request → response pair measures the destination and the chart, not a phone.
 */
import { setup } from 'xstate';
import type { PhoneEvent, PhoneEventListener, TelephonyLeg } from '../../src/phone/types.js';

export type FloorEvent = { type: 'request' } | { type: 'settled' };

export const floorMachine = setup({ types: { events: {} as FloorEvent } }).createMachine({
  type: 'parallel',
  states: {
    lifecycle: {
      initial: 'ready',
      states: { awaitingInit: {}, ready: {}, disposing: { initial: 'ready', states: { awaitingInit: {}, ready: {} } }, disposed: {} },
    },
    call: { initial: 'TALKING', states: { entry: {}, RINGING: {}, DIALING: {}, TALKING: {}, HELD: {}, RELEASED: {} } },
    operation: { initial: 'idle', states: { idle: { on: { request: 'running' } }, running: { on: { settled: 'idle' } } } },
  },
});

const RESOLVED = Promise.resolve();

/** A TALKING leg whose every operation has already succeeded; `emit` plays a phone event. */
export function benchLeg(id: string): TelephonyLeg & { emit(event: PhoneEvent): void } {
  let listener: PhoneEventListener | undefined;
  const now = () => RESOLVED;
  return {
    id,
    snapshot: () => ({ state: 'TALKING', parties: [{ number: '+15551230001', name: 'Pat' }], muted: false }),
    subscribe(l) {
      listener = l;
      return () => (listener = undefined);
    },
    answer: now,
    release: now,
    hold: now,
    retrieve: now,
    mute: now,
    unmute: now,
    dispose: async () => undefined,
    emit: (event) => listener?.(event),
  };
}

/** The target the in-process benches give leg `leg`. */
export const benchTarget = (leg: number): string => `PB1.S-1.G-1.TEL.I-1.leg-${leg}`;
