/**
 * createConversationDestination: binds one conversation machine to one phone leg, a target and an
 * outbound `send`. The chart decides; this file turns frames and phone events into the chart's
 * events, performs its effects (send a message, call or abort a leg operation, detach, let go)
 * and feeds operation outcomes back. Nothing throws out of here: a phone that throws, rejects or
 * hangs becomes an answer.
 */
import { getEventListeners } from 'node:events';
import type { ConversationInput, ConversationLimits } from '../../machines/context.js';
import { createActor, type ActorOptions, type InspectionEvent, type Observer } from 'xstate';
import { validateOutbound } from '../../generated/validators.js';
import type { OutboundMessage } from '../../generated/types.js';
import { conversationMachine, type Effect } from '../../machines/conversation.machine.js';
import { phoneEventOf, requestEvent } from '../../machines/events.js';
import { respond, type Outgoing } from '../../machines/messages.js';
import { isPhoneEvent } from '../../machines/phone-events.js';
import { shortName } from '../../machines/requests.js';
import { OPTIONAL_LEG_OPERATIONS, type LegOperationName, type LegSnapshot, type PhoneEvent } from '../../machines/types.js';
import type { TelephonyLeg } from '../phone/types.js';
import { watchCapabilities, type DestinationCapabilities } from './capabilities.js';
import { DESTINATION_PROTOTYPE, registerActor } from './internal.js';
import { readFrame } from './read-frame.js';
import type { DestinationTap } from './tap.js';
import { viewOf, type DestinationView } from './view.js';

/** XState's clock interface (setTimeout/clearTimeout), as `createActor` takes it. */
export type Clock = NonNullable<ActorOptions<typeof conversationMachine>['clock']>;

/**
 * What `inspect` takes: XState's inspection observer, or a function called with each inspection
 * event (every event the leg's actor gets, every snapshot, every microstep). The local inspector
 * and the Stately transport of cti-conversation/inspector give one; a function of your own can
 * log or count. An observer that throws is XState's to handle; keep it quick, it runs in the
 * leg's step.
 */
export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

/**
 * One report of a destination, handed to `onDiagnostic`: what it did instead of throwing. Codes
 * include `snapshot-failed`, `subscribe-failed`, `send-failed`, `invalid-outbound` (a message that
 * failed the catalogue: a response goes out as FAILURE, anything else is not sent),
 * `dispose-failed`, `bad-phone-event`, `tap-failed`, `subscriber-failed`, `on-disposed-failed`,
 * `on-let-go-failed`, `stopped` (a frame after stop()), `extra-key` (an unknown key, ignored),
 * `bad-json`, `malformed-header` and `not-a-request` (a frame dropped), the chart's own
 * (`phone-event-ignored`, `phone-event-ends-call`) and `internal-error`.
 */
export interface DestinationDiagnostic {
  /** A stable code, e.g. 'send-failed'. */
  readonly code: string;
  /** The destination's target when it has one (after the first init, or as given). */
  readonly target?: string;
  /** A sentence for a person. */
  readonly message: string;
}

/**
 * What createConversationDestination needs: the phone `leg` it drives and `send`, the way to the
 * bridge. Everything else is optional; the defaults are CONVERSATION_DEFAULTS. The destination
 * reads what it needs at creation and keeps nothing of this object.
 */
