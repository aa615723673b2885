/**
 * The destination itself: one conversation machine bound to one phone leg, a target and an
 * outbound `send`. The chart decides; this class turns frames and phone events into the chart's
 * events, performs its effects (send a message, call or abort a leg operation, detach, let go) and
 * feeds operation outcomes back. Nothing throws out of here: a phone that throws, rejects or hangs
 * becomes an answer.
 *
 * A class, not a closure per step: a leg is mostly idle, and twenty closures with their scopes cost
 * every leg about 1.5 KiB; methods on one prototype cost it nothing (BENCHMARKS.md, "Memory").
 * Its methods must be called on the destination (`destination.receive(frame)`).
 */
import { createActor, type Actor } from 'xstate';
import { validateOutbound } from '../../generated/validators.js';
import type { OutboundMessage } from '../../generated/types.js';
import type { ConversationInput } from '../../machines/context.js';
import { conversationMachine, takeEffects, type ConversationMachine, type Effect } from '../../machines/conversation.machine.js';
import { phoneEventOf, requestEvent } from '../../machines/events.js';
import { respond, type Outgoing } from '../../machines/messages.js';
import { isPhoneEvent } from '../../machines/phone-events.js';
import { shortName } from '../../machines/requests.js';
import type { RequestName } from '../../machines/tables.js';
import { OPTIONAL_LEG_OPERATIONS, type LegOperationName, type LegSnapshot, type PhoneEvent } from '../../machines/types.js';
import type { TelephonyLeg } from '../phone/types.js';
import { watchCapabilities, type DestinationCapabilities } from './capabilities.js';
import type { Clock, ConversationDestination, ConversationDestinationOptions, DestinationDiagnostic } from './create-conversation-destination.js';
import { registerActor } from './internal.js';
import { readFrame } from './read-frame.js';
import { SignalPool } from './signal-pool.js';
import type { DestinationTap } from './tap.js';
import { viewOf, type DestinationView } from './view.js';

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

export class Destination implements ConversationDestination {
  readonly legId: string;
  readonly #leg: TelephonyLeg;
  // What later calls need is read out of the options: the destination does not keep `options`
  // (often built per leg with spreads, so with a hidden class of its own).
  readonly #tap: DestinationTap | undefined;
  readonly #onDiagnostic: ((diagnostic: DestinationDiagnostic) => void) | undefined;
  readonly #onDisposed: (() => void) | undefined;
  readonly #onLetGo: (() => void) | undefined;
  readonly #sendOut: (message: OutboundMessage) => void;
  readonly #givenTarget: string | undefined;
  readonly #clock: Clock;
  readonly #actor: Actor<ConversationMachine>;
  /**
   * The operation the leg is performing, if any: the one the chart started and has not yet seen
   * end. The chart runs one at a time (its `operation` region is idle or running; an edge that
   * starts one while another runs aborts that one first, and the abort effect comes first), so
   * three fields, not a map: the controller of the signal it was given and its deadline's timer.
   */
  #opId = 0;
  #controller: AbortController | undefined;
  #deadline: unknown;
  /** Where an operation's controller comes from and goes back to: the client's pool, or its own of one. */
  #signals: SignalPool | undefined;
  #started = false;
  #stopped = false;
  #unsubscribe: (() => void) | undefined;
  #view: { snapshot: unknown; view: DestinationView } | undefined;
  // Made on first use: most legs are never asked (BENCHMARKS.md, "Memory").
  #capabilities: DestinationCapabilities | undefined;

