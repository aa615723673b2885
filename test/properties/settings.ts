/**
 * How many runs the property tests make and how a failure is replayed (TESTING.md, "Property
 * tests"): CTI_PROPERTY_RUNS (default 1000), CTI_PROPERTY_SEED and CTI_PROPERTY_PATH (both printed
 * by a failing run) replay exactly the failing case.
 */
import type fc from 'fast-check';

export function propertyParameters<T>(): fc.Parameters<T> {
  const numRuns = Number(process.env.CTI_PROPERTY_RUNS ?? 1000);
  const seed = process.env.CTI_PROPERTY_SEED;
  const path = process.env.CTI_PROPERTY_PATH;
  return {
    numRuns,
    ...(seed !== undefined && { seed: Number(seed) }),
    ...(path !== undefined && { path }),
    // A failure prints its seed and path; with CTI_PROPERTY_VERBOSE=1 also every shrink step.
    verbose: process.env.CTI_PROPERTY_VERBOSE === '1' ? 2 : 1,
  };
}
