/**
 * cti-conversation: the core. The conversation destination (one statechart per call leg), the
 * phone adapter contract, SimulatedPhone, the message catalogue and the driver. It loads XState
 * and this package's own code, nothing else.
 *
 * The other parts have their own entry points, so that importing the core never loads them:
 * `cti-conversation/client` (the bridge client), `/wire` (framing), `/simulator` (the bridge
 * simulator), `/baresip` (BaresipPhone), `/inspector` (inspection and diagrams),
 * `/conformance` (the adapter conformance kit) and `/catalogue` (the catalogue alone).
 * Keep one `export … from` block per part so parts can be added without touching each other.
 */

// The adapter contract (src/phone/types.ts).
export * from './phone/types.js';

// The conversation statechart and its destination (machines/, src/destination/).
export {
  createConversationDestination,
  conversationMachine,
  serializeConversationState,
  REQUEST_TABLE,
  PHONE_EVENT_TABLE,
  requestTableMarkdown,
  phoneEventTableMarkdown,
  CONVERSATION_DEFAULTS,
} from './destination/public.js';
export type {
  ConversationDestination,
  ConversationDestinationOptions,
  DestinationDiagnostic,
  InspectionObserver,
  ConversationMachine,
  ConversationContext,
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
