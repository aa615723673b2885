export { conversationMachine, type ConversationMachine } from './conversation.machine.js';
export {
  initialContext,
  operationDeadlineMs,
  branchContext,
  DEFAULTS as CONVERSATION_DEFAULTS,
  type ConversationContext,
  type ConversationInput,
  type ConversationLimits,
} from './context.js';
export { requestEvent, phoneEventOf, type ConversationEvent } from './events.js';
export { takeEffects, type Effect as ConversationEffect } from './effects.js';
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
export { shortName } from './requests.js';
export { serializeConversationState } from './serialize.js';
