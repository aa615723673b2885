/**
 * Record a client's day through the real client over TCP, then replay it: every message the
 * destination sends and every operation it starts comes out the same, on a simulated clock.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectingIo } from '../../src/cli/io.js';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { formatReplay, parseTrace, readTraceFile, replayTrace, TRACE_VERSION, type TraceEntry } from '../../src/trace/index.js';
import { startRig } from '../client/helpers/call-rig.js';
import { DEMO_TRACE, traceDir } from './support.js';

const kinds = (entries: readonly { entry: TraceEntry }[]): Set<string> => new Set(entries.map((e) => e.entry.kind));

describe('the demo day', () => {
  it('recorded through the real client over TCP, replays and matches', async () => {
    const file = join(await traceDir(), 'day.jsonl');
    const io = collectingIo();
    expect(await runDemo({ io, mode: 'json', record: { file } })).toBe(0);
    const trace = await readTraceFile(file);
    expect(trace.header).toMatchObject({ kind: 'trace', format: 'cti-conversation-trace', version: TRACE_VERSION, part: 0, masked: true });
    expect(kinds(trace.entries)).toEqual(
      new Set(['leg.created', 'leg.snapshot', 'connection.opened', 'frame.in', 'frame.out', 'phone.event', 'operation.started', 'operation.settled', 'leg.forgotten', 'connection.lost']),
    );
    const times = trace.entries.map((e) => e.entry.t);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const result = await replayTrace(trace);
    expect(result.divergence).toBeUndefined();
    expect(result).toMatchObject({ ok: true, legs: 6, skipped: 0, dropped: 0 });
    expect(result.matched).toBe(trace.entries.filter((e) => e.entry.kind === 'frame.out' || e.entry.kind === 'operation.started').length);
  });

  it('the recorded example in examples/traces replays and matches', async () => {
    const result = await replayTrace(await readTraceFile(DEMO_TRACE));
    expect(result.divergence).toBeUndefined();
    expect(result.ok).toBe(true);
    expect(result.matched).toBeGreaterThan(60);
  });

  it('masks DTMF digits, numbers and names, and the masked trace still replays (the demo day uses them all)', async () => {
    const text = await readFile(DEMO_TRACE, 'utf8');
    for (const secret of ['1234#', '+15551230001', '15551230002', 'Pat Caller', 'Sam Smith', '"2001"', 'Supervisor']) expect(text).not.toContain(secret);
    // Same value, same token: the DTMF digits the bridge asked for are the ones the leg was given.
    const trace = parseTrace([{ name: 'demo', text }]);
    const asked = trace.entries.flatMap(({ entry }) => (entry.kind === 'frame.in' && (entry.frame as { header: { name: string } }).header.name.endsWith('senddtmf') ? [(entry.frame as { body: { digits: string } }).body.digits] : []));
    const played = trace.entries.flatMap(({ entry }) => (entry.kind === 'operation.started' && entry.operation === 'sendDtmf' ? entry.args : []));
    expect(asked).toHaveLength(2);
    expect(asked[0]).toMatch(/^[0-9*#]{5}$/);
    expect(played).toEqual([asked[0]]);
  });
});

describe('a recorded session with a drop and a deadline', () => {
  it('replays a reconnect and a deadline that fired in real time, on the simulated clock', async () => {
    const file = join(await traceDir(), 'drop.jsonl');
    const rig = await startRig({
      phone: { latencyMs: (op) => (op === 'hold' ? 60_000 : 0) },
      client: { record: { file }, destination: { operationTimeoutMs: 30 } },
    });
    const T = 'PB1.AGENT.1001.TEL.I-7.leg-1';
    try {
      rig.phone.ring({ number: '+15551230001', name: 'Pat Caller' }, { id: 'leg-1' });
      await rig.sim.init(T);
      await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-1');
      const hold = await rig.sim.request(T, 'hold', {});
      expect(hold.header).toMatchObject({ result: 'FAILURE', errorMessage: 'hold: timed out after 30 ms waiting for the phone' });
      await rig.sim.dropConnection();
      await rig.sim.waitForConnection(2);
      await rig.sim.init(T);
      await rig.step(T, 'release', {}, ['ended'], 'leg-1');
    } finally {
      await rig.stop();
    }
    const trace = await readTraceFile(file);
    expect(trace.header.destination).toEqual({ operationTimeoutMs: 30 });
    expect(trace.entries.filter((e) => e.entry.kind === 'connection.opened')).toHaveLength(2);
    expect(trace.entries.filter((e) => e.entry.kind === 'connection.lost').length).toBeGreaterThanOrEqual(1);
    const result = await replayTrace(trace);
    expect(result.ok, formatReplay('drop.jsonl', result)).toBe(true);
  });

  it('an unmasked recording keeps the values and replays too', async () => {
    const file = join(await traceDir(), 'clear.jsonl');
    const rig = await startRig({ client: { record: { file, unmasked: true } } });
    const T = 'PB1.AGENT.1001.TEL.I-7.leg-2';
    try {
      rig.phone.ring({ number: '+15551230001' }, { id: 'leg-2' });
      await rig.sim.init(T);
      await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-2');
      await rig.step(T, 'senddtmf', { digits: '4711' }, [], 'leg-2');
    } finally {
      await rig.stop();
    }
    const text = await readFile(file, 'utf8');
    expect(text).toContain('"digits":"4711"');
    expect(text).toContain('+15551230001');
    expect(JSON.parse(text.split('\n')[0] as string)).toMatchObject({ masked: false });
    expect((await replayTrace(await readTraceFile(file))).ok).toBe(true);
  });
});

describe('a trace that cannot be written', () => {
  it('is a client diagnostic; the client serves the bridge as before', async () => {
    const file = join(await traceDir(), 'no', 'such', 'dir', 'day.jsonl');
    const rig = await startRig({ client: { record: file } });
    const T = 'PB1.AGENT.1001.TEL.I-7.leg-3';
    try {
      rig.phone.ring({ number: '+15551230001' }, { id: 'leg-3' });
      await rig.sim.init(T);
      await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-3');
      const failed = await rig.diagnostic('record-failed');
      expect(failed).toMatchObject({ level: 'error' });
      expect(failed.message).toContain('day.jsonl stopped: ENOENT');
    } finally {
      await rig.stop();
    }
  });
});
