/**
 * docs/conformance.md: the kit works without vitest. A child process in which vitest cannot be
 * resolved imports `cti-conversation/conformance` and runs every check on SimulatedPhone.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

it('cti-conversation/conformance loads and runs its checks in a process where vitest cannot be resolved', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--import', './test/conformance/fixtures/hide-vitest.mjs', 'test/conformance/fixtures/kit-without-vitest.ts'],
    { cwd: root },
  );
  const lines = stdout.trim().split('\n');
  expect(lines[0]).toBe('vitest hidden: true');
  expect(lines.length).toBeGreaterThan(5);
  expect(lines.slice(1).filter((line) => !line.startsWith('pass '))).toEqual([]);
});
