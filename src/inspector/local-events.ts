/**
 * The local inspector's own inspection events. XState's inspection events (actor, event, snapshot)
 * are turned into these as they happen, and recorded wire and phone traffic becomes the fourth
 * kind; all four take the same path into the leg store.
 */
import type { TrafficDirection } from './types.js';

/**
 * What feeds the local inspector: a machine's inspection event or a recorded wire or phone
 * message, for one leg.
 */
export type LocalInspectionEvent =
  | { readonly type: '@xstate.actor'; readonly leg: string; readonly sessionId: string; readonly machineKey: string }
  | {
      readonly type: '@xstate.event';
      readonly leg: string;
      readonly sessionId: string;
      readonly eventType: string;
      readonly event: unknown;
    }
  | {
      readonly type: '@xstate.snapshot';
      readonly leg: string;
      readonly sessionId: string;
      readonly status: string;
      readonly value: unknown;
      readonly context: unknown;
    }
  | {
      readonly type: 'cti.traffic';
      readonly leg: string;
      readonly direction: TrafficDirection;
      readonly message: unknown;
    };

/** A row of a leg's timeline, as the page shows it. */
export interface TimelineEntry {
  readonly seq: number;
  /** Entries that happened in one synchronous turn share it: a message and the transitions it caused. */
  readonly turn: number;
  readonly at: number;
  readonly kind: 'traffic' | 'event';
  readonly direction?: TrafficDirection;
  /** The message's name (`conversation.request.hold`), the phone event's type, or the machine event's type. */
  readonly name: string;
  /** A short addition: requestId, result, error message. */
  readonly detail?: string;
  readonly message?: unknown;
  /** For machine events: the active leaf states it left and entered (filled in by the snapshot). */
  transition?: { readonly from: readonly string[]; readonly to: readonly string[] };
}

/** One leg in the local inspector's list: id, target, live or ended, its active states. */
export interface LegSummary {
  readonly legId: string;
  readonly target?: string;
  readonly status: 'live' | 'ended';
  /** The active leaf states, e.g. ['ready.call.HELD', 'ready.mute.unmuted']. */
  readonly leaves: readonly string[];
  /** The call as the context tells it: ['call.HELD', 'call.muted'] (empty for other machines). */
  readonly call: readonly string[];
  readonly machineKey?: string;
}

/** One leg as the local inspector page shows it: its machine's state, context and timeline. */
export interface LegDetail extends LegSummary {
  readonly value: unknown;
  readonly active: readonly string[];
  readonly context: unknown;
  readonly timeline: readonly TimelineEntry[];
}

/** What the server pushes to every page over the WebSocket. */
export type PageUpdate =
  | { readonly type: 'legs'; readonly legs: readonly LegSummary[] }
  | { readonly type: 'leg'; readonly leg: LegSummary }
  | { readonly type: 'entry'; readonly legId: string; readonly entry: TimelineEntry }
  | {
      readonly type: 'state';
      readonly legId: string;
      readonly value: unknown;
      readonly active: readonly string[];
      readonly leaves: readonly string[];
      readonly call: readonly string[];
      readonly context: unknown;
    }
  | { readonly type: 'forget'; readonly legId: string };
