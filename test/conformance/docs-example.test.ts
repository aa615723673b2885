/** docs/conformance.md shows the project's own conformance test; this keeps the two equal. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('the example in docs/conformance.md is the code test/conformance/simulated-phone.conformance.test.ts runs', () => {
  const doc = readFileSync(new URL('../../docs/conformance.md', import.meta.url), 'utf8');
  const test = readFileSync(new URL('./simulated-phone.conformance.test.ts', import.meta.url), 'utf8');
  const shown = /```ts\n([\s\S]*?)```/.exec(doc)?.[1];
  const run = /\/\/ docs:begin[^\n]*\n([\s\S]*?)\/\/ docs:end/.exec(test)?.[1];
  expect(shown).toBeDefined();
  expect(run).toBeDefined();
  const asPackaged = run!
    .replace("'../../src/conformance/vitest.js'", "'cti-conversation/conformance/vitest'")
    .replace("'../../src/index.js'", "'cti-conversation'");
  expect(shown).toBe(asPackaged);
});
