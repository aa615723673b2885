export {
  createConversationDestination,
  type ConversationDestination,
  type ConversationDestinationOptions,
  type DestinationDiagnostic,
  type Clock,
  type InspectionObserver,
} from './create-conversation-destination.js';
export type { DestinationTap } from './tap.js';
export type { DestinationView, DestinationLifecycle } from './view.js';
export { SignalPool } from './signal-pool.js';
