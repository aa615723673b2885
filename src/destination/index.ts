export {
  createConversationDestination,
  type ConversationDestination,
  type ConversationDestinationOptions,
  type DestinationDiagnostic,
  type Clock,
  type InspectionObserver,
} from './create-conversation-destination.js';
