/**
 * The conversation's rules, one small function each (docs/contract.md, "How a request is handled"
 * and "Phone events"). The chart decides *when* a rule applies (its states, edges and guards);
 * a rule only says what the data becomes and which effects leave, in order (machines/effects.ts).
 * Rules change the actor-owned queue and memory in place and return the rest as a `Change` (which
 * the chart's `act` writes into the actor's context).
 */
import type { ConversationContext } from './context.js';
import type { Effect } from './effects.js';
import { DEFAULTS, deadlineMs, FIRST_INIT_FLAGS, operationDeadlineMs } from './context.js';
import { phoneEventOf, requestOf, type ConversationEvent, type EventOfType, type KnownRequestEvent } from './events.js';
import { initBody, respond, type Outcome, type Outgoing, type RequestHeader } from './messages.js';
import { cleanReason, modelFromSnapshot, type CallModel, type SentFlags } from './model.js';
import { CELL_RULES, eventsAfterInit, isOneShot } from './phone-events.js';
import { askerBytes, requestBytes, type Asker, type Pending } from './queue.js';
import { OPERATIONS, say, shortName } from './requests.js';
import { requestCell, type PhoneEventCell, type RequestName } from './tables.js';
import type { PhoneEvent } from './types.js';

export type { Effect };

type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** What a rule did: the context fields it replaces, the effects, and events it raises on the chart. */
export interface Change {
  readonly assign?: Partial<Writable<ConversationContext>>;
  readonly effects: Effect[];
  readonly raise?: readonly ConversationEvent[];
}

export type Rule<E = ConversationEvent> = (context: ConversationContext, event: E) => Change;
type Answered = Asker & { readonly sharers: readonly Asker[] };
type Addressed = { readonly header: RequestHeader };
type PhoneCarrying = { readonly event: PhoneEvent };

const diagnostic = (code: string, message: string): Effect => ({ type: 'diagnostic', code, message });
const alone = (context: ConversationContext, header: RequestHeader): Answered => ({ header, epoch: context.epoch, sharers: [] });

/** Tells every asker of a request its answer; `keep` remembers it (step 5). */
export function answer(context: ConversationContext, pending: Answered, outcome: Outcome, keep: boolean, effects: Effect[]): Effect[] {
  tell(context, pending, outcome, keep, effects);
  for (const sharer of pending.sharers) tell(context, sharer, outcome, keep, effects);
  return effects;
}

function tell(context: ConversationContext, asker: Asker, outcome: Outcome, keep: boolean, effects: Effect[]): void {
  const response = respond(asker.header, outcome);
  const forgotten = keep ? context.memory.remember(response) : 0;
  // A frame of an earlier connection is owed nothing on this one; its answer is only remembered.
  if (asker.epoch === context.epoch) effects.push({ type: 'send', message: response });
  // Only the byte bound is reported (rare: long headers); the count bound's forgetting is not.
  if (forgotten > 0) effects.push(memoryFull(context, forgotten));
}

/** The requestId memory's byte bound was hit: answers forgotten (or this one not kept) for their bytes. */
const memoryFull = (context: ConversationContext, forgotten: number): Effect =>
  diagnostic(
    'request-memory-full',
    `${forgotten} remembered answer(s) forgotten to keep the requestId memory within ${context.memory.maxBytes} bytes (limits.requestIdBytes); a repeat of one runs as a new request`,
  );

const failAlone = (context: ConversationContext, header: RequestHeader, message: string, keep: boolean): Change => ({
  effects: answer(context, alone(context, header), { ok: false, errorMessage: message }, keep, []),
});

const short = (event: Addressed): string => shortName(event.header.name);

// ---- answers without the leg ------------------------------------------------------------------

export const refuse: Rule<EventOfType<'request.malformed'>> = (context, event) =>
  failAlone(context, event.header, say.badBody(short(event), event.headerError), false);
export const answerMoved: Rule<Addressed> = (context, event) => failAlone(context, event.header, say.moved(short(event)), false);
export const answerNotInitialized: Rule<Addressed> = (context, event) =>
  failAlone(context, event.header, say.notInitialized(short(event)), false);
