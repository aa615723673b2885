/**
 * The data one conversation machine carries beside its states: the model of the call, what the
 * bridge was told, the waiting requests and phone events, and the settings. The control flow
 * (lifecycle, call state moves, operation running or not) is the chart's, not this file's.
 */
import type { Effect } from './effects.js';
import { RequestMemory } from './memory.js';
import { modelFromSnapshot, type CallModel, type SentFlags } from './model.js';
import { LegQueue, type InFlight, type Pending } from './queue.js';
import { OPTIONAL_LEG_OPERATIONS, type LegOperationName, type LegSnapshot, type PhoneEvent } from './types.js';

export interface ConversationSettings {
  readonly operationTimeoutMs: number;
  readonly dtmfMsPerDigit: number;
  readonly preInitEvents: number;
  readonly oneShotEvents: number;
  /** The optional operations the leg has (the others are always there). */
  readonly supported: readonly LegOperationName[];
}

/** The limits a bridge could otherwise push past: see docs/contract.md, "Bounds". */
export interface ConversationLimits {
  readonly preInitEvents?: number;
  readonly oneShotEvents?: number;
  /** Answers the requestId memory keeps (count). */
  readonly requestIds?: number;
  /** Bytes of answers the requestId memory keeps. */
  readonly requestIdBytes?: number;
  /** Requests waiting behind the operation in flight (count); past it a request gets "busy". */
  readonly queuedRequests?: number;
  /** Bytes of requests (and their repeats) waiting; past it a request gets "busy". */
  readonly queuedBytes?: number;
}

export interface ConversationInput {
  readonly snapshot: LegSnapshot;
  readonly target?: string;
  readonly operationTimeoutMs?: number;
  readonly dtmfMsPerDigit?: number;
  /** How long an ended, initialised leg the bridge never disposes is kept before letting go. */
  readonly letGoAfterMs?: number;
  readonly limits?: ConversationLimits;
  readonly supported?: readonly LegOperationName[];
}

export const DEFAULTS = {
  operationTimeoutMs: 10_000,
  dtmfMsPerDigit: 500,
  preInitEvents: 256,
  oneShotEvents: 16,
  requestIds: 1024,
  /**
   * 256 KiB: about 1,000 answers of ordinary size, the count bound's worth; answers with the
   * largest headers the catalogue allows fill it sooner. Kept small because it is per leg: 100
   * legs filled by a hostile bridge hold 25 MiB, not 100 (test/reliability/attack-128mb-chart).
   */
  requestIdBytes: 256 * 1024,
  queuedRequests: 256,
  /** 256 KiB: a few hundred requests with long arguments. */
  queuedBytes: 256 * 1024,
  /** Five minutes (docs/contract.md, "Init and the pre-init queue"). */
  letGoAfterMs: 5 * 60 * 1000,
  /** The targets a conversation moved away from whose sent flags are kept (a bridge moves a leg rarely). */
  earlierTargets: 8,
} as const;

export interface ConversationContext {
  readonly target: string | undefined;
  readonly model: CallModel;
  /** What has been sent on the current target (docs/contract.md, "Contract lines pinned by tests", 2). */
  readonly flags: SentFlags;
  /**
   * What was sent on the targets the conversation moved away from, the latest last: a move back
   * finds its target's flags again (`ended` goes out once per target). At most
   * DEFAULTS.earlierTargets; past that the oldest is forgotten and counts as new if used again.
   */
  readonly earlierTargets: ReadonlyMap<string, SentFlags>;
  /**
   * Counts connectionLost(). An answer goes on the wire only to a frame of the current connection;
   * one that completes later is kept in the requestId memory only (docs/contract.md, "Init and
   * the event queue": not sent on the next connection).
   */
  readonly epoch: number;
  /** Phone events waiting for the init response; the actor's own, appended in place. */
  readonly preInit: PhoneEvent[];
  /** One-shot words kept through a pre-init queue overflow; the actor's own. */
  readonly oneShots: PhoneEvent[];
  readonly queue: LegQueue;
  readonly inFlight: InFlight | undefined;
  /** A dispose waiting for the release in flight to finish. */
  readonly pendingDispose: Pending | undefined;
  readonly memory: RequestMemory;
  readonly nextOpId: number;
  readonly settings: ConversationSettings;
  readonly letGoAfterMs: number;
  /** The effects of the step being taken, in order; the runner empties it after each step (machines/effects.ts). */
  readonly outbox: Effect[];
}

