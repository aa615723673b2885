/**
 * cti-conversation/conformance: the adapter contract's checks for phone adapter authors, for any
 * test runner; it never loads vitest. `describePhoneConformance`, which registers them as vitest
 * tests, is in `cti-conversation/conformance/vitest`. See docs/conformance.md.
 */
export { CLEAN_UP_ALLOWANCE_MS, DEFAULT_CHECK_TIMEOUT_MS, phoneConformanceChecks, runConformanceCheck } from './run.js';
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
