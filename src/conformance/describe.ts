/** Registers the conformance checks as vitest tests: the `cti-conversation/conformance/vitest` entry (vitest is an optional peer dependency). */
import { describe, it } from 'vitest';
import type { Phone } from '../phone/types.js';
import type { PhoneConformanceOptions } from './options.js';
import { CLEAN_UP_ALLOWANCE_MS, DEFAULT_CHECK_TIMEOUT_MS, phoneConformanceChecks, runConformanceCheck } from './run.js';

/**
 * `describePhoneConformance('MyPhone', { createPhone, farEnd, capabilities })` registers one
 * vitest test per rule of the adapter contract that applies to the phone.
 */
export function describePhoneConformance<P extends Phone>(name: string, options: PhoneConformanceOptions<P>): void {
  // vitest's own timeout comes after the kit's, so a late check is reported by the kit and cleaned up.
  const timeout = (options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) + CLEAN_UP_ALLOWANCE_MS;
  describe(`${name}: adapter contract`, () => {
    for (const conformanceCheck of phoneConformanceChecks(options)) {
      it(conformanceCheck.name, () => runConformanceCheck(conformanceCheck, options), timeout);
    }
  });
}
