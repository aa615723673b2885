import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant of machines/ and src/destination/ (npm run mutation):
// the destination's and the machine's own tests. The property tests and the xstate/graph paths
// cover everything and take seconds each, so they stay out of the per-mutant runs.
export default defineConfig({
  test: {
    include: ['test/destination/**/*.test.ts', 'test/machine/**/*.test.ts'],
    // The capabilities test walks the graph paths too.
    exclude: ['test/machine/graph-paths.test.ts', 'test/destination/capabilities.test.ts'],
  },
});
