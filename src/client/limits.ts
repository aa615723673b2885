/**
 * The client-wide budget: one limit for each thing a bridge can make grow through the client,
 * counted in bytes where bytes are what grows. RELIABILITY.md has the table: each limit, its
 * default and what happens at it. The legs' own queues and requestId memories are bounded by the
 * destination (its `limits`); these bound the client around them.
 */
export interface BridgeClientLimits {
  /** Legs with a destination at once; a leg past it is not served (counted, warned). Default 10 000. */
  readonly legs?: number;
  /** Disposed legs that still answer "disposed"; the oldest is forgotten past it. Default 10 000. */
  readonly disposedLegs?: number;
  /** Bytes the disposed set may hold (targets and replayed dispose answers). Default 4 MiB. */
  readonly disposedBytes?: number;
  /** Frames read and not yet answered, all legs together; a frame past it is answered FAILURE "busy". Default 4096. */
  readonly pendingFrames?: number;
  /** Bytes of those frames; a frame that would pass it is answered FAILURE "busy". Default 16 MiB. */
  readonly pendingBytes?: number;
  /**
   * Bytes waiting to be written to a bridge that is not reading. Past it the connection is closed;
   * the reconnect's init re-syncs every leg, so the events not sent are not lost. Default 8 MiB.
   */
  readonly unsentBytes?: number;
}

export type ResolvedLimits = { readonly [K in keyof BridgeClientLimits]-?: number };

/**
 * The defaults of BridgeClientLimits: 10,000 legs, 10,000 disposed legs in 4 MiB, 4096 pending
 * frames in 16 MiB, 8 MiB unsent. A limit given as a negative or non-finite number falls back to
 * its default; a fraction is rounded down.
 */
export const LIMIT_DEFAULTS: ResolvedLimits = {
  legs: 10_000,
  disposedLegs: 10_000,
  disposedBytes: 4 * 1024 * 1024,
  pendingFrames: 4096,
  pendingBytes: 16 * 1024 * 1024,
  unsentBytes: 8 * 1024 * 1024,
};

function positive(value: number | undefined, fallback: number): number {
  return value === undefined || !Number.isFinite(value) || value < 0 ? fallback : Math.floor(value);
}

export function resolveLimits(limits: BridgeClientLimits | undefined, disposedLegLimit: number | undefined): ResolvedLimits {
  return {
    legs: positive(limits?.legs, LIMIT_DEFAULTS.legs),
    disposedLegs: positive(limits?.disposedLegs ?? disposedLegLimit, LIMIT_DEFAULTS.disposedLegs),
    disposedBytes: positive(limits?.disposedBytes, LIMIT_DEFAULTS.disposedBytes),
    pendingFrames: positive(limits?.pendingFrames, LIMIT_DEFAULTS.pendingFrames),
    pendingBytes: positive(limits?.pendingBytes, LIMIT_DEFAULTS.pendingBytes),
    unsentBytes: positive(limits?.unsentBytes, LIMIT_DEFAULTS.unsentBytes),
  };
}

/** How often each bound was hit, and a few gauges; read with `client.counters`. */
export interface BridgeClientCounters {
  /** Frames read from the bridge (decoded JSON objects). */
  framesIn: number;
  /** Frames sent to the bridge. */
  framesOut: number;
  /** Frames dropped by the framing (not UTF-8, not JSON, not an object). */
  badFrames: number;
  /** Frames that announced a length over the limit (the connection was closed each time). */
  framesTooLarge: number;
  /** Frames with no routable header (nothing can be answered). */
  unroutable: number;
  /** Requests whose header.name was over the catalogue's limit (answered FAILURE). */
  namesTooLong: number;
  /** Frames answered FAILURE "busy" because the pending budget was full. */
  busy: number;
  /** Requests a leg answered FAILURE "busy" because its queue was full (the destination's `queuedRequests` or `queuedBytes`). */
  queueBusy: number;
  /**
   * Times a leg's requestId memory hit its byte bound (the destination's `requestIdBytes`): its
   * oldest answers were forgotten to make room, or an answer too large to keep was not kept. The
   * count bound's ordinary forgetting of the oldest answer is not counted.
   */
  requestMemoryFull: number;
  /** Times a leg's pre-init event queue was full (the destination's `preInitEvents`): its state events dropped, the leg re-read. */
  preInitOverflows: number;
  /** Times one-shot phone events were dropped past the destination's `oneShotEvents` in such an overflow. */
  oneShotOverflows: number;
  /**
   * Times a leg moved by the bridge to a new target forgot the oldest of the 8 targets it had moved
   * away from (what was sent there); an init back on that one counts as a first init there.
   */
  earlierTargetsForgotten: number;
  /** Legs the phone reported past the legs limit (not served). */
  legsRefused: number;
  /** Disposed legs forgotten to keep the disposed set within its count or bytes. */
  disposedForgotten: number;
  /** Legs let go without a dispose (never initialised, or ended and never disposed). */
  legsLetGo: number;
  /** Times reading from the bridge stopped because answers were waiting to be written. */
  backpressurePauses: number;
  /** Times the bridge read nothing for backpressureLimitMs (the connection was closed). */
  backpressureTimeouts: number;
  /** Times the unsent bytes passed the unsentBytes limit (the connection was closed). */
  unsentOverflows: number;
  /** Messages not sent: no connection, or a response not owed on this connection. */
  notSent: number;
  /** Writes that failed (a frame over the limit, a closed socket). */
  sendFailures: number;
  /** Log lines held back by the per-code rate limit. */
  logLinesSuppressed: number;
  /** Connections opened, and attempts that failed. */
  connections: number;
  connectFailures: number;
}

export function newCounters(): BridgeClientCounters {
  return {
    framesIn: 0,
    framesOut: 0,
    badFrames: 0,
    framesTooLarge: 0,
    unroutable: 0,
    namesTooLong: 0,
    busy: 0,
    queueBusy: 0,
    requestMemoryFull: 0,
    preInitOverflows: 0,
    oneShotOverflows: 0,
    earlierTargetsForgotten: 0,
    legsRefused: 0,
    disposedForgotten: 0,
    legsLetGo: 0,
    backpressurePauses: 0,
    backpressureTimeouts: 0,
    unsentOverflows: 0,
    notSent: 0,
    sendFailures: 0,
    logLinesSuppressed: 0,
    connections: 0,
    connectFailures: 0,
  };
}
