/**
 * Options and scripting types of SimulatedPhone: how far ends answer dials, transfers and
 * conferences, how long operations take, and which calls fail on purpose.
 */
import type { LegOperationName } from '../types.js';

/** Cancels a scheduled callback; calling it after the callback ran does nothing. */
export type Cancel = () => void;

/**
 * Runs `fn` after `ms` milliseconds. The default uses the wall clock (setTimeout); tests pass
 * their own (a simulated clock, a fast-check scheduler) to drive time themselves.
 */
export type Schedule = (fn: () => void, ms: number) => Cancel;

/** How a dialled far end reacts. `noAnswer` leaves the call DIALING until someone releases it. */
export type DialOutcomeKind = 'answer' | 'busy' | 'fail' | 'noAnswer';
/**
 * What a dialled number does on the simulated phone (a DialOutcomeKind), optionally after a
 * delay.
 */
export type DialOutcome =
  | DialOutcomeKind
  | {
      readonly outcome: DialOutcomeKind;
      /** Time from the leg's creation to the far end's reaction; default 0 (a later tick). */
      readonly afterMs?: number;
      /** The reason of a `fail`. */
      readonly reason?: string;
      /** The far end's display name, listed with the dialled number once answered. */
      readonly name?: string;
    };

/** How a blind transfer ends: `succeed` ends this leg (reason 'transferred'). */
export type TransferOutcome =
  | 'succeed'
  | 'fail'
  | { readonly outcome: 'succeed' | 'fail'; readonly afterMs?: number; readonly reason?: string };

/** How a blind conference ends: `join` adds the destination as a party. */
export type ConferenceOutcome =
  | 'join'
  | 'fail'
  | {
      readonly outcome: 'join' | 'fail';
      readonly afterMs?: number;
      readonly reason?: string;
      readonly name?: string;
    };

/**
 * A fault injected into an operation: `reject` (the promise rejects after the latency), `hang`
 * (the promise settles only when its AbortSignal fires), `throw` (the call throws synchronously).
 */
export type Fault = 'reject' | 'hang' | 'throw';

/** One operation called on a leg, as recorded in `leg.calls`. */
export interface OperationCall {
  readonly operation: LegOperationName | 'dispose';
  readonly args: readonly string[];
}

/** SimulatedPhone's options: timings, dial outcomes and faults; every one has a default. */
export interface SimulatedPhoneOptions {
  /** Time an operation takes before it settles; default 0 (it settles in a microtask, after the caller's synchronous code; a custom `schedule` is asked even for 0). */
  readonly latencyMs?: number | ((operation: LegOperationName | 'dial') => number);
  /** Time sendDtmf takes per digit, on top of the latency; default 0. */
  readonly dtmfMsPerDigit?: number;
  /** Default: every dial is answered. */
  readonly dialPlan?: (destination: string) => DialOutcome;
  /** Default: every transfer succeeds (the leg ends, reason 'transferred'). */
  readonly transferPlan?: (destination: string) => TransferOutcome;
  /** Default: the conferenced party joins. */
  readonly conferencePlan?: (destination: string) => ConferenceOutcome;
  /** Prefix of generated leg ids; default 'sim-'. Must itself match the leg id pattern. */
  readonly idPrefix?: string;
  /** The timer; default setTimeout. */
  readonly schedule?: Schedule;
  /**
   * Decides a fault for every operation call not already covered by `leg.inject`; return
   * undefined for normal behaviour. Lets a test draw outcomes at random per call.
   */
  readonly faultPlan?: (call: OperationCall & { readonly legId: string }) => Fault | undefined;
  /** Told when an event listener throws (the phone and the other listeners carry on regardless). */
  readonly onListenerError?: (error: unknown, legId: string) => void;
  /** Optional operations the legs of this phone leave out (for "not supported by this phone"). */
  readonly omitOperations?: readonly LegOperationName[];
  /**
   * How much each leg keeps of what it records, the latest: `calls` operation calls in `leg.calls`
   * (default 1,000) and `tones` DTMF digits in `leg.far.tones` (default 1,000). A leg that serves a
   * bridge for hours would otherwise grow without end. `leg.operationCount` and
   * `leg.far.tonesHeard` count everything, kept or not.
   */
  readonly history?: { readonly calls?: number; readonly tones?: number };
}

export interface ResolvedOptions {
  readonly latencyMs: (operation: LegOperationName | 'dial') => number;
  readonly dtmfMsPerDigit: number;
  readonly dialPlan: (destination: string) => DialOutcome;
  readonly transferPlan: (destination: string) => TransferOutcome;
  readonly conferencePlan: (destination: string) => ConferenceOutcome;
  readonly faultPlan: (call: OperationCall & { readonly legId: string }) => Fault | undefined;
  readonly omitOperations: ReadonlySet<LegOperationName>;
  readonly onListenerError: (error: unknown, legId: string) => void;
  readonly history: { readonly calls: number; readonly tones: number };
}

/** What a leg keeps of its record when the phone's options do not say. */
export const DEFAULT_HISTORY = { calls: 1_000, tones: 1_000 } as const;
