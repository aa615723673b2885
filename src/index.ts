/**
 * cti-conversation: the core. The conversation destination (one statechart per call leg), the
 * phone adapter contract, SimulatedPhone, the message catalogue and the driver. It loads XState
 * and this package's own code, nothing else.
 *
 * The other parts have their own entry points (package.json "exports"), so that importing the
 * core never loads them: `cti-conversation/client` (the bridge client), `/wire` (framing),
 * `/simulator` (the bridge simulator), `/baresip` (BaresipPhone), `/linphone` (LinphonePhone),
 * `/trace` (recording and replaying traces), `/log` (the logger), `/inspector` (inspection and
 * diagrams), `/conformance` (the adapter conformance kit), `/conformance/vitest` (the kit as
 * vitest tests) and `/catalogue` (the catalogue alone).
 * Keep one `export … from` block per part so parts can be added without touching each other.
 */

// The adapter contract (src/phone/types.ts).
export * from './phone/types.js';

// The conversation statechart and its destination (machines/, src/destination/).
// Names declared in machines/ get their doc comments here, where the package offers them.
export {
  createConversationDestination,
  /**
   * The conversation statechart (XState v5, `setup(…).createMachine(…)`): the lifecycle, call and
   * operation regions of one leg, drawn in docs/conversation.md. createConversationDestination
   * runs it for you; use it directly with XState's tools (`createActor`, `xstate/graph`, the
   * inspector's diagrams). Its input is the leg's first snapshot and the destination's settings;
   * its effects (messages to send, operations to call) are performed by the destination, so an
   * actor of it alone talks to no phone and no bridge.
   *
   * @example
   * import { toDirectedGraph } from 'xstate/graph';
   * import { conversationMachine } from 'cti-conversation';
   * const graph = toDirectedGraph(conversationMachine);
   */
  conversationMachine,
  /**
   * Takes the effects of the step an actor of conversationMachine just took: hands each to
   * `perform` in order (messages to send, operations to start or abort, detach, let go,
   * diagnostics) and empties the snapshot's outbox. Call it from the actor's observer; XState
   * calls that once per event processed, after the step's last microstep. An event `perform` sends
   * the actor waits until the observer returns. Throws only what `perform` throws (the outbox is
   * emptied either way).
   *
   * @example
   * const actor = createActor(conversationMachine, { input: { snapshot: leg.snapshot() } });
   * actor.subscribe((snapshot) => takeEffects(snapshot.context, (effect) => console.log(effect.type)));
   * actor.start();
   */
  takeEffects,
  /**
   * A short text that identifies a state of the conversation machine for `xstate/graph`
   * traversals: the state value and every part of the context that decides behaviour, without the
   * counters that only grow (operation ids, the requestId memory, the connection epoch), so the
   * explored state space stays finite. Pass it as `serializeState`. Pure; never throws for a
   * snapshot of conversationMachine.
   *
   * @example
   * getShortestPaths(conversationMachine, {
   *   input,
   *   events,
   *   serializeState: (snapshot) => serializeConversationState(snapshot as SnapshotFrom<ConversationMachine>),
   * });
   */
  serializeConversationState,
  REQUEST_TABLE,
  PHONE_EVENT_TABLE,
  /**
   * The request table (REQUEST_TABLE: what each request does in each call state) as Markdown, one
   * row per request, one column per call state. README.md and docs/contract.md hold it between
   * `request-table` markers, and a test keeps them equal to this. Pure; never throws.
   */
  requestTableMarkdown,
  /**
   * The phone-event table (PHONE_EVENT_TABLE: what each phone event does in each live call state)
   * as Markdown, as README.md and docs/contract.md hold it between `phone-event-table` markers.
   * Pure; never throws.
   */
  phoneEventTableMarkdown,
  /**
   * The defaults of a conversation destination: operation deadline 10,000 ms plus 500 ms per DTMF
   * digit; 256 phone events kept before the first init and 16 one-shot events through an
   * overflow; requestId memory of 1,024 answers and 256 KiB; 256 queued requests and 256 KiB;
   * an ended leg the bridge never disposes let go after 5 minutes; the flags of 8 earlier targets
   * kept. ConversationDestinationOptions and its `limits` override each; a negative or non-finite
   * value falls back to its default.
   */
  CONVERSATION_DEFAULTS,
} from './destination/public.js';
export type {
  ConversationDestination,
  ConversationDestinationOptions,
  DestinationDiagnostic,
  InspectionObserver,
  /** The type of conversationMachine, for XState's generic helpers (`SnapshotFrom<ConversationMachine>`, `ActorRefFrom<…>`). */
  ConversationMachine,
  /**
   * The conversation machine's context: the call as the destination models it (state, parties,
   * mute), the target and what was sent on it, the pre-init and request queues, the operation in
   * flight, the requestId memory and the settings. Read it from an inspection snapshot; the
   * machine's rules alone change it, and some parts (the queues, the memory) are the actor's own
   * mutable objects: do not write to them.
   */
  ConversationContext,
  /**
   * Every event the conversation machine takes: the bridge's queries and requests as the
   * destination read them (`query.init`, `request.<name>`, `request.unknown`,
   * `request.malformed`), the leg's events (`phone.<type>`, `phone.unknown`, `resync`), the
   * outcome of an operation (`operation.settled`, `operation.deadline`, `operation.cancelled`) and
   * `connection.lost`. The destination builds them; an inspector or a test reads them.
   */
  ConversationEvent,
  ConversationEffect,
  RequestCell,
  PhoneEventCell,
} from './destination/public.js';
export type {
  /**
   * A request's short name as the statechart and the request table use it (`'hold'`, `'senddtmf'`):
   * the last segment of its catalogue name. The full name is `CatalogueRequestName`.
   */
  RequestName as ShortRequestName,
} from './destination/public.js';

// SimulatedPhone, the in-memory phone (src/phone/simulated/).
export * from './phone/simulated/index.js';

// The message catalogue: generated types, validators, catalogue tables and dispatch (generated/).
export * from './catalogue/index.js';

// The driver: a destination in process, driven with promises and timeouts (src/driver/).
export * from './driver/index.js';
