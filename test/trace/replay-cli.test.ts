/** `cti-conversation replay` and `--record`: exit codes, the divergence report, bad input. */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectingIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { parseTrace, replayTrace, TraceError } from '../../src/trace/index.js';
import { DEMO_TRACE, traceDir } from './support.js';

describe('cti-conversation replay', () => {
  it('exits 0 on the demo day and says it matches', async () => {
    const io = collectingIo();
    expect(await runCli(['replay', DEMO_TRACE], io)).toBe(0);
    expect(io.out()).toMatch(/^replay .*demo-day\.jsonl: matches \(6 legs, \d+ messages and operations compared\)\n$/);
  });

  it('exits 1 on a trace whose recorded answer differs, naming the line, both messages and the lines before', async () => {
    const dir = await traceDir();
    const lines = (await readFile(DEMO_TRACE, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('"kind":"frame.out"') && l.includes('"result":"FAILURE"'));
    lines[at] = (lines[at] as string).replace('"result":"FAILURE"', '"result":"SUCCESS"');
    await writeFile(join(dir, 'changed.jsonl'), lines.join('\n'));
    const io = collectingIo({ cwd: dir });
    expect(await runCli(['replay', 'changed.jsonl', '--context', '3'], io)).toBe(1);
    const out = io.out();
    expect(out).toContain(`at changed.jsonl:${at + 1} the trace has: frame.out`);
    expect(out).toMatch(/the replay has: {4}frame\.out \[[\w-]+\] response .* FAILURE/);
    expect(out).toContain('the 3 lines before it:');
    expect(out).toContain(`changed.jsonl:${at}  t=`);
  });

  it('a message the replay sends that the trace does not have is a divergence too', async () => {
    const lines = (await readFile(DEMO_TRACE, 'utf8')).split('\n');
    const at = lines.findIndex((l) => l.includes('"kind":"frame.out"') && l.includes('conversation.ringing'));
    const trace = parseTrace([{ name: 'cut', text: [...lines.slice(0, at), ...lines.slice(at + 1)].join('\n') }]);
    const result = await replayTrace(trace);
    expect(result.ok).toBe(false);
    expect(result.divergence?.expected).toBeUndefined();
    expect(result.divergence?.actual).toMatchObject({ kind: 'frame.out', frame: { header: { name: 'conversation.ringing' } } });
    expect(result.divergence?.at?.where).toBe(`cut:${at + 1}`);
  });

  it('refuses what is not a trace, a newer format version, and wrong usage', async () => {
    const dir = await traceDir();
    await writeFile(join(dir, 'text.jsonl'), 'hello\n');
    await writeFile(join(dir, 'v9.jsonl'), `${JSON.stringify({ kind: 'trace', format: 'cti-conversation-trace', version: 9, part: 0 })}\n`);
    const io = collectingIo({ cwd: dir });
    expect(await runCli(['replay', 'text.jsonl'], io)).toBe(1);
    expect(await runCli(['replay', 'v9.jsonl'], io)).toBe(1);
    expect(await runCli(['replay', 'missing.jsonl'], io)).toBe(1);
    expect(io.err()).toContain('text.jsonl:1: not a trace');
    expect(io.err()).toContain('trace format version 9; this version reads 1 to 1');
    expect(io.err()).toContain('missing.jsonl: cannot be read (ENOENT)');
    expect(await runCli(['replay', '--help'], io)).toBe(0);
    expect(io.out()).toContain('Usage: cti-conversation replay FILE [--emit-test OUT]');
    expect(await runCli(['replay'], io)).toBe(2);
    expect(await runCli(['replay', 'a', '--frobnicate'], io)).toBe(2);
    expect(await runCli(['replay', 'a', 'b'], io)).toBe(2);
    expect(await runCli(['replay', 'a', '--context', 'x'], io)).toBe(2);
    expect(await runCli(['demo', '--record-unmasked'], io)).toBe(2);
    expect(() => parseTrace([])).toThrow(TraceError);
    expect(() => parseTrace([{ name: 'x', text: `${JSON.stringify({ kind: 'trace', format: 'cti-conversation-trace', version: 1 })}\n{"kind":"frame.in"}\n` }])).toThrow('x:2: a line needs a kind and a time t');
  });

  it('demo --record FILE writes a trace that replay accepts', async () => {
    const dir = await traceDir();
    const io = collectingIo({ cwd: dir });
    expect(await runCli(['demo', '--json', '--record', 'day.jsonl'], io)).toBe(0);
    const replayed = collectingIo({ cwd: dir });
    expect(await runCli(['replay', 'day.jsonl'], replayed)).toBe(0);
    expect(replayed.out()).toContain('matches (6 legs');
  });
});
