/**
 * `replay FILE --emit-test OUT`: the emitted vitest file pins the trace. The demo day's pinned
 * test (pinned-demo-day.test.ts, beside this file) is what the command emits today; and emitted
 * files run under vitest pass on a trace that replays and fail, naming the divergence, on one
 * that does not.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectingIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { emitTestSource } from '../../src/trace/index.js';
import { DEMO_TRACE, traceDir } from './support.js';

const PINNED = new URL('./pinned-demo-day.test.ts', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

describe('replay --emit-test', () => {
  it('the pinned demo-day test is what the command emits for examples/traces/demo-day.jsonl now', async () => {
    const emitted = emitTestSource({ name: 'demo-day.jsonl', parts: [await readFile(DEMO_TRACE, 'utf8')], out: PINNED });
    expect(emitted).toBe(await readFile(PINNED, 'utf8'));
  });

  it('a first line that is not JSON still emits a file (its comment says nothing of the recording); it does not throw', () => {
    const emitted = emitTestSource({ name: 'odd.jsonl', parts: ['not json\n{"kind":"x"}\n'], out: PINNED });
    expect(emitted).toContain('recorded at an unknown time, 2 lines, masked');
    expect(emitted).toContain('"not json",');
  });

  it('emitted files run under vitest: the matching trace passes, a changed one fails at its divergence', async () => {
    const dir = await traceDir();
    // The emitted files import vitest and this package from where they are.
    await symlink(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await mkdir(join(dir, 'pinned'));
    const io = collectingIo({ cwd: dir });
    expect(await runCli(['replay', DEMO_TRACE, '--emit-test', 'pinned/same.test.ts'], io)).toBe(0);
    const changed = (await readFile(DEMO_TRACE, 'utf8')).replace('"errorMessage":"hold: not possible while the call is RINGING"', '"errorMessage":"hold: refused"');
    await writeFile(join(dir, 'changed.jsonl'), changed);
    expect(await runCli(['replay', 'changed.jsonl', '--emit-test', 'pinned/changed.test.ts'], io)).toBe(1);
    expect(io.out()).toContain('wrote pinned/changed.test.ts: a vitest file that pins this trace (it fails until the replay matches)');
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--reporter', 'verbose', '--color=false'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: '1', NO_COLOR: '1' },
    });
    const output = `${run.stdout}${run.stderr}`;
    expect(run.status, output).toBe(1);
    expect(output).toMatch(/✓ pinned\/same\.test\.ts > replays demo-day\.jsonl exactly/);
    expect(output).toMatch(/× pinned\/changed\.test\.ts > replays changed\.jsonl exactly/);
    expect(output).toContain('DIVERGES');
    expect(output).toContain('"hold: not possible while the call is RINGING"');
  });
});
