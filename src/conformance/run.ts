/**
 * Runs conformance checks without any test runner: pick the checks that apply to a phone and run
 * one on a fresh phone. describePhoneConformance wraps these for vitest; another runner can too.
 */
import type { Phone } from '../phone/types.js';
import { check } from './assert.js';
import { ALL_CHECKS, type ConformanceCheck } from './checks/index.js';
import { ConformanceContext } from './context.js';
import { ALL_OPTIONAL_OPERATIONS, type PhoneConformanceOptions } from './options.js';

/** The checks that apply to a phone with these options (those whose optional operations it has). */
export function phoneConformanceChecks<P extends Phone>(options: PhoneConformanceOptions<P>): readonly ConformanceCheck[] {
  const operations = options.capabilities?.operations ?? ALL_OPTIONAL_OPERATIONS;
  return ALL_CHECKS.filter(
    (candidate) =>
      (candidate.needs ?? []).every((operation) => operations.includes(operation)) &&
      !(candidate.throughDestination && options.skipDestinationChecks),
  );
}

/**
 * Runs one check on a fresh phone and closes it afterwards. Throws a ConformanceError naming the
 * first broken rule, including any snapshot that lagged an event it had delivered.
 */
export async function runConformanceCheck<P extends Phone>(
  conformanceCheck: ConformanceCheck,
  options: PhoneConformanceOptions<P>,
): Promise<void> {
  const context = new ConformanceContext<P>(options);
  try {
    await context.start();
    await conformanceCheck.run(context as unknown as ConformanceContext<Phone>);
    const problems = context.problems();
    check(problems.length === 0, problems.join('; '));
  } finally {
    await context.cleanUp();
  }
}
