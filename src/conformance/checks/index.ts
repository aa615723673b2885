/** Every conformance check, in the order they are registered. */
import { callChecks } from './calls.js';
import { destinationChecks } from './destination.js';
import type { ConformanceCheck } from './check.js';
import { lifecycleChecks } from './lifecycle.js';
import { optionalChecks } from './optional.js';
import { outboundChecks } from './outbound.js';
import { signalChecks } from './signals.js';

export type { ConformanceCheck } from './check.js';

export const ALL_CHECKS: readonly ConformanceCheck[] = [
  ...callChecks,
  ...signalChecks,
  ...optionalChecks,
  ...lifecycleChecks,
  ...outboundChecks,
  ...destinationChecks,
];