/** While a dispose waits: "disposed", remembered (the dispose was accepted). */
export const answerDisposing: Rule<Addressed> = (context, event) => failAlone(context, event.header, say.disposed(short(event)), true);
/** Once disposed: "disposed", not remembered. */
export const answerDisposed: Rule<Addressed> = (context, event) => failAlone(context, event.header, say.disposed(short(event)), false);
/** Remembered like any answer (within the memory's bounds), so a repeat gets it again. */
export const answerUnsupported: Rule<Addressed> = (context, event) =>
  failAlone(context, event.header, say.unsupported(event.header.name), true);
export const answerNotSupportedByPhone: Rule<KnownRequestEvent> = (context, event) =>
  failAlone(context, event.header, say.notSupportedByPhone(short(event)), true);
export const answerBadBody: Rule<KnownRequestEvent> = (context, event) =>
  failAlone(context, event.header, say.badBody(short(event), event.bodyError ?? ''), true);
/** Past the queue's bounds: FAILURE "busy", and the bound hit reported (a busy answer is rare). */
export const answerBusy: Rule<Addressed> = (context, event) => {
  const { queue } = context;
  const waiting = `${queue.size} request(s), ${queue.bytes} bytes`;
  const change = failAlone(context, event.header, say.busy(short(event)), true);
  change.effects.push(
    diagnostic('queue-full', `${short(event)} answered "busy": ${waiting} already wait (limits.queuedRequests ${queue.maxRequests}, queuedBytes ${queue.maxBytes})`),
  );
  return change;
};

/** Step 5: a requestId already answered gets that answer again, addressed as the frame was. */
export const replay: Rule<Addressed> = (context, event) => {
  // The chart's isRemembered guard let this frame through, so there is an answer to replay.
  const remembered = context.memory.recall(event.header.name, event.header.requestId) as Outgoing;
  const message = { ...remembered, header: { ...remembered.header, target: event.header.target } } as Outgoing;
  return { effects: [{ type: 'send', message }] };
};

// ---- repeats and the queue --------------------------------------------------------------------

const sameRequest = (a: RequestHeader, b: RequestHeader): boolean => a.requestId === b.requestId && a.name === b.name;

/** The request (in flight, waiting to dispose, or queued) this frame repeats, if any. */
export function repeated(context: ConversationContext, header: RequestHeader): Pending | undefined {
  if (context.inFlight !== undefined && sameRequest(context.inFlight.header, header)) return context.inFlight;
  if (context.pendingDispose !== undefined && sameRequest(context.pendingDispose.header, header)) return context.pendingDispose;
  return context.queue.size === 0 ? undefined : context.queue.find(header);
}

/** Step 5: a repeat of a request not answered yet shares its answer (or is "busy" past the bounds). */
export const joinRepeat: Rule<Addressed> = (context, event) => {
  const pending = repeated(context, event.header) as Pending;
  const sharer: Asker = { header: event.header, epoch: context.epoch };
  if (!context.queue.fits(askerBytes(sharer), 0) || pending.sharers.length >= context.queue.maxRequests) return answerBusy(context, event);
  if (pending === context.inFlight || pending === context.pendingDispose) pending.sharers.push(sharer);
  else context.queue.join(pending, sharer);
  return { effects: [] };
};

/** The request's one argument (digits, a number), as the leg's operation takes it. */
function argsOf(request: RequestName, event: KnownRequestEvent): readonly string[] {
  const argument = request === 'dispose' ? undefined : OPERATIONS[request].argument;
  return argument === undefined ? NO_ARGS : [String(event.body[argument] ?? '')];
}
const NO_ARGS: readonly string[] = Object.freeze([]);

function pendingOf(context: ConversationContext, event: KnownRequestEvent): Pending {
  const request = requestOf(event);
  return { header: event.header, epoch: context.epoch, request, args: argsOf(request, event), sharers: [] };
}

