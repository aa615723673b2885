/** Field traces: record a client's day, replay it on a simulated clock, pin it as a test. */
export { TRACE_FORMAT, TRACE_VERSION, type TraceDestinationSettings, type TraceEntry, type TraceHeader, type TraceKind, type TraceLine } from './format.js';
export { createTraceRecorder, type TraceRecorder, type TraceRecordOptions } from './recorder.js';
export { Masker } from './mask.js';
export { parseTrace, readTraceFile, readTraceParts, TraceError, type ParsedTrace, type TracedEntry } from './read.js';
export { replayTrace, type Divergence, type ReplayOptions, type ReplayOutput, type ReplayResult } from './replay.js';
export { describeEntry, formatReplay } from './describe.js';
export { emitTestSource, type EmitTestOptions } from './emit-test.js';
