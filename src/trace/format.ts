/**
 * The trace format: JSON lines. The first line of every file (every part, after rotation) is a
 * header naming the format and its version; every other line is one thing the client saw, with
 * `t`, milliseconds since the recording started on a monotonic clock (never the wall clock, so a
 * clock step cannot reorder a trace). docs/traces.md describes each kind.
 */
import type { LegOperationName, LegSnapshot, PhoneEvent } from '../phone/types.js';

/**
 * The name every trace header carries in `format`: `cti-conversation-trace`. A file whose first
 * line does not name it is not a trace (parseTrace throws TraceError).
 */
export const TRACE_FORMAT = 'cti-conversation-trace';
/** Bumped whenever a reader of the previous version would misread a line. */
export const TRACE_VERSION = 1;

/** What the client passed every destination; a replay builds its destinations with the same. */
export interface TraceDestinationSettings {
  readonly operationTimeoutMs?: number;
  readonly dtmfMsPerDigit?: number;
  readonly limits?: { readonly preInitEvents?: number; readonly oneShotEvents?: number; readonly requestIds?: number };
}

/**
 * The first line of every trace file, and of every part after rotation: the format and its
 * version, the part's number, when the recording started, whether it is masked, and the settings
 * the client gave its destinations (a replay builds its own with the same).
 *
 * @example
 * {"kind":"trace","format":"cti-conversation-trace","version":1,"part":0,"startedAt":"2026-11-30T18:54:42.139Z","masked":true,"destination":{"operationTimeoutMs":10000}}
 */
export interface TraceHeader {
  readonly kind: 'trace';
  readonly format: typeof TRACE_FORMAT;
  readonly version: number;
  /** 0 for the first file, 1 for the first continuation after rotation, … */
  readonly part: number;
  /** Wall-clock time the recording started (ISO 8601), for people; `t` is what replay uses. */
  readonly startedAt: string;
  /** True when DTMF digits, numbers and names were replaced by stable per-trace tokens. */
  readonly masked: boolean;
  readonly destination: TraceDestinationSettings;
}

interface At {
  readonly t: number;
}
interface OnLeg extends At {
  readonly leg: string;
  /** The leg's target as last seen on a frame, once the bridge has named it. */
  readonly target?: string;
}

/**
 * One line of a trace after the header: `t`, milliseconds since the recording started on a
 * monotonic clock, and a `kind` with its fields (docs/traces.md, "The format", has the table).
 * Lines about a leg carry `leg`, and `target` once the bridge has named the leg. Inputs (frames
 * from the bridge, phone events, operation outcomes, connection changes) are what a replay feeds;
 * outputs (a leg's `frame.out` and `operation.started`) are what it compares.
 */
export type TraceEntry =
  | (OnLeg & { readonly kind: 'leg.created'; readonly supported: readonly LegOperationName[] })
  | (OnLeg & { readonly kind: 'leg.snapshot'; readonly snapshot?: LegSnapshot; readonly error?: string })
  | (OnLeg & { readonly kind: 'leg.forgotten'; readonly why: 'disposed' | 'let-go' | 'dropped' })
  /** A frame from the bridge (its target is in its header); without `leg` when the client answered it itself. */
  | (At & { readonly kind: 'frame.in'; readonly leg?: string; readonly frame: unknown })
  /** A message out; with `leg` when a destination sent it (whether or not it reached the wire). */
  | (At & { readonly kind: 'frame.out'; readonly leg?: string; readonly frame: unknown })
  | (OnLeg & { readonly kind: 'phone.event'; readonly event: PhoneEvent })
  | (OnLeg & { readonly kind: 'operation.started'; readonly opId: number; readonly operation: LegOperationName; readonly args: readonly string[] })
  | (OnLeg & { readonly kind: 'operation.settled'; readonly opId: number; readonly ok: boolean; readonly error?: string })
  | (At & { readonly kind: 'connection.opened' })
  | (At & { readonly kind: 'connection.lost'; readonly reason?: string })
  /** Lines lost because the disk did not keep up; a replay of this trace cannot be exact. */
  | (At & { readonly kind: 'dropped'; readonly count: number });

/** Any line of a trace file: the header (first line of each part) or an entry. */
export type TraceLine = TraceHeader | TraceEntry;
/**
 * The kinds of entry this version writes and reads: `leg.created`, `leg.snapshot`,
 * `leg.forgotten`, `frame.in`, `frame.out`, `phone.event`, `operation.started`,
 * `operation.settled`, `connection.opened`, `connection.lost` and `dropped`. A reader skips a
 * line of a kind it does not know.
 */
export type TraceKind = TraceEntry['kind'];

/**
 * A part's first line read as a header, without checking it (parseTrace does): `{}` when it is
 * not a JSON object. For what only looks at a header's fields (matching continuations, a test
 * file's comment) and must not fail on a damaged one.
 */
export function peekHeader(line: string | undefined): Partial<TraceHeader> {
  try {
    const value: unknown = JSON.parse(line ?? '');
    return typeof value === 'object' && value !== null ? (value as Partial<TraceHeader>) : {};
  } catch {
    return {};
  }
}