/** Whether one more request would pass the queue's bounds. */
export const queueFull = (context: ConversationContext, event: KnownRequestEvent): boolean =>
  !context.queue.fits(requestBytes(event.header, argsOf(requestOf(event), event)));

export const enqueue: Rule<KnownRequestEvent> = (context, event) => {
  context.queue.push(pendingOf(context, event));
  return { effects: [] };
};

type LegRequest = Exclude<RequestName, 'dispose'>;

/**
 * Whether the request table sends this request to the leg now: its cell in the call state, and for
 * the conditional cells the mute flag or the party list. The operation region's edges and
 * `takeNext` both ask this one question.
 */
export function callsLeg(model: CallModel, request: LegRequest, args: readonly string[]): boolean {
  switch (requestCell(request, model.state)) {
    case 'call':
    case 'call-tones':
      return true;
    case 'call-unless-muted':
      return !model.muted;
    case 'call-if-muted':
      return model.muted;
    case 'call-if-listed':
      return model.parties.some((party) => party.number === args[0]);
    default: // 'ok', 'no' ('detach' never reaches the table: dispose has its own edges)
      return false;
  }
}

/** A request of a known name, as the request table reads it. */
export const callsLegNow = (context: ConversationContext, event: KnownRequestEvent): boolean => {
  const request = requestOf(event) as LegRequest;
  return callsLeg(context.model, request, argsOf(request, event));
};

/** Whether a waiting request will call the leg once the operation in flight is done. */
export const callWaiting = (context: ConversationContext): boolean =>
  context.queue.some((pending) => callsLeg(context.model, pending.request as LegRequest, pending.args));

/** The answer the table gives a request that does not call the leg: SUCCESS, or why not. */
function answerWithoutLeg(context: ConversationContext, pending: Pending, effects: Effect[]): void {
  const name = shortName(pending.header.name);
  const { state } = context.model;
  switch (requestCell(pending.request as LegRequest, state)) {
    case 'no':
      return void answer(context, pending, { ok: false, errorMessage: say.notInState(name, state) }, true, effects);
    case 'call-if-listed':
      return void answer(context, pending, { ok: false, errorMessage: say.notListed(name) }, true, effects);
    default: // 'ok', and mute when muted or unmute when not: already so
      return void answer(context, pending, { ok: true }, true, effects);
  }
}

/** The leg's operation for this request starts: the effect, and the request is in flight. */
function begin(context: ConversationContext, pending: Pending, effects: Effect[]): Change {
  const opId = context.nextOpId;
  const operation = OPERATIONS[pending.request as LegRequest].operation;
  const { header, epoch, request, args, sharers } = pending;
  const inFlight = { header, epoch, request, args, sharers, opId, operation };
  effects.push({ type: 'start', opId, operation, args, deadlineMs: deadlineMs(context.settings, inFlight) });
  return { assign: { inFlight, nextOpId: opId + 1 }, effects };
}

/** Nothing in flight, nothing waiting: the request's operation starts (the chart checked `callsLegNow`). */
export const startOperation: Rule<KnownRequestEvent> = (context, event) => begin(context, pendingOf(context, event), []);

/** Nothing in flight, nothing waiting, and the table answers without the leg. */
export const answerByTable: Rule<KnownRequestEvent> = (context, event) => {
  const effects: Effect[] = [];
  answerWithoutLeg(context, pendingOf(context, event), effects);
  return { effects };
};

/**
 * Step 12: once the operation in flight is done, the waiting requests meet the request table in
 * turn, against the state now: answered until one calls the leg, which starts (the chart checked
 * `callWaiting` to know where the operation region goes).
 */
export const takeNext: Rule = (context) => {
  const effects: Effect[] = [];
  if (context.inFlight !== undefined) return { effects };
  for (let head = context.queue.shift(); head !== undefined; head = context.queue.shift()) {
    if (callsLeg(context.model, head.request as LegRequest, head.args)) return begin(context, head, effects);
    answerWithoutLeg(context, head, effects);
  }
  return { effects };
};

