/** The bridge simulator: the bridge's side of the wire, with a conformance report. */
export {
  createBridgeSimulator,
  BridgeConnectionClosedError,
  BridgeResponseTimeoutError,
  type BridgeSimulator,
  type BridgeSimulatorOptions,
  type RequestOptions,
  type TrafficEntry,
  type WireMessage,
} from './create-bridge-simulator.js';
export { ConformanceChecker, legIdOf, type OutboundValidator } from './conformance-checker.js';
export { foldEvent, foldInit, compareModel, type ExpectedModel, type FoldedModel } from './fold-events.js';
export {
  formatReport,
  INVARIANT_IDS,
  INVARIANT_TITLES,
  type ConformanceReport,
  type InvariantId,
  type InvariantResult,
  type Violation,
} from './report.js';
export {
  DEFAULT_TARGET_PREFIX,
  loadScenario,
  parseScenario,
  resolveTarget,
  ScenarioError,
  toScenario,
  type ResponseExpectation,
  type Scenario,
  type ScenarioStep,
} from './scenario.js';
export { checkResponse, runScenario, type RunScenarioOptions, type ScenarioResult, type ScenarioStepResult } from './run-scenario.js';
