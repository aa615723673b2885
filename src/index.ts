/**
 * cti-conversation: the public API. Each section re-exports one part of the package; keep one
 * `export … from` block per part so parts can be added without touching each other.
 */

// The adapter contract (src/phone/types.ts).
export * from './phone/types.js';

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
