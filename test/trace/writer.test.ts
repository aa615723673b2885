/** The trace writer: rotation at the size limit, a bounded queue with a drop count, a failing disk. */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/trace/index.js';
import { TraceWriter } from '../../src/trace/writer.js';
import { traceDir } from './support.js';

const header = (part: number) => JSON.stringify({ kind: 'trace', format: 'cti-conversation-trace', version: 1, part, startedAt: '', masked: true, destination: {} });
const droppedLine = (count: number) => JSON.stringify({ t: 0, kind: 'dropped', count });
const line = (i: number) => JSON.stringify({ t: i, kind: 'connection.opened', pad: 'x'.repeat(50) });

describe('TraceWriter', () => {
  it('rotates at the size limit: FILE, FILE.1, … each with its header and none over the limit; read back in order', async () => {
    const dir = await traceDir();
    const file = join(dir, 't.jsonl');
    const writer = new TraceWriter({ file, header, droppedLine, maxFileBytes: 1000 });
    for (let i = 0; i < 60; i++) writer.write(line(i));
    await writer.close();
    const names = (await readdir(dir)).sort();
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const text = await readFile(join(dir, name), 'utf8');
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1000);
      expect(JSON.parse(text.split('\n')[0] as string)).toMatchObject({ kind: 'trace', part: name === 't.jsonl' ? 0 : Number(name.split('.').at(-1)) });
    }
    const trace = await readTraceFile(file);
    expect(trace.entries.map((e) => e.entry.t)).toEqual([...Array(60).keys()]);
  });

  it('a recording that rotated less than the one before it at the same FILE is read alone: the FILE.n left behind are not its parts', async () => {
    const dir = await traceDir();
    const file = join(dir, 't.jsonl');
    const headerAt = (startedAt: string) => (part: number) => JSON.stringify({ ...JSON.parse(header(part)), startedAt });
    const earlier = new TraceWriter({ file, header: headerAt('2026-12-01T08:00:00.000Z'), droppedLine, maxFileBytes: 1000 });
    for (let i = 0; i < 60; i++) earlier.write(line(i));
    await earlier.close();
    expect((await readdir(dir)).length).toBeGreaterThan(3);
    const later = new TraceWriter({ file, header: headerAt('2026-12-02T08:00:00.000Z'), droppedLine, maxFileBytes: 1000 });
    for (let i = 100; i < 105; i++) later.write(line(i));
    await later.close();
    const trace = await readTraceFile(file);
    expect(trace.header.startedAt).toBe('2026-12-02T08:00:00.000Z');
    expect(trace.entries.map((e) => e.entry.t)).toEqual([100, 101, 102, 103, 104]);
    // A continuation whose first line is no header at all is still read, so the damage is reported.
    await writeFile(`${file}.1`, 'not a header\n');
    await expect(readTraceFile(file)).rejects.toThrow(/t\.jsonl\.1:1: not a trace/);
  });

  it('never queues more than its buffer: the rest is dropped, counted, and reported in the file', async () => {
    const file = join(await traceDir(), 't.jsonl');
    const writer = new TraceWriter({ file, header, droppedLine, bufferBytes: 500 });
    for (let i = 0; i < 20; i++) writer.write(line(i)); // all in one turn: the disk has had no chance
    expect(writer.dropped).toBe(20 - Math.floor(500 / (line(0).length + 1)));
    await writer.flush();
    writer.write(line(99));
    await writer.close();
    const trace = await readTraceFile(file);
    const dropped = trace.entries.find((e) => e.entry.kind === 'dropped');
    expect(dropped?.entry).toMatchObject({ kind: 'dropped', count: writer.dropped });
    expect(trace.entries.at(-1)?.entry.t).toBe(99);
  });

  it('a file that cannot be opened is reported once and every line counted as dropped; write never throws', async () => {
    const errors: Error[] = [];
    const writer = new TraceWriter({ file: join(await traceDir(), 'no', 'such', 'dir.jsonl'), header, droppedLine, onError: (e) => errors.push(e) });
    writer.write(line(1));
    await writer.flush();
    writer.write(line(2));
    await writer.close();
    expect(errors).toHaveLength(1);
    expect(writer.dropped).toBe(2);
  });

  it('a recording in which nothing happened is still a trace (its header)', async () => {
    const file = join(await traceDir(), 'empty.jsonl');
    const writer = new TraceWriter({ file, header, droppedLine });
    await writer.close();
    expect((await readTraceFile(file)).entries).toEqual([]);
  });
});
