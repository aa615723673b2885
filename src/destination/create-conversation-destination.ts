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
import type { DestinationTap } from './tap.js';
import type { DestinationView } from './view.js';

/** XState's clock interface (setTimeout/clearTimeout), as `createActor` takes it. */
export type Clock = NonNullable<ActorOptions<typeof conversationMachine>['clock']>;

export type InspectionObserver = Observer<InspectionEvent> | ((event: InspectionEvent) => void);

export interface DestinationDiagnostic {
  readonly code: string;
  readonly target?: string;
  readonly message: string;
}

export interface ConversationDestinationOptions {
  readonly leg: TelephonyLeg;
  readonly send: (message: OutboundMessage) => void;
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
  readonly inspect?: InspectionObserver;
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
  readonly target: string | undefined;
  readonly legId: string;
}

/**
 * Makes a destination for one leg. Never throws for what a leg or a bridge does: a leg whose
 * snapshot() or subscribe() throws is reported through `onDiagnostic` and treated as gone.
 */
export function createConversationDestination(options: ConversationDestinationOptions): ConversationDestination {
  return new Destination(options);
}