/** Shared by every leg that never moved: a move builds a new map (answerInit), this one is never written. */
const NO_EARLIER_TARGETS: ReadonlyMap<string, SentFlags> = new Map();

/** A target nothing was sent on yet: its first init has the first init's rules. */
export const FIRST_INIT_FLAGS: SentFlags = Object.freeze({ initialized: false, started: false, ended: false });

/** A bound or delay as given, whole milliseconds or items; `fallback` for anything not a finite number ≥ 0. */
export function bound(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/**
 * The longest delay a timer takes: setTimeout fires a longer one after 1 ms (with a
 * TimeoutOverflowWarning), which would time out every operation at once. About 24.8 days.
 */
export const MAX_DELAY_MS = 2_147_483_647;

/** A delay as given (see `bound`), at most MAX_DELAY_MS. */
export function delayMs(value: number | undefined, fallback: number): number {
  return Math.min(MAX_DELAY_MS, bound(value, fallback));
}

export function initialContext(input: ConversationInput): ConversationContext {
  const limits = input.limits ?? {};
  return {
    target: input.target,
    model: modelFromSnapshot(input.snapshot),
    flags: FIRST_INIT_FLAGS,
    earlierTargets: NO_EARLIER_TARGETS,
    epoch: 0,
    preInit: [],
    oneShots: [],
    queue: new LegQueue(bound(limits.queuedRequests, DEFAULTS.queuedRequests), bound(limits.queuedBytes, DEFAULTS.queuedBytes)),
    inFlight: undefined,
    pendingDispose: undefined,
    memory: new RequestMemory(bound(limits.requestIds, DEFAULTS.requestIds), bound(limits.requestIdBytes, DEFAULTS.requestIdBytes)),
    nextOpId: 1,
    settings: {
      operationTimeoutMs: delayMs(input.operationTimeoutMs, DEFAULTS.operationTimeoutMs),
      dtmfMsPerDigit: delayMs(input.dtmfMsPerDigit, DEFAULTS.dtmfMsPerDigit),
      preInitEvents: bound(limits.preInitEvents, DEFAULTS.preInitEvents),
      oneShotEvents: bound(limits.oneShotEvents, DEFAULTS.oneShotEvents),
      supported: input.supported ?? OPTIONAL_LEG_OPERATIONS,
    },
    letGoAfterMs: delayMs(input.letGoAfterMs, DEFAULTS.letGoAfterMs),
    outbox: [],
  };
}

/** An operation's deadline: the base, plus time per digit for DTMF; at most MAX_DELAY_MS. */
export function deadlineMs(
  settings: Pick<ConversationContext['settings'], 'operationTimeoutMs' | 'dtmfMsPerDigit'>,
  operation: { readonly operation: string; readonly args: readonly string[] } | undefined,
): number {
  if (operation?.operation === 'sendDtmf') return Math.min(MAX_DELAY_MS, settings.operationTimeoutMs + settings.dtmfMsPerDigit * (operation.args[0]?.length ?? 0));
  return settings.operationTimeoutMs;
}

/** The deadline of the operation in flight. */
export function operationDeadlineMs(context: ConversationContext): number {
  return deadlineMs(context.settings, context.inFlight);
}

/**
 * A new context object whose mutable parts (queue, memory, queued phone events, sharers) are copies:
 * what a test that explores many events from one snapshot (xstate/graph) gives each branch, since
 * the actor writes its context in place.
 */
export function branchContext(context: ConversationContext): ConversationContext {
  const copyPending = <P extends Pending | undefined>(pending: P): P =>
    (pending === undefined ? undefined : { ...pending, sharers: [...pending.sharers] }) as P;
  return {
    ...context,
    preInit: [...context.preInit],
    oneShots: [...context.oneShots],
    queue: context.queue.clone(),
    memory: context.memory.clone(),
    inFlight: copyPending(context.inFlight),
    pendingDispose: copyPending(context.pendingDispose),
    // A branch's effects are its own step's: none yet.
    outbox: [],
  };
}