// ---- release and dispose ----------------------------------------------------------------------

/** A release or dispose cuts the operation in flight short: abort it, answer it "cancelled". */
export const cancelInFlight =
  (by: 'release' | 'dispose'): Rule =>
  (context) => {
    const inFlight = context.inFlight;
    if (inFlight === undefined) return { effects: [] };
    const effects: Effect[] = [{ type: 'abort', opId: inFlight.opId }];
    answer(context, inFlight, { ok: false, errorMessage: say.cancelled(shortName(inFlight.header.name), by) }, true, effects);
    // A release's own edge moves the operation region; a dispose ends it from the lifecycle region.
    if (by === 'release') return { assign: { inFlight: undefined }, effects };
    return { assign: { inFlight: undefined }, effects, raise: [{ type: 'operation.cancelled', opId: inFlight.opId }] };
  };

/** A release or dispose empties the queue: each waiting request is answered "cancelled". */
export const cancelQueue =
  (by: 'release' | 'dispose'): Rule =>
  (context) => {
    const effects: Effect[] = [];
    for (const pending of context.queue.drain()) {
      answer(context, pending, { ok: false, errorMessage: say.cancelled(shortName(pending.header.name), by) }, true, effects);
    }
    return { effects };
  };

/** A second release while one is in flight gets the first one's outcome. */
export const joinRelease: Rule<KnownRequestEvent> = (context, event) => {
  context.inFlight?.sharers.push({ header: event.header, epoch: context.epoch });
  return { effects: [] };
};

/** A hang-up is never cut off by a dispose: the dispose waits for the release in flight. */
export const holdDispose: Rule<KnownRequestEvent> = (context, event) => ({ assign: { pendingDispose: pendingOf(context, event) }, effects: [] });

function dispose(context: ConversationContext, pending: Answered): Change {
  const effects = answer(context, pending, { ok: true }, true, []);
  effects.push({ type: 'detach' });
  context.queue.drain();
  return { assign: { pendingDispose: undefined, preInit: [], oneShots: [] }, effects };
}

/** SUCCESS for the dispose, then the leg is let go; nothing waits any more. */
export const answerDispose: Rule<KnownRequestEvent> = (context, event) => dispose(context, alone(context, event.header));
/** The dispose that waited for the release, now that it finished. */
export const completeDispose: Rule = (context) => dispose(context, context.pendingDispose as Pending);

// ---- operation outcomes -----------------------------------------------------------------------

export const answerOutcome: Rule<EventOfType<'operation.settled'>> = (context, event) => {
  const inFlight = context.inFlight as Pending;
  const outcome: Outcome = event.ok
    ? { ok: true }
    : { ok: false, errorMessage: say.phoneFailed(shortName(inFlight.header.name), cleanReason(event.reason)) };
  return { assign: { inFlight: undefined }, effects: answer(context, inFlight, outcome, true, []) };
};

export const answerTimedOut: Rule<EventOfType<'operation.deadline'>> = (context, event) => {
  const inFlight = context.inFlight as Pending;
  const effects: Effect[] = [{ type: 'abort', opId: event.opId }];
  answer(context, inFlight, { ok: false, errorMessage: say.timedOut(shortName(inFlight.header.name), operationDeadlineMs(context)) }, true, effects);
  return { assign: { inFlight: undefined }, effects };
};

// ---- init and the pre-init queue --------------------------------------------------------------

/** The init response, then the events after it (the started rule, kept one-shot words). */
export const answerInit: Rule<EventOfType<'query.init'>> = (context, event) => {
  const { header } = event;
  const effects: Effect[] = [];
  let { flags, earlierTargets } = context;
  if (context.target !== undefined && header.target !== context.target) {
    // A move is a first init for the new target (unless the conversation was there before).
    effects.push(diagnostic('moved', 'an init query on another target moved this conversation there'));
    const left = leaving(earlierTargets, context.target, flags, header.target);
    earlierTargets = left.kept;
    if (left.forgot) effects.push(earlierTargetForgotten());
    flags = context.earlierTargets.get(header.target) ?? FIRST_INIT_FLAGS;
  }
  effects.push({ type: 'send', message: respond(header, { ok: true, body: initBody(context.model) }) });
  const after = eventsAfterInit(context.model, flags, header.target, context.oneShots);
  for (const message of after.out) effects.push({ type: 'send', message });
  return { assign: { target: header.target, flags: after.flags, earlierTargets }, effects };
};

