import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The package's entry points by name, leading to the sources (as tsconfig.json's `paths` do). */
const entry = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const entries: Record<string, string> = {
  client: './src/client/index.ts',
  wire: './src/wire/index.ts',
  simulator: './src/simulator/index.ts',
  baresip: './src/adapters/baresip/index.ts',
  inspector: './src/inspector/index.ts',
  conformance: './src/conformance/index.ts',
  'conformance/vitest': './src/conformance/vitest.ts',
  catalogue: './src/catalogue/index.ts',
  linphone: './src/adapters/linphone/index.ts',
  trace: './src/trace/index.ts',
  log: './src/log/index.ts',
};

export default defineConfig({
  resolve: {
    alias: [
      { find: /^cti-conversation$/, replacement: entry('./src/index.ts') },
      ...Object.entries(entries).map(([name, path]) => ({ find: new RegExp(`^cti-conversation/${name}$`), replacement: entry(path) })),
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Real SIP phones and a browser take a while to start; nothing here bounds behaviour by time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    coverage: {
      provider: 'v8',
      include: ['machines/**/*.ts', 'src/destination/**/*.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95, branches: 95, functions: 95, statements: 95 },
    },
  },
});
