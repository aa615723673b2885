import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagramFiles } from '../../src/inspector/diagram-files.js';
import { miniMachine } from './fixtures/mini-machine.js';

const run = promisify(execFile);
const fixture = 'test/inspector/fixtures/mini-machine.ts';

async function diagram(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'scripts/diagram.ts', '--from', fixture, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run diagram', () => {
  let out: string;
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'cti-diagram-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('writes the Mermaid page and the SVG, then --check passes; a stale file fails --check', async () => {
    expect((await diagram('--out', out)).code).toBe(0);
    const expected = await diagramFiles(miniMachine, fixture);
    expect(await readFile(join(out, 'conversation.md'), 'utf8')).toBe(expected.markdown);
    expect(await readFile(join(out, 'conversation.svg'), 'utf8')).toBe(expected.svg);
    expect(expected.markdown).toContain('```mermaid\nstateDiagram-v2\n');
    expect((await diagram('--out', out, '--check')).code).toBe(0);

    await writeFile(join(out, 'conversation.svg'), `${expected.svg}<!-- edited -->`);
    const stale = await diagram('--out', out, '--check');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('stale');
    expect(stale.stderr).toContain('conversation.svg');
    expect(stale.stderr).not.toContain('conversation.md');
  });

  it('says clearly when the module exports no machine', async () => {
    const result = await diagram('--out', out, '--from', 'test/inspector/support.ts');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('exports no XState machine');
  });
});