  constructor(options: ConversationDestinationOptions) {
    const { leg } = options;
    this.#leg = leg;
    this.legId = String(leg.id);
    this.#tap = options.tap;
    this.#onDiagnostic = options.onDiagnostic;
    this.#onDisposed = options.onDisposed;
    this.#onLetGo = options.onLetGo;
    this.#sendOut = options.send;
    this.#givenTarget = options.target;
    this.#clock = options.clock ?? UNREF_CLOCK;
    this.#signals = options.signalPool;
    const input: ConversationInput = {
      snapshot: this.#readSnapshot() ?? BROKEN_LEG_SNAPSHOT,
      target: options.target,
      operationTimeoutMs: options.operationTimeoutMs,
      dtmfMsPerDigit: options.dtmfMsPerDigit,
      limits: options.limits,
      letGoAfterMs: options.letGoAfterMs,
      supported: supportedBy(leg),
    };
    const clock = this.#clock;
    this.#actor = createActor(conversationMachine, options.inspect === undefined ? { input, clock } : { input, clock, inspect: options.inspect });
    // Once per event the chart processes, after its last microstep: that step's effects, in order.
    const perform = this.#onEffect.bind(this);
    this.#actor.subscribe((snapshot) => takeEffects(snapshot.context, perform));
    this.#actor.start();
    this.#started = true;
    try {
      this.#unsubscribe = leg.subscribe(this.#onPhoneEvent.bind(this));
    } catch (error) {
      this.#diagnose('subscribe-failed', `leg ${this.legId}: subscribe() threw: ${describeError(error)}`);
    }
    registerActor(this, this.#actor);
  }

  get target(): string | undefined {
    return this.#actor.getSnapshot().context.target;
  }

  // ---- the public surface (ConversationDestination) ----------------------------------------------

  receive(message: unknown): void {
    try {
      const tap = this.#tap;
      if (tap?.inbound !== undefined) this.#tapped('inbound', () => tap.inbound?.(message));
      if (this.#stopped) return this.#diagnose('stopped', 'a frame reached a stopped destination and was dropped');
      const frame = readFrame(message);
      if (!frame.ok) return this.#diagnose(frame.code, frame.message);
      for (const warning of frame.warnings) this.#diagnose('extra-key', `${shortName(frame.header.name)}: ${warning}; ignored`);
      this.#actor.send(requestEvent(frame.header, frame.body, frame.bodyError, frame.headerError));
    } catch (error) {
      this.#diagnose('internal-error', `a frame could not be handled: ${describeError(error)}`);
    }
  }

  connectionLost(): void {
    if (!this.#stopped) this.#actor.send({ type: 'connection.lost' });
  }

  getSnapshot(): DestinationView {
    const snapshot = this.#actor.getSnapshot();
    if (this.#view?.snapshot !== snapshot) this.#view = { snapshot, view: viewOf(snapshot) };
    return this.#view.view;
  }

  subscribe(listener: (view: DestinationView) => void): () => void {
    let last: DestinationView | undefined;
    const subscription = this.#actor.subscribe(() => {
      const next = this.getSnapshot();
      if (next === last) return;
      last = next;
      try {
        listener(next);
      } catch (error) {
        this.#diagnose('subscriber-failed', `a subscriber threw: ${describeError(error)}`);
      }
    });
    return () => subscription.unsubscribe();
  }

  stop(): void {
    if (this.#stopped) return;
    this.#finish(this.#opId)?.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#stopped = true;
    this.#actor.stop();
  }

  can(request: string): boolean {
    return this.#watch().can(request);
  }

  capabilities(): readonly RequestName[] {
    return this.#watch().capabilities();
  }

  onCapabilitiesChange(listener: (capabilities: readonly RequestName[]) => void): () => void {
    return this.#watch().onCapabilitiesChange(listener);
  }

  #watch(): DestinationCapabilities {
    return (this.#capabilities ??= watchCapabilities(this.#actor));
  }

  // ---- reports that never throw ------------------------------------------------------------------

  /** A tap hook that throws loses its own report, nothing else. */
  #tapped(hook: string, call: () => void): void {
    try {
      call();
    } catch (error) {
      this.#diagnose('tap-failed', `the tap's ${hook} threw: ${describeError(error)}`);
    }
  }

  #diagnose(code: string, message: string): void {
    try {
      const target = this.#started ? this.#actor.getSnapshot().context.target : this.#givenTarget;
      this.#onDiagnostic?.({ code, ...(target !== undefined && { target }), message });
    } catch {
      // A diagnostics hook that throws loses its own report, nothing else.
    }
  }

  #readSnapshot(): LegSnapshot | undefined {
    try {
      return this.#leg.snapshot();
    } catch (error) {
      this.#diagnose('snapshot-failed', `leg ${this.legId}: snapshot() threw: ${describeError(error)}`);
      return undefined;
    }
  }

  // ---- the chart's effects -----------------------------------------------------------------------

