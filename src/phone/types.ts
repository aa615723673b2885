/**
 * The adapter contract: what a phone hands the core. See docs/contract.md ("The adapter contract").
 *
 * A phone owns call legs; the core drives one leg per conversation destination through these
 * operations and learns of every change through the leg's events. State changes only when the
 * phone reports it, never because an operation resolved.
 */

import type { LegSnapshot, PhoneEvent } from '../../machines/types.js';

// The shared types live with the core (machines/ imports nothing from src/); adapters import them from here.
export {
  LEG_OPERATION_NAMES,
  OPTIONAL_LEG_OPERATIONS,
  PHONE_EVENT_TYPES,
  type CallState,
  type LegOperationName,
  type LegSnapshot,
  type Party,
  type PhoneEvent,
  /** The name of a phone event, e.g. `'held'`: PhoneEvent's `type`. PHONE_EVENT_TYPES lists them all. */
  type PhoneEventType,
} from '../../machines/types.js';

/**
 * What `leg.subscribe` takes: called with each event the leg reports, in the order they happen.
 * Keep it quick and do not throw: the phones of this package catch and report a listener that
 * throws (SimulatedPhone's `onListenerError`) and go on, but an adapter of your own may not.
 */
export type PhoneEventListener = (event: PhoneEvent) => void;

/** Leg ids end a dot-separated target, so they hold no dot. */
export const LEG_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * One call leg. Operations take a final AbortSignal (dispose excepted) and return a Promise that
 * resolves when the phone accepted the command (sendDtmf: when the tones have been played). The
 * signal is the operation's only until its promise settles: remove your abort listener then, and
 * do not read the signal afterwards (an unheard signal may be handed to a later operation, of
 * this leg or another; docs/contract.md, "The adapter contract").
 * A leg emits the event an operation causes before resolving it whenever the phone's reply
 * already shows it, and acts on the phone's real state (mute on a muted call must not toggle it).
 */
export interface TelephonyLeg {
  readonly id: string;
  snapshot(): LegSnapshot;
  /** Returns a function that removes the listener. */
  subscribe(listener: PhoneEventListener): () => void;
  answer(signal: AbortSignal): Promise<void>;
  release(signal: AbortSignal): Promise<void>;
  hold(signal: AbortSignal): Promise<void>;
  retrieve(signal: AbortSignal): Promise<void>;
  mute?(signal: AbortSignal): Promise<void>;
  unmute?(signal: AbortSignal): Promise<void>;
  transfer?(destination: string, signal: AbortSignal): Promise<void>;
  conference?(destination: string, signal: AbortSignal): Promise<void>;
  removeParty?(number: string, signal: AbortSignal): Promise<void>;
  sendDtmf?(digits: string, signal: AbortSignal): Promise<void>;
  /** Frees what the adapter holds for this leg. Never ends the call. */
  dispose(): Promise<void>;
}

/**
 * What `phone.onLeg` takes: called once with each new leg, inbound or dialled. Subscribe to the
 * leg's events there. The phones of this package catch a listener that throws (BaresipPhone
 * reports `listener-threw`) and still tell the other listeners.
 */
export type LegListener = (leg: TelephonyLeg) => void;

/** A phone: the source of call legs. */
export interface Phone {
  leg(id: string): TelephonyLeg | undefined;
  legs(): readonly TelephonyLeg[];
  /** Called for every new leg (inbound or dialled). Returns a function that removes the listener. */
  onLeg(listener: LegListener): () => void;
  /** Places an outbound call; resolves to the new leg once the phone has created it. */
  dial?(destination: string, signal: AbortSignal): Promise<TelephonyLeg>;
  close(): Promise<void>;
}
