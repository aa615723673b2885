/**
 * Runs conformance checks without any test runner: pick the checks that apply to a phone and run
 * one on a fresh phone. describePhoneConformance wraps these for vitest; another runner can too.
 */
import type { Phone } from '../phone/types.js';
import { check, ConformanceError, within } from './assert.js';
import { ALL_CHECKS, type ConformanceCheck } from './checks/index.js';
import { ConformanceContext } from './context.js';
import { ALL_OPTIONAL_OPERATIONS, type PhoneConformanceOptions } from './options.js';

/** A check's time when the options name none. */
export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;
/**
 * The most the clean-up after a check may take (ending its calls gets two thirds, closing the phone
 * the rest). A runner that enforces its own timeout gives each
 * check `timeoutMs` plus this, so the kit's deadline fires first and the phone is closed: a phone
 * left open would keep its far end (a daemon that serves one client, say) from the next check.
 */
export const CLEAN_UP_ALLOWANCE_MS = 15_000;

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
 * first broken rule, including any snapshot that lagged an event it had delivered. A check that
 * runs past `timeoutMs` fails with the step it was waiting on, and is cleaned up all the same.
 */
export async function runConformanceCheck<P extends Phone>(
  conformanceCheck: ConformanceCheck,
  options: PhoneConformanceOptions<P>,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const context = new ConformanceContext<P>(options);
  const run = async (): Promise<void> => {
    await context.start();
    await conformanceCheck.run(context as unknown as ConformanceContext<Phone>);
    const problems = context.problems();
    check(problems.length === 0, problems.join('; '));
  };
  try {
    await within(run(), timeoutMs, () => new ConformanceError(`the check did not finish within ${timeoutMs} ms (${context.step})`));
  } finally {
    await within(context.cleanUp((CLEAN_UP_ALLOWANCE_MS * 2) / 3), CLEAN_UP_ALLOWANCE_MS, () => new Error('clean-up overran')).catch(() => undefined);
  }
}