export interface ConversationDestinationOptions {
  /** The call leg this destination drives and listens to (a leg of any Phone). */
  readonly leg: TelephonyLeg;
  /**
   * Sends one message to the bridge: responses and events, each already checked against the
   * catalogue. Called from receive(), from the leg's events and when an operation settles; one
   * that throws is a `send-failed` diagnostic and the message is lost.
   */
  readonly send: (message: OutboundMessage) => void;
  /** The target, when known before the bridge's first init (the init sets it otherwise). */
  readonly target?: string;
  /** Deadline of every leg operation; default 10 000 ms. */
  readonly operationTimeoutMs?: number;
  /** Added to senddtmf's deadline per digit; default 500 ms. */
  readonly dtmfMsPerDigit?: number;
  /** Bounds on what a bridge or phone can make the destination hold (docs/contract.md, "Bounds"). */
  readonly limits?: ConversationLimits;
  /** How long an ended, initialised leg the bridge never disposes is kept; default 5 minutes. */
  readonly letGoAfterMs?: number;
  /** Watches what goes in and out (every hook optional). */
  readonly tap?: DestinationTap;
  /** XState inspection of the leg's actor (a local inspector, a Stately transport); default none. */
  readonly inspect?: InspectionObserver;
  /** Every report of the destination (see DestinationDiagnostic); a hook that throws is ignored. */
  readonly onDiagnostic?: (diagnostic: DestinationDiagnostic) => void;
  /** XState's clock; tests pass a SimulatedClock so deadlines never wait on the wall clock. */
  readonly clock?: Clock;
  /** Called after dispose was answered and leg.dispose() was called. */
  readonly onDisposed?: () => void;
  /**
   * Called when an ended leg the bridge never disposed is let go after the grace period; the owner
   * forgets the leg (and keeps its target among the disposed ones). The leg itself is not disposed.
   */
  readonly onLetGo?: () => void;
}

/**
 * The conversation destination of one call leg, as createConversationDestination returns it:
 * hand it every frame the bridge sends for the leg (receive), tell it when the connection drops
 * (connectionLost), stop it at shutdown (stop). It answers through the `send` it was given and
 * drives the leg; read its state with getSnapshot/subscribe, and what it would take now with
 * can/capabilities/onCapabilitiesChange. None of its methods throws.
 */
export interface ConversationDestination extends DestinationCapabilities {
  /** A `{ header, body }` object or its JSON text. Never throws. */
  receive(message: unknown): void;
  /** The bridge connection dropped: back to awaiting init, memory and sent flags kept. */
  connectionLost(): void;
  /** The public view of the leg now (lifecycle, call state, muted, parties, operation). */
  getSnapshot(): DestinationView;
  /** Calls `listener` with the view after every change; returns a function that unsubscribes. */
  subscribe(listener: (view: DestinationView) => void): () => void;
  /** Process shutdown: aborts operations in flight unanswered, unsubscribes, does not dispose. */
  stop(): void;
  /** The target the bridge addresses this leg by: the latest init's, else the one given; undefined before either. */
  readonly target: string | undefined;
  /** The id of the leg it drives (`leg.id`). */
  readonly legId: string;
}

/**
 * The wall clock, with timers that do not keep the process alive: a deadline only matters while an
 * operation is in flight (which holds its own handles), and a five-minute let-go must not hold up
 * a CLI that is done.
 */
const UNREF_CLOCK: Clock = {
  setTimeout: (fn: (...args: unknown[]) => void, ms: number) => {
    const timer = setTimeout(fn, ms);
    timer.unref?.();
    return timer;
  },
  clearTimeout: (id: unknown) => clearTimeout(id as ReturnType<typeof setTimeout>),
} as Clock;

