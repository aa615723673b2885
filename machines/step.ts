/**
 * The conversation's rules as pure steps: (context, event) -> (context, effects). The XState
 * machine (conversation.machine.ts) calls one step per event from its actions and guards; the
 * destination performs the effects. Nothing here touches a socket, a leg or a clock.
 */
import type { LegOperationName, LegSnapshot, PhoneEvent } from '../src/phone/types.js';
import { emptyMemory, recall, remember, type RequestMemory } from './memory.js';
import { initBody, respond, type Outcome, type Outgoing, type RequestHeader } from './messages.js';
import { modelFromSnapshot, cleanReason, type CallModel, type SentFlags } from './model.js';
import { applyPhoneEvent, eventsAfterInit, isOneShot, isPhoneEvent } from './phone-events.js';
import { isInitQuery, OPERATIONS, requestNameOf, say, shortName } from './requests.js';
import { requestCell, type RequestName } from './tables.js';

export interface ConversationSettings {
  readonly operationTimeoutMs: number;
  readonly dtmfMsPerDigit: number;
  readonly preInitEvents: number;
  readonly oneShotEvents: number;
  /** The optional operations the leg has (the others are always there). */
  readonly supported: readonly LegOperationName[];
}

export interface ConversationInput {
  readonly snapshot: LegSnapshot;
  readonly target?: string;
  readonly operationTimeoutMs?: number;
  readonly dtmfMsPerDigit?: number;
  readonly limits?: { readonly preInitEvents?: number; readonly oneShotEvents?: number; readonly requestIds?: number };
  readonly supported?: readonly LegOperationName[];
}

export const DEFAULTS = {
  operationTimeoutMs: 10_000,
  dtmfMsPerDigit: 500,
  preInitEvents: 256,
  oneShotEvents: 16,
  requestIds: 1024,
} as const;

/** A frame owed an answer, and the connection it came in on (see ConversationContext.epoch). */
export interface Asker {
  readonly header: RequestHeader;
  readonly epoch: number;
}

/** A request waiting in the leg's queue; `sharers` are repeated frames owed the same answer. */
export interface Pending extends Asker {
  readonly request: RequestName;
  readonly args: readonly string[];
  readonly sharers: readonly Asker[];
}

export interface InFlight extends Pending {
  readonly opId: number;
  readonly operation: LegOperationName;
}

export type Phase = 'awaitingInit' | 'ready' | 'disposed';

export interface ConversationContext {
  readonly phase: Phase;
  readonly target: string | undefined;
  readonly model: CallModel;
  readonly flags: SentFlags;
  /**
   * Counts connectionLost(). An answer goes on the wire only to a frame of the current connection;
   * one that completes later is kept in the requestId memory only (design.md, "Init and the event
   * queue": not sent on the next connection).
   */
  readonly epoch: number;
  readonly preInit: readonly PhoneEvent[];
  readonly oneShots: readonly PhoneEvent[];
  readonly queue: readonly Pending[];
  readonly inFlight: InFlight | undefined;
  /** A dispose waiting for the release in flight to finish. */
  readonly pendingDispose: Pending | undefined;
  readonly memory: RequestMemory;
  readonly nextOpId: number;
  readonly settings: ConversationSettings;
}

export type ConversationEvent =
  | {
      readonly type: 'request';
      readonly header: RequestHeader;
      readonly body?: Readonly<Record<string, unknown>>;
      /** The first body problem found by the validator, e.g. `digits may hold only 0-9, * and #`. */
      readonly bodyError?: string;
      /** A header outside the catalogue's limits, e.g. `requestId must be 1 to 256 characters long`. */
      readonly headerError?: string;
    }
  /** `snapshot` is the leg's snapshot when the pre-init queue is full (the destination reads it). */
  | { readonly type: 'phone'; readonly event: PhoneEvent; readonly snapshot?: LegSnapshot }
  | { readonly type: 'operation.settled'; readonly opId: number; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'operation.deadline'; readonly opId: number }
  | { readonly type: 'connection.lost' };