/** The earlier-targets bound was hit: the oldest target's sent flags are gone. */
const earlierTargetForgotten = (): Effect =>
  diagnostic(
    'earlier-target-forgotten',
    `the oldest of the ${DEFAULTS.earlierTargets} targets this conversation moved away from was forgotten; an init query back on it counts as a first init there (started may go out on it again)`,
  );

/**
 * The earlier targets once the conversation leaves `from` for `to`: `from` kept latest, and
 * whether the oldest was forgotten for the bound (one target in, so at most one over it).
 */
function leaving(
  earlier: ReadonlyMap<string, SentFlags>,
  from: string,
  flags: SentFlags,
  to: string,
): { readonly kept: ReadonlyMap<string, SentFlags>; readonly forgot: boolean } {
  const next = new Map(earlier);
  next.delete(to);
  next.delete(from);
  next.set(from, flags);
  const forgot = next.size > DEFAULTS.earlierTargets;
  if (forgot) next.delete(next.keys().next().value as string);
  return { kept: next, forgot };
}

/** The phone events queued before init go through the call region's edges now, in order. */
export const replayPreInit: Rule = (context) => ({
  assign: { preInit: [], oneShots: [] },
  effects: [],
  raise: context.preInit.map((event) => phoneEventOf(event)),
});

export const newEpoch: Rule = (context) => ({ assign: { epoch: context.epoch + 1 }, effects: [] });

export const queuePreInit: Rule<PhoneCarrying> = (context, event) => {
  context.preInit.push(event.event);
  return { effects: [] };
};

/** A full pre-init queue: drop its state events (the leg is re-read), keep only the one-shot words. */
export const overflowPreInit: Rule<PhoneCarrying> = (context, event) => {
  const effects: Effect[] = [];
  const limit = context.settings.oneShotEvents;
  let kept = [...context.oneShots, ...context.preInit.filter(isOneShot), ...(isOneShot(event.event) ? [event.event] : [])];
  if (kept.length > limit) {
    effects.push(diagnostic('one-shot-events-dropped', `${kept.length - limit} one-shot phone events dropped before init`));
    kept = kept.slice(kept.length - limit);
  }
  effects.push(diagnostic('pre-init-queue-full', 'the pre-init event queue was full: its state events were dropped and the leg re-read'));
  return { assign: { oneShots: kept, preInit: [] }, effects };
};

/** The re-read leg becomes the model (only live call states have `resync` edges: RELEASED stays). */
export const rereadLeg: Rule<EventOfType<'resync'>> = (context, event) => ({
  assign: { model: modelFromSnapshot(event.snapshot, context.model.parties) },
  effects: [],
});

// ---- phone events -----------------------------------------------------------------------------

/** The rule of one cell of the phone-event table, applied to the live call. */
export const applyCell =
  (cell: PhoneEventCell): Rule<PhoneCarrying> =>
  (context, event) => {
    const applied = CELL_RULES[cell](context.model, context.flags, event.event, context.target as string);
    const effects: Effect[] = [];
    for (const message of applied.out) effects.push({ type: 'send', message });
    if (applied.diagnostic !== undefined) effects.push(diagnostic(applied.diagnostic.code, applied.diagnostic.message));
    if (applied.model === context.model && applied.flags === context.flags) return { effects };
    return { assign: { model: applied.model, flags: applied.flags }, effects };
  };

export const reportUnknownPhoneEvent: Rule = () => ({
  effects: [diagnostic('bad-phone-event', 'the phone reported an event of no known type; ignored')],
});

export const letGo: Rule = () => ({ effects: [{ type: 'letGo' }] });