/** An operation the leg is performing: the controller of the signal it was given, and its deadline's timer. */
interface RunningOperation {
  readonly controller: AbortController;
  readonly deadline: unknown;
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const NO_OPTIONAL_OPERATIONS: readonly LegOperationName[] = [];

/** The optional operations a leg has; the shared lists when it has all or none (most legs). */
function supportedBy(leg: TelephonyLeg): readonly LegOperationName[] {
  const supported = OPTIONAL_LEG_OPERATIONS.filter((operation) => typeof leg[operation] === 'function');
  if (supported.length === OPTIONAL_LEG_OPERATIONS.length) return OPTIONAL_LEG_OPERATIONS;
  return supported.length === 0 ? NO_OPTIONAL_OPERATIONS : supported;
}

/** A leg whose snapshot throws is treated as gone: the init still gets a body the catalogue accepts. */
const BROKEN_LEG_SNAPSHOT: LegSnapshot = { state: 'RELEASED', parties: [{ number: 'unknown' }], muted: false };

/**
 * Creates the conversation destination of one phone leg: one XState actor running the
 * conversation statechart (machines/), fed by the frames you hand to receive() and by the leg's
 * events, answering through `options.send`. It follows docs/contract.md: requests queue behind
 * the operation in flight, each has a deadline (`operationTimeoutMs`, default 10 s), a repeated
 * requestId gets the same answer again, events wait for the first init, and every message sent
 * passes the generated catalogue validators. Defaults: CONVERSATION_DEFAULTS.
 *
 * Throws only when `options.leg` is not an object (TypeError). After that nothing throws out of
 * it: a leg whose snapshot, subscribe or operations throw, reject or hang, a `send` that throws,
 * and every bad frame become an answer or a diagnostic (`onDiagnostic`).
 *
 * The bridge client makes one per leg for you; use it directly to serve a bridge of your own, or
 * through createDestinationDriver in tests.
 *
 * @example
 * import { createConversationDestination, SimulatedPhone } from 'cti-conversation';
 *
 * const leg = new SimulatedPhone().ring({ number: '+15551230001' }, { id: 'leg-1' });
 * const destination = createConversationDestination({
 *   leg,
 *   target: 'PB1.AGENT-1001.TEL.I-1.leg-1',
 *   send: (message) => bridge.write(message), // your way to the bridge
 * });
 * bridge.onFrame((frame) => destination.receive(frame)); // an object or its JSON text
 */
export function createConversationDestination(options: ConversationDestinationOptions): ConversationDestination {
  // What later calls need is read out now: nothing keeps `options` (often built per leg with
  // spreads, so with a hidden class of its own) once the destination is made.
  const { leg, tap, onDiagnostic, onDisposed, onLetGo, send: sendOut, target: givenTarget } = options;
  const legId = String(leg.id);
  const clock = options.clock ?? UNREF_CLOCK;
  /** The operations the leg is performing, by opId: exactly those the chart has started and not yet seen end. */
  // Made with the first operation: an idle leg holds none (BENCHMARKS.md, "Memory").
  let running: Map<number, RunningOperation> | undefined;
  /** A settled operation's controller whose signal nobody listens to any more: the next operation's. */
  let spare: AbortController | undefined;
  let stopped = false;
  let unsubscribe: (() => void) | undefined;
  let started: { getSnapshot(): { context: { target: string | undefined } } } | undefined;

  /** A tap hook that throws loses its own report, nothing else. */
  const tapped = (hook: string, call: () => void): void => {
    try {
      call();
    } catch (error) {
      diagnose('tap-failed', `the tap's ${hook} threw: ${describeError(error)}`);
    }
  };

  const diagnose = (code: string, message: string): void => {
    try {
      const target = started?.getSnapshot().context.target ?? givenTarget;
      onDiagnostic?.({ code, ...(target !== undefined && { target }), message });
    } catch {
      // A diagnostics hook that throws loses its own report, nothing else.
    }
  };

  const readSnapshot = (): LegSnapshot | undefined => {
    try {
      return leg.snapshot();
    } catch (error) {
      diagnose('snapshot-failed', `leg ${legId}: snapshot() threw: ${describeError(error)}`);
      return undefined;
    }
  };

  const input: ConversationInput = {
    snapshot: readSnapshot() ?? BROKEN_LEG_SNAPSHOT,
    target: givenTarget,
    operationTimeoutMs: options.operationTimeoutMs,
    dtmfMsPerDigit: options.dtmfMsPerDigit,
    limits: options.limits,
    letGoAfterMs: options.letGoAfterMs,
    supported: supportedBy(leg),
  };
  const actor = createActor(conversationMachine, options.inspect === undefined ? { input, clock } : { input, clock, inspect: options.inspect });

  /** Invariant 8: nothing leaves unless the generated outbound validator passes it. */
  const send = (message: Outgoing): void => {
    let checked = validateOutbound(message);
    if (!checked.ok && message.header.type === 'cti.response') {
      // A response is still owed: a plain FAILURE always fits the catalogue.
      const problem = checked.errors[0];
      diagnose('invalid-outbound', `a ${message.header.name.slice(0, 64)} response failed the catalogue (${problem?.path} ${problem?.message}); sent as FAILURE`);
      const header = message.header;
      checked = validateOutbound(
        respond(header, { ok: false, errorMessage: `${shortName(header.name)}: the answer did not fit the message catalogue` }),
      );
    }
    if (!checked.ok) {
      diagnose('invalid-outbound', `a ${message.header.name.slice(0, 64)} message failed the catalogue and was not sent`);
      return;
    }
    if (tap?.outbound !== undefined) tapped('outbound', () => tap.outbound?.(checked.message));
    try {
      sendOut(checked.message);
    } catch (error) {
      diagnose('send-failed', `send threw: ${describeError(error)}`);
    }
  };

  /** The operation leaves the running set, its deadline disarmed; its controller, if it was running. */
  const finish = (opId: number): AbortController | undefined => {
    const operation = running?.get(opId);
    if (running === undefined || operation === undefined) return undefined;
    running.delete(opId);
    clock.clearTimeout(operation.deadline);
    return operation.controller;
  };

  const settle = (opId: number, ok: boolean, reason = ''): void => {
    const controller = stopped ? undefined : finish(opId);
    if (controller === undefined) return;
    keepIfUnheard(controller);
    if (tap?.operationSettled !== undefined) tapped('operationSettled', () => tap.operationSettled?.(opId, ok ? { ok: true } : { ok: false, error: reason }));
    actor.send({ type: 'operation.settled', opId, ok, reason });
  };

  /**
   * A settled operation's signal goes to the next operation when no abort listener is left on it:
   * Node 20 takes about 4–5 µs to make an AbortSignal, a ninth of a request/response pair
   * (BENCHMARKS.md, "Machine: a signal reused while nobody hears it"). A signal still heard is
   * dropped, so a later abort can never reach a finished operation's listener; an aborted one is
   * never settled here (docs/contract.md, "The adapter contract").
   */
  const keepIfUnheard = (controller: AbortController): void => {
    if (getEventListeners(controller.signal, 'abort').length === 0) spare = controller;
  };

  /**
   * Calls the leg, and arms the operation's deadline: when it passes first, the chart is told
   * `operation.deadline` and answers the request (its `abort` effect then cancels the call).
   */
  const start = (opId: number, operation: LegOperationName, args: readonly string[], deadlineMs: number): void => {
    if (tap?.operationStarted !== undefined) tapped('operationStarted', () => tap.operationStarted?.(opId, operation, args));
    const controller = spare ?? new AbortController();
    spare = undefined;
    // Settling and stopping disarm it (finish); a late one would still be harmless: the chart
    // ignores a deadline for an operation that is not in flight.
    const deadline: unknown = clock.setTimeout(() => actor.send({ type: 'operation.deadline', opId }), deadlineMs);
    (running ??= new Map()).set(opId, { controller, deadline });
    const call = leg[operation] as ((...params: unknown[]) => Promise<void>) | undefined;
    try {
      if (typeof call !== 'function') throw new Error('the leg has no such operation');
      Promise.resolve(call.call(leg, ...args, controller.signal)).then(
        () => settle(opId, true),
        (error: unknown) => settle(opId, false, describeError(error)),
      );
    } catch (error) {
      // Thrown synchronously: answered like a rejection, after this step has finished.
      queueMicrotask(() => settle(opId, false, describeError(error)));
    }
  };

  const detach = (): void => {
    unsubscribe?.();
    unsubscribe = undefined;
    try {
      Promise.resolve(leg.dispose()).catch((error: unknown) => diagnose('dispose-failed', `leg ${legId}: dispose() failed: ${describeError(error)}`));
    } catch (error) {
      diagnose('dispose-failed', `leg ${legId}: dispose() threw: ${describeError(error)}`);
    }
    try {
      onDisposed?.();
    } catch (error) {
      diagnose('on-disposed-failed', `onDisposed threw: ${describeError(error)}`);
    }
  };

  const letGo = (): void => {
    try {
      onLetGo?.();
    } catch (error) {
      diagnose('on-let-go-failed', `onLetGo threw: ${describeError(error)}`);
    }
  };

  const perform = (effect: Effect): void => {
    switch (effect.type) {
      case 'send':
        return send(effect.message);
      case 'start':
        return start(effect.opId, effect.operation, effect.args, effect.deadlineMs);
      case 'abort':
        return finish(effect.opId)?.abort();
      case 'detach':
        return detach();
      case 'letGo':
        return letGo();
      case 'diagnostic':
        return diagnose(effect.code, effect.message);
    }
  };

  actor.on('*', (effect) => {
    try {
      perform(effect);
      /* v8 ignore next 3 -- every effect guards itself; this only keeps a future slip from escaping into XState */
    } catch (error) {
      diagnose('internal-error', `an effect failed: ${describeError(error)}`);
    }
  });
  actor.start();
  started = actor;

  /** A phone event meets a full pre-init queue: the leg is re-read and the chart told `resync`. */
  const needsResync = (): boolean => {
    const snapshot = actor.getSnapshot();
    const { preInit, settings } = snapshot.context;
    if (preInit.length < settings.preInitEvents) return false;
    return snapshot.matches({ lifecycle: 'awaitingInit' }) || snapshot.matches({ lifecycle: { disposing: 'awaitingInit' } });
  };

  const onPhoneEvent = (event: PhoneEvent): void => {
    try {
      if (tap?.phoneEvent !== undefined) tapped('phoneEvent', () => tap.phoneEvent?.(event));
      if (stopped) return;
      if (!isPhoneEvent(event)) return diagnose('bad-phone-event', `leg ${legId} reported an event of no known type; ignored`);
      const copy = { ...event };
      const snapshot = needsResync() ? readSnapshot() : undefined;
      actor.send(snapshot !== undefined ? { type: 'resync', event: copy, snapshot } : phoneEventOf(copy));
    } catch (error) {
      diagnose('internal-error', `a phone event could not be handled: ${describeError(error)}`);
    }
  };

  try {
    unsubscribe = leg.subscribe(onPhoneEvent);
  } catch (error) {
    diagnose('subscribe-failed', `leg ${legId}: subscribe() threw: ${describeError(error)}`);
  }

  let view: { snapshot: unknown; view: DestinationView } | undefined;
  const currentView = (): DestinationView => {
    const snapshot = actor.getSnapshot();
    if (view?.snapshot !== snapshot) view = { snapshot, view: viewOf(snapshot) };
    return view.view;
  };

  const capabilities = watchCapabilities(actor);
  // `target` comes from the prototype (internal.ts says why); the literal holds the rest.
  const own: Omit<ConversationDestination, 'target'> & { __proto__: typeof DESTINATION_PROTOTYPE } = {
    __proto__: DESTINATION_PROTOTYPE,
    receive(message: unknown): void {
      try {
        if (tap?.inbound !== undefined) tapped('inbound', () => tap.inbound?.(message));
        if (stopped) return diagnose('stopped', 'a frame reached a stopped destination and was dropped');
        const frame = readFrame(message);
        if (!frame.ok) return diagnose(frame.code, frame.message);
        for (const warning of frame.warnings) diagnose('extra-key', `${shortName(frame.header.name)}: ${warning}; ignored`);
        actor.send(requestEvent(frame.header, frame.body, frame.bodyError, frame.headerError));
      } catch (error) {
        diagnose('internal-error', `a frame could not be handled: ${describeError(error)}`);
      }
    },
    connectionLost(): void {
      if (!stopped) actor.send({ type: 'connection.lost' });
    },
    getSnapshot: currentView,
    subscribe(listener: (view: DestinationView) => void): () => void {
      let last: DestinationView | undefined;
      const subscription = actor.subscribe(() => {
        const next = currentView();
        if (next === last) return;
        last = next;
        try {
          listener(next);
        } catch (error) {
          diagnose('subscriber-failed', `a subscriber threw: ${describeError(error)}`);
        }
      });
      return () => subscription.unsubscribe();
    },
    stop(): void {
      if (stopped) return;
      for (const opId of [...(running?.keys() ?? [])]) finish(opId)?.abort();
      unsubscribe?.();
      unsubscribe = undefined;
      stopped = true;
      spare = undefined;
      actor.stop();
    },
    legId,
    // Listed one by one: a spread here gave every destination a hidden class of its own.
    can: capabilities.can,
    capabilities: capabilities.capabilities,
    onCapabilitiesChange: capabilities.onCapabilitiesChange,
  };
  const destination = own as unknown as ConversationDestination;
  registerActor(destination, actor);
  return destination;
}
