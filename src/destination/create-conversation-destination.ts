/**
 * createConversationDestination: binds one conversation machine to one phone leg, a target and an
 * outbound `send` (the work is done by the Destination class in destination.ts). The chart decides;
 * the destination turns frames and phone events into the chart's events, performs its effects and
 * feeds operation outcomes back. Nothing throws out of it: a phone that throws, rejects or hangs
 * becomes an answer.
 */
import type { ConversationLimits } from '../../machines/context.js';
import type { ActorOptions, InspectionEvent, Observer } from 'xstate';
import type { OutboundMessage } from '../../generated/types.js';
import type { conversationMachine } from '../../machines/conversation.machine.js';
import type { TelephonyLeg } from '../phone/types.js';
import type { DestinationCapabilities } from './capabilities.js';
import { Destination } from './destination.js';
import type { SignalPool } from './signal-pool.js';
import type { DestinationTap } from './tap.js';
import type { DestinationView } from './view.js';

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
  /**
   * Where operations' abort controllers come from and go back to once nobody hears them: give
   * the destinations of many legs one SignalPool (the bridge client does) and a few signals serve
   * them all. Default: the destination's own, keeping one.
   */
  readonly signalPool?: SignalPool;
}

/**
 * The conversation destination of one call leg, as createConversationDestination returns it:
 * hand it every frame the bridge sends for the leg (receive), tell it when the connection drops
 * (connectionLost), stop it at shutdown (stop). It answers through the `send` it was given and
 * drives the leg; read its state with getSnapshot/subscribe, and what it would take now with
 * can/capabilities/onCapabilitiesChange. None of its methods throws. Call them on the destination
 * (they are methods of one class, shared by every leg): for React's useSyncExternalStore pass
 * `(listener) => destination.subscribe(listener)` and `() => destination.getSnapshot()`.
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
  return new Destination(options);
}