  #onEffect(effect: Effect): void {
    try {
      this.#perform(effect);
      /* v8 ignore next 3 -- every effect guards itself; this only keeps a future slip from escaping into XState */
    } catch (error) {
      this.#diagnose('internal-error', `an effect failed: ${describeError(error)}`);
    }
  }

  #perform(effect: Effect): void {
    switch (effect.type) {
      case 'send':
        return this.#send(effect.message);
      case 'start':
        return this.#start(effect.opId, effect.operation, effect.args, effect.deadlineMs);
      case 'abort':
        return this.#finish(effect.opId)?.abort();
      case 'detach':
        return this.#detach();
      case 'letGo':
        return this.#letGo();
      case 'diagnostic':
        return this.#diagnose(effect.code, effect.message);
    }
  }

  /** Invariant 8: nothing leaves unless the generated outbound validator passes it. */
  #send(message: Outgoing): void {
    let checked = validateOutbound(message);
    if (!checked.ok && message.header.type === 'cti.response') {
      // A response is still owed: a plain FAILURE always fits the catalogue.
      const problem = checked.errors[0];
      this.#diagnose('invalid-outbound', `a ${message.header.name.slice(0, 64)} response failed the catalogue (${problem?.path} ${problem?.message}); sent as FAILURE`);
      const header = message.header;
      checked = validateOutbound(respond(header, { ok: false, errorMessage: `${shortName(header.name)}: the answer did not fit the message catalogue` }));
    }
    if (!checked.ok) {
      this.#diagnose('invalid-outbound', `a ${message.header.name.slice(0, 64)} message failed the catalogue and was not sent`);
      return;
    }
    const tap = this.#tap;
    const valid = checked.message;
    if (tap?.outbound !== undefined) this.#tapped('outbound', () => tap.outbound?.(valid));
    try {
      this.#sendOut(valid);
    } catch (error) {
      this.#diagnose('send-failed', `send threw: ${describeError(error)}`);
    }
  }

  /**
   * Calls the leg, and arms the operation's deadline: when it passes first, the chart is told
   * `operation.deadline` and answers the request (its `abort` effect then cancels the call).
   */
  #start(opId: number, operation: LegOperationName, args: readonly string[], deadlineMs: number): void {
    const tap = this.#tap;
    if (tap?.operationStarted !== undefined) this.#tapped('operationStarted', () => tap.operationStarted?.(opId, operation, args));
    const controller = (this.#signals ??= new SignalPool(1)).take();
    // Settling and stopping disarm it (finish); a late one would still be harmless: the chart
    // ignores a deadline for an operation that is not in flight.
    const actor = this.#actor;
    const deadline: unknown = this.#clock.setTimeout(() => actor.send({ type: 'operation.deadline', opId }), deadlineMs);
    this.#opId = opId;
    this.#controller = controller;
    this.#deadline = deadline;
    const leg = this.#leg;
    const call = leg[operation] as ((...params: unknown[]) => Promise<void>) | undefined;
    try {
      if (typeof call !== 'function') throw new Error('the leg has no such operation');
      Promise.resolve(call.call(leg, ...args, controller.signal)).then(
        () => this.#settle(opId, true),
        (error: unknown) => this.#settle(opId, false, describeError(error)),
      );
    } catch (error) {
      // Thrown synchronously: answered like a rejection, after this step has finished.
      queueMicrotask(() => this.#settle(opId, false, describeError(error)));
    }
  }

  /** The operation ends here if it is the one running: its deadline disarmed, its controller returned. */
  #finish(opId: number): AbortController | undefined {
    const controller = this.#controller;
    if (controller === undefined || opId !== this.#opId) return undefined;
    this.#controller = undefined;
    this.#clock.clearTimeout(this.#deadline);
    this.#deadline = undefined;
    return controller;
  }

  #settle(opId: number, ok: boolean, reason = ''): void {
    const controller = this.#stopped ? undefined : this.#finish(opId);
    if (controller === undefined) return;
    this.#signals?.giveBack(controller);
    const tap = this.#tap;
    if (tap?.operationSettled !== undefined) this.#tapped('operationSettled', () => tap.operationSettled?.(opId, ok ? { ok: true } : { ok: false, error: reason }));
    this.#actor.send({ type: 'operation.settled', opId, ok, reason });
  }

  #detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    const leg = this.#leg;
    try {
      Promise.resolve(leg.dispose()).catch((error: unknown) => this.#diagnose('dispose-failed', `leg ${this.legId}: dispose() failed: ${describeError(error)}`));
    } catch (error) {
      this.#diagnose('dispose-failed', `leg ${this.legId}: dispose() threw: ${describeError(error)}`);
    }
    try {
      this.#onDisposed?.();
    } catch (error) {
      this.#diagnose('on-disposed-failed', `onDisposed threw: ${describeError(error)}`);
    }
  }

  #letGo(): void {
    try {
      this.#onLetGo?.();
    } catch (error) {
      this.#diagnose('on-let-go-failed', `onLetGo threw: ${describeError(error)}`);
    }
  }

  // ---- phone events ------------------------------------------------------------------------------

  /** A phone event meets a full pre-init queue: the leg is re-read and the chart told `resync`. */
  #needsResync(): boolean {
    const snapshot = this.#actor.getSnapshot();
    const { preInit, settings } = snapshot.context;
    if (preInit.length < settings.preInitEvents) return false;
    return snapshot.matches({ lifecycle: 'awaitingInit' }) || snapshot.matches({ lifecycle: { disposing: 'awaitingInit' } });
  }

  #onPhoneEvent(event: PhoneEvent): void {
    try {
      const tap = this.#tap;
      if (tap?.phoneEvent !== undefined) this.#tapped('phoneEvent', () => tap.phoneEvent?.(event));
      if (this.#stopped) return;
      if (!isPhoneEvent(event)) return this.#diagnose('bad-phone-event', `leg ${this.legId} reported an event of no known type; ignored`);
      const copy = { ...event };
      const snapshot = this.#needsResync() ? this.#readSnapshot() : undefined;
      this.#actor.send(snapshot !== undefined ? { type: 'resync', event: copy, snapshot } : phoneEventOf(copy));
    } catch (error) {
      this.#diagnose('internal-error', `a phone event could not be handled: ${describeError(error)}`);
    }
  }
}
