/** Inspection: the Stately transport, the local inspector page, and diagrams from the machine. */
export { createStatelyInspection, DEFAULT_STATELY_URL, type StatelyInspection } from './stately.js';
export { startLocalInspector, type LocalInspector, type LocalInspectorOptions } from './local-inspector.js';
export type { LegDetail, LegSummary, LocalInspectionEvent, PageUpdate, TimelineEntry } from './local-events.js';
export type { ConversationInspection, TrafficDirection, TrafficRecord } from './types.js';
export { machineGraph, activePaths, type MachineGraph, type GraphState, type GraphEdge } from './machine-graph.js';
export { toMermaid } from './mermaid.js';
export { toDot } from './dot.js';
export { renderSvg } from './render-svg.js';
export { MissingOptionalDependencyError } from './optional-dependency.js';
