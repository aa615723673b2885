/**
 * cti-conversation/conformance: the adapter contract's checks for phone adapter authors.
 * See docs/conformance.md.
 */
export { describePhoneConformance } from './describe.js';
export { phoneConformanceChecks, runConformanceCheck } from './run.js';
export { ConformanceError } from './assert.js';
export { EventLog } from './event-log.js';
export { ConformanceContext, type LegUnderTest } from './context.js';
export type { ConformanceCheck } from './checks/index.js';
export type {
  ConformanceCapabilities,
  FarEndDriver,
  OptionalOperation,
  PhoneConformanceOptions,
} from './options.js';
