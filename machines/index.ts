export { conversationMachine, type ConversationMachine } from './conversation.machine.js';
export {
  step,
  initialContext,
  operationDeadlineMs,
  DEFAULTS as CONVERSATION_DEFAULTS,
  type ConversationContext,
  type ConversationEvent,
  type ConversationInput,
  type Effect as ConversationEffect,
} from './step.js';
export {
  REQUEST_TABLE,
  PHONE_EVENT_TABLE,
  REQUEST_CELL_WORDS,
  PHONE_EVENT_CELL_WORDS,
  requestTableMarkdown,
  phoneEventTableMarkdown,
  type RequestName,
  type RequestCell,
  type PhoneEventCell,
} from './tables.js';
export { serializeConversationState } from './serialize.js';
