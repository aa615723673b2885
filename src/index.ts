/**
 * cti-conversation: the public API. Each section re-exports one part of the package; keep one
 * `export … from` block per part so parts can be added without touching each other.
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
  RequestName,
  RequestCell,
  PhoneEventCell,
} from './destination/public.js';

// SimulatedPhone, the in-memory phone (src/phone/simulated/).
export * from './phone/simulated/index.js';

// The baresip adapter (src/adapters/baresip/): a real SIP phone through baresip's ctrl_tcp.
export { BaresipPhone, legIdForCallId } from './adapters/baresip/index.js';
export type { BaresipPhoneOptions, BaresipDiagnostic } from './adapters/baresip/index.js';

// The message catalogue: generated types, validators, catalogue tables and dispatch (generated/).
export * from '../generated/index.js';

// Inspection: the Stately transport, the local inspector page, diagrams from the machine (src/inspector/).
export {
  createStatelyInspection,
  DEFAULT_STATELY_URL,
  startLocalInspector,
  machineGraph,
  toMermaid,
  toDot,
  renderSvg,
} from './inspector/index.js';
export type {
  StatelyInspection,
  LocalInspector,
  LocalInspectorOptions,
  ConversationInspection,
  TrafficDirection,
  TrafficRecord,
  LegDetail,
  LegSummary,
  LocalInspectionEvent,
  TimelineEntry,
  MachineGraph,
} from './inspector/index.js';

// The wire, the bridge client and the bridge simulator (src/wire/, src/client/, src/simulator/).
export { encodeFrame, FrameDecoder, FrameTooLargeError, DEFAULT_MAX_FRAME_BYTES } from './wire/index.js';
export type { ByteOrder, FrameOptions, BadFrame, FatalFrameError } from './wire/index.js';
export { createBridgeClient, reconnectDelay } from './client/index.js';
export type {
  BridgeClient,
  BridgeClientState,
  BridgeClientOptions,
  BridgeClientTlsOptions,
  BridgeClientDiagnostic,
  BridgeClientLogger,
  ClientTrafficEntry,
  ReconnectOptions,
} from './client/index.js';
export {
  createBridgeSimulator,
  BridgeConnectionClosedError,
  BridgeResponseTimeoutError,
  ConformanceChecker,
  formatReport,
  INVARIANT_IDS,
  INVARIANT_TITLES,
  loadScenario,
  parseScenario,
  runScenario,
  ScenarioError,
} from './simulator/index.js';
export type {
  BridgeSimulator,
  BridgeSimulatorOptions,
  RequestOptions,
  TrafficEntry,
  WireMessage,
  ConformanceReport,
  InvariantId,
  InvariantResult,
  Violation,
  ExpectedModel,
  FoldedModel,
  Scenario,
  ScenarioStep,
  ResponseExpectation,
  ScenarioResult,
  ScenarioStepResult,
} from './simulator/index.js';