/** What the destination is asked to do, in order. */
export type Effect =
  | { readonly type: 'send'; readonly message: Outgoing }
  | { readonly type: 'start'; readonly opId: number; readonly operation: LegOperationName; readonly args: readonly string[] }
  | { readonly type: 'abort'; readonly opId: number }
  | { readonly type: 'detach' }
  | { readonly type: 'diagnostic'; readonly code: string; readonly message: string };

export interface Step {
  readonly context: ConversationContext;
  readonly effects: readonly Effect[];
  /** `restart`: a new operation is in flight (its deadline starts); `idle`: none is any more. */
  readonly operation: 'restart' | 'idle' | undefined;
}

function bound(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

export function initialContext(input: ConversationInput): ConversationContext {
  return {
    phase: 'awaitingInit',
    target: input.target,
    model: modelFromSnapshot(input.snapshot),
    flags: { initialized: false, started: false, ended: false },
    epoch: 0,
    preInit: [],
    oneShots: [],
    queue: [],
    inFlight: undefined,
    pendingDispose: undefined,
    memory: emptyMemory(bound(input.limits?.requestIds, DEFAULTS.requestIds)),
    nextOpId: 1,
    settings: {
      operationTimeoutMs: bound(input.operationTimeoutMs, DEFAULTS.operationTimeoutMs),
      dtmfMsPerDigit: bound(input.dtmfMsPerDigit, DEFAULTS.dtmfMsPerDigit),
      preInitEvents: bound(input.limits?.preInitEvents, DEFAULTS.preInitEvents),
      oneShotEvents: bound(input.limits?.oneShotEvents, DEFAULTS.oneShotEvents),
      supported: input.supported ?? ['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'],
    },
  };
}

/** The deadline of the operation in flight: the base, plus time per digit for DTMF. */
export function operationDeadlineMs(context: ConversationContext): number {
  const inFlight = context.inFlight;
  const { operationTimeoutMs, dtmfMsPerDigit } = context.settings;
  if (inFlight?.operation === 'sendDtmf') return operationTimeoutMs + dtmfMsPerDigit * (inFlight.args[0]?.length ?? 0);
  return operationTimeoutMs;
}

const sameRequest = (a: RequestHeader, b: RequestHeader): boolean => a.requestId === b.requestId && a.name === b.name;
const memoryKey = (header: RequestHeader): string => `${header.name}\u0000${header.requestId}`;

/** One step being built: a working copy of the context and the effects, in order. */
class Stepper {
  context: { -readonly [K in keyof ConversationContext]: ConversationContext[K] };
  readonly effects: Effect[] = [];
  private readonly hadInFlight: boolean;
  private startedOperation = false;

  constructor(context: ConversationContext) {
    this.context = { ...context };
    this.hadInFlight = context.inFlight !== undefined;
  }

  result(): Step {
    const ctx = this.context;
    const operation = this.startedOperation ? 'restart' : this.hadInFlight && ctx.inFlight === undefined ? 'idle' : undefined;
    return { context: ctx, effects: this.effects, operation };
  }

  diagnostic(code: string, message: string): void {
    this.effects.push({ type: 'diagnostic', code, message });
  }

  send(message: Outgoing): void {
    this.effects.push({ type: 'send', message });
  }

  /** Answers a request and every repeat of it; `keep` = remember the answer (rule 2). */
  answer(pending: Asker & { readonly sharers: readonly Asker[] }, outcome: Outcome, keep = true): void {
    for (const { header, epoch } of [pending, ...pending.sharers]) {
      const response = respond(header, outcome);
      if (keep) this.context.memory = remember(this.context.memory, memoryKey(header), response);
      if (epoch === this.context.epoch) this.send(response);
    }
  }

  fail(pending: Asker & { readonly sharers: readonly Asker[] }, errorMessage: string, keep = true): void {
    this.answer(pending, { ok: false, errorMessage }, keep);
  }

  // ---- requests -------------------------------------------------------------------------------

  request(header: RequestHeader, body: Readonly<Record<string, unknown>>, bodyError?: string, headerError?: string): void {
    const ctx = this.context;
    const alone = { header, epoch: ctx.epoch, sharers: [] };
    const short = shortName(header.name);
    // A header the catalogue refuses could not carry a SUCCESS answer: refused before anything.
    if (headerError !== undefined) return this.fail(alone, say.badBody(short, headerError), false);
    if (ctx.phase === 'disposed') {
      if (!this.replay(header)) this.fail(alone, say.disposed(short), false);
      return;
    }
    if (isInitQuery(header)) return this.init(header);
    if (ctx.target !== undefined && header.target !== ctx.target) return this.fail(alone, say.moved(short), false);
    if (this.replay(header) || this.joinRepeat(header)) return;
    if (ctx.pendingDispose !== undefined) return this.fail(alone, say.disposed(short));
    const request = requestNameOf(header);
    if (request === 'dispose') return this.dispose({ ...alone, request, args: [] });
    if (ctx.phase === 'awaitingInit') return this.fail(alone, say.notInitialized(short), false);
    if (request === undefined) return this.fail(alone, say.unsupported(header.name));
    const { operation, argument } = OPERATIONS[request];
    if (!isCoreOperation(operation) && !ctx.settings.supported.includes(operation)) return this.fail(alone, say.notSupportedByPhone(short));
    if (bodyError !== undefined) return this.fail(alone, say.badBody(short, bodyError));
    const args = argument === undefined ? [] : [String(body[argument] ?? '')];
    const queued: Pending = { ...alone, request, args };
    if (request === 'release') return this.release(queued);
    ctx.queue = [...ctx.queue, queued];
    this.advance();
  }

  /** Rule 2: a requestId already answered gets that answer again, addressed as the frame was. */
  private replay(header: RequestHeader): boolean {
    const remembered = recall(this.context.memory, memoryKey(header));
    if (remembered === undefined) return false;
    this.send({ ...remembered, header: { ...remembered.header, target: header.target } });
    return true;
  }

  /** Rule 2: a repeat of a request not answered yet gets its answer when that request completes. */
  private joinRepeat(header: RequestHeader): boolean {
    const ctx = this.context;
    const join = <P extends Pending>(pending: P): P => ({ ...pending, sharers: [...pending.sharers, { header, epoch: ctx.epoch }] });
    if (ctx.inFlight !== undefined && sameRequest(ctx.inFlight.header, header)) {
      ctx.inFlight = join(ctx.inFlight);
      return true;
    }
    if (ctx.pendingDispose !== undefined && sameRequest(ctx.pendingDispose.header, header)) {
      ctx.pendingDispose = join(ctx.pendingDispose);
      return true;
    }
    const index = ctx.queue.findIndex((pending) => sameRequest(pending.header, header));
    if (index < 0) return false;
    ctx.queue = ctx.queue.map((pending, i) => (i === index ? join(pending) : pending));
    return true;
  }

  private init(header: RequestHeader): void {
    const ctx = this.context;
    if (ctx.target !== undefined && header.target !== ctx.target) {
      this.diagnostic('moved', 'an init query on another target moved this conversation there');
    }
    ctx.target = header.target;
    this.send(respond(header, { ok: true, body: initBody(ctx.model) }));
    const oneShots = ctx.phase === 'awaitingInit' ? ctx.oneShots : [];
    const after = eventsAfterInit(ctx.model, ctx.flags, header.target, oneShots);
    ctx.flags = after.flags;
    for (const message of after.out) this.send(message);
    if (ctx.phase !== 'awaitingInit') return;
    ctx.phase = 'ready';
    const queued = ctx.preInit;
    ctx.oneShots = [];
    ctx.preInit = [];
    for (const event of queued) this.applyLive(event);
  }

  private dispose(pending: Pending): void {
    const ctx = this.context;
    // A hang-up is never cut off by a dispose: the release in flight finishes first.
    if (ctx.inFlight?.request === 'release') {
      this.failQueue('dispose');
      ctx.pendingDispose = pending;
      return;
    }
    this.cancelInFlight('dispose');
    this.failQueue('dispose');
    this.completeDispose(pending);
  }

  private completeDispose(pending: Pending): void {
    const ctx = this.context;
    this.answer(pending, { ok: true });
    this.effects.push({ type: 'detach' });
    ctx.phase = 'disposed';
    ctx.pendingDispose = undefined;
    ctx.queue = [];
    ctx.preInit = [];
    ctx.oneShots = [];
  }

  private release(pending: Pending): void {
    const ctx = this.context;
    if (ctx.inFlight?.request === 'release') {
      // A second release gets the first one's outcome.
      ctx.inFlight = { ...ctx.inFlight, sharers: [...ctx.inFlight.sharers, { header: pending.header, epoch: pending.epoch }] };
      this.failQueue('release');
      return;
    }
    this.cancelInFlight('release');
    this.failQueue('release');
    ctx.queue = [pending];
    this.advance();
  }

  private cancelInFlight(by: 'release' | 'dispose'): void {
    const inFlight = this.context.inFlight;
    if (inFlight === undefined) return;
    this.effects.push({ type: 'abort', opId: inFlight.opId });
    this.context.inFlight = undefined;
    this.fail(inFlight, say.cancelled(shortName(inFlight.header.name), by));
  }

  private failQueue(by: 'release' | 'dispose'): void {
    const queue = this.context.queue;
    this.context.queue = [];
    for (const pending of queue) this.fail(pending, say.cancelled(shortName(pending.header.name), by));
  }

  /** Rule 9: the head of the queue meets the table, against the state now, until one operation runs. */
  private advance(): void {
    const ctx = this.context;
    while (ctx.inFlight === undefined && ctx.queue.length > 0) {
      const head = ctx.queue[0];
      ctx.queue = ctx.queue.slice(1);
      const short = shortName(head.header.name);
      const { state, muted, parties } = ctx.model;
      switch (requestCell(head.request, state)) {
        case 'ok':
          this.answer(head, { ok: true });
          break;
        case 'no':
          this.fail(head, say.notInState(short, state));
          break;
        case 'call-unless-muted':
          if (muted) this.answer(head, { ok: true });
          else this.start(head);
          break;
        case 'call-if-muted':
          if (muted) this.start(head);
          else this.answer(head, { ok: true });
          break;
        case 'call-if-listed':
          if (parties.some((party) => party.number === head.args[0])) this.start(head);
          else this.fail(head, say.notListed(short));
          break;
        default: // 'call', 'call-tones' ('detach' never queues: dispose has its own path)
          this.start(head);
      }
    }
  }

  private start(pending: Pending): void {
    const ctx = this.context;
    const opId = ctx.nextOpId;
    const operation = OPERATIONS[pending.request as Exclude<RequestName, 'dispose'>].operation;
    ctx.nextOpId = opId + 1;
    ctx.inFlight = { ...pending, opId, operation };
    this.startedOperation = true;
    this.effects.push({ type: 'start', opId, operation, args: pending.args });
  }

  /** An operation's outcome: its answer, then the next in line (or the dispose that waited). */
  settled(opId: number, outcome: Outcome | 'timed out'): void {
    const ctx = this.context;
    const inFlight = ctx.inFlight;
    if (inFlight === undefined || inFlight.opId !== opId) return; // late: already cancelled or timed out
    const deadlineMs = operationDeadlineMs(ctx);
    ctx.inFlight = undefined;
    const short = shortName(inFlight.header.name);
    if (outcome === 'timed out') {
      this.effects.push({ type: 'abort', opId });
      this.fail(inFlight, say.timedOut(short, deadlineMs));
    } else this.answer(inFlight, outcome.ok ? outcome : { ok: false, errorMessage: say.phoneFailed(short, outcome.errorMessage) });
    if (ctx.pendingDispose !== undefined) this.completeDispose(ctx.pendingDispose);
    else this.advance();
  }

  // ---- phone events ---------------------------------------------------------------------------

  phone(event: PhoneEvent, snapshot: LegSnapshot | undefined): void {
    const ctx = this.context;
    if (!isPhoneEvent(event)) return this.diagnostic('bad-phone-event', 'the phone reported an event of no known type; ignored');
    if (ctx.phase === 'ready') return this.applyLive(event);
    if (ctx.phase === 'disposed') return;
    if (ctx.preInit.length < ctx.settings.preInitEvents) {
      ctx.preInit = [...ctx.preInit, event];
      return;
    }
    // Full: drop the queued state events, re-read the leg, keep only the one-shot words.
    let kept = [...ctx.oneShots, ...ctx.preInit.filter(isOneShot), ...(isOneShot(event) ? [event] : [])];
    if (kept.length > ctx.settings.oneShotEvents) {
      this.diagnostic('one-shot-events-dropped', `${kept.length - ctx.settings.oneShotEvents} one-shot phone events dropped before init`);
      kept = kept.slice(kept.length - ctx.settings.oneShotEvents);
    }
    ctx.oneShots = kept;
    ctx.preInit = [];
    if (snapshot !== undefined && ctx.model.state !== 'RELEASED') ctx.model = modelFromSnapshot(snapshot, ctx.model.parties);
    this.diagnostic('pre-init-queue-full', 'the pre-init event queue was full: its state events were dropped and the leg re-read');
  }

  private applyLive(event: PhoneEvent): void {
    const ctx = this.context;
    const applied = applyPhoneEvent(ctx.model, ctx.flags, event, ctx.target as string);
    ctx.model = applied.model;
    ctx.flags = applied.flags;
    for (const message of applied.out) this.send(message);
    if (applied.diagnostic !== undefined) this.diagnostic(applied.diagnostic.code, applied.diagnostic.message);
  }

  connectionLost(): void {
    this.context.epoch += 1;
    if (this.context.phase === 'ready') this.context.phase = 'awaitingInit';
  }
}

function isCoreOperation(operation: LegOperationName): boolean {
  return operation === 'answer' || operation === 'release' || operation === 'hold' || operation === 'retrieve';
}

/** One event through the rules. Pure: the same context and event give the same step. */
export function step(context: ConversationContext, event: ConversationEvent): Step {
  const stepper = new Stepper(context);
  switch (event.type) {
    case 'request':
      stepper.request(event.header, event.body ?? {}, event.bodyError, event.headerError);
      break;
    case 'phone':
      stepper.phone(event.event, event.snapshot);
      break;
    case 'operation.settled':
      stepper.settled(event.opId, event.ok ? { ok: true } : { ok: false, errorMessage: cleanReason(event.reason) });
      break;
    case 'operation.deadline':
      stepper.settled(event.opId, 'timed out');
      break;
    case 'connection.lost':
      stepper.connectionLost();
      break;
  }
  return stepper.result();
}

// The machine asks for the same step from its guards and its action within one microstep.
let lastContext: ConversationContext | undefined;
let lastEvent: ConversationEvent | undefined;
let lastStep: Step | undefined;

/** `step`, remembered for the last (context, event) pair. */
export function stepOf(context: ConversationContext, event: ConversationEvent): Step {
  if (context !== lastContext || event !== lastEvent || lastStep === undefined) {
    lastStep = step(context, event);
    lastContext = context;
    lastEvent = event;
  }
  return lastStep;
}
