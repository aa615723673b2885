/**
 * The bench's bridge: a process of its own (forked by bench/tcp/bridge.ts), so its work never
 * shares a thread with the client it measures. It listens on loopback, takes the newest
 * connection, and on its parent's command sends inits and senddtmf requests to the legs it is
 * told, timing each from its socket write to its decoded answer. Answers are matched by
 * requestId (`r<run>-<n>`); events and answers of earlier runs are ignored.
 */
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { FrameDecoder } from '../../src/wire/index.js';
import type { BridgeCommand, BridgeReply, RunResult } from './protocol.js';

const TARGET_PREFIX = 'PB1.S-1.G-1.TEL.I-1.';
let socket: net.Socket | undefined;
let connections = 0;
let run = 0;
let active: Run | undefined;

interface Run {
  readonly id: number;
  readonly sentAt: Float64Array;
  readonly latency: Float64Array;
  answered: number;
  failed: number;
  firstWrite: number;
  lastWrite: number;
  lastAnswer: number;
  onAnswer(n: number): void;
}

function frame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const out = Buffer.allocUnsafe(4 + length);
  out.writeUInt32BE(length, 0);
  out.write(json, 4);
  return out;
}

function initFrame(runId: number, n: number, legId: string): Buffer {
  return frame(`{"header":{"type":"cti.query","name":"conversation.query.init","target":"${TARGET_PREFIX}${legId}","requestId":"r${runId}-${n}"},"body":{}}`);
}

function dtmfFrame(runId: number, n: number, legId: string): Buffer {
  return frame(
    `{"header":{"type":"cti.request","name":"conversation.request.senddtmf","target":"${TARGET_PREFIX}${legId}","requestId":"r${runId}-${n}"},"body":{"digits":"1"}}`,
  );
}

const decoder = new FrameDecoder({
  onMessage: (message) => {
    const header = message['header'] as Record<string, unknown> | undefined;
    if (!header || header['type'] !== 'cti.response' || !active) return;
    const requestId = String(header['requestId']);
    const dash = requestId.indexOf('-');
    if (requestId.slice(1, dash) !== String(active.id)) return;
    const n = Number(requestId.slice(dash + 1));
    const now = performance.now();
    if (active.latency[n] !== 0) return; // a second answer to one request: counted once
    active.latency[n] = Math.max(now - active.sentAt[n]!, 1e-6);
    active.answered += 1;
    if (header['result'] !== 'SUCCESS') active.failed += 1;
    active.lastAnswer = now;
    active.onAnswer(n);
  },
});

function write(frames: Buffer[], run: Run, first: number): void {
  if (!socket || socket.destroyed) return;
  const now = performance.now();
  if (run.firstWrite === 0) run.firstWrite = now;
  run.lastWrite = now;
  for (let i = 0; i < frames.length; i += 1) run.sentAt[first + i] = now;
  socket.write(frames.length === 1 ? frames[0]! : Buffer.concat(frames));
}

function summarise(r: Run, total: number): RunResult {
  const latencies = Float64Array.from(r.latency.filter((v) => v > 0)).sort();
  return {
    sent: total,
    answered: r.answered,
    failed: r.failed,
    ms: r.lastAnswer - r.firstWrite,
    latenciesMs: latencies,
  };
}

function newRun(total: number, onAnswer: (n: number) => void): Run {
  run += 1;
  return { id: run, sentAt: new Float64Array(total), latency: new Float64Array(total), answered: 0, failed: 0, firstWrite: 0, lastWrite: 0, lastAnswer: 0, onAnswer };
}

/** Resolves when every request is answered, or after `graceMs` with neither a write nor an answer. */
function finish(r: Run, total: number, graceMs: number, done: (result: RunResult) => void, lastWriteDone: () => boolean): void {
  let settled = false;
  const end = (): void => {
    if (settled) return;
    settled = true;
    active = undefined;
    done(summarise(r, total));
  };
  const previous = r.onAnswer;
  r.onAnswer = (n) => {
    previous(n);
    if (r.answered === total) end();
  };
  const watch = (): void => {
    if (settled) return;
    // Quiet for graceMs since the last write and the last answer: what has not come will not.
    if (lastWriteDone() && performance.now() - Math.max(r.lastAnswer, r.lastWrite) > graceMs) end();
    else setTimeout(watch, 50);
  };
  setTimeout(watch, 50);
}

/** Every leg's init at once, in writes of 1,000 frames: the reconnect storm. */
function inits(legIds: readonly string[], graceMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const total = legIds.length;
    const r = newRun(total, () => undefined);
    active = r;
    finish(r, total, graceMs, resolve, () => true);
    for (let start = 0; start < total; start += 1000) {
      const frames: Buffer[] = [];
      for (let n = start; n < Math.min(total, start + 1000); n += 1) frames.push(initFrame(r.id, n, legIds[n]!));
      write(frames, r, start);
    }
  });
}

/** Closed loop: `outstanding` requests in flight, one more written per answer (batched per read). */
function saturate(legIds: readonly string[], outstanding: number, total: number, graceMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    let next = 0;
    let owed = 0;
    const sendOwed = (): void => {
      const count = Math.min(owed, total - next);
      owed = 0;
      if (count <= 0) return;
      const frames: Buffer[] = [];
      for (let i = 0; i < count; i += 1) frames.push(dtmfFrame(r.id, next + i, legIds[(next + i) % legIds.length]!));
      const first = next;
      next += count;
      write(frames, r, first);
    };
    const r = newRun(total, () => {
      owed += 1;
      if (owed === 1) queueMicrotask(sendOwed);
    });
    active = r;
    finish(r, total, graceMs, resolve, () => next >= total);
    owed = outstanding;
    sendOwed();
  });
}

/** Open loop: `rate` requests a second on a 1 ms tick, whatever comes back. */
function openLoop(legIds: readonly string[], rate: number, total: number, graceMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const r = newRun(total, () => undefined);
    active = r;
    let next = 0;
    const start = performance.now();
    finish(r, total, graceMs, resolve, () => next >= total);
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      if (due > next) {
        const frames: Buffer[] = [];
        for (let n = next; n < due; n += 1) frames.push(dtmfFrame(r.id, n, legIds[n % legIds.length]!));
        const first = next;
        next = due;
        write(frames, r, first);
      }
      if (next < total) setTimeout(tick, 1);
    };
    tick();
  });
}

const reply = (message: BridgeReply): void => {
  process.send?.(message);
};

const server = net.createServer((s) => {
  socket?.destroy();
  socket = s;
  decoder.reset();
  s.setNoDelay(true);
  s.on('data', (chunk) => {
    if (s === socket) decoder.push(chunk);
  });
  s.on('error', () => undefined);
  connections += 1;
  reply({ type: 'connected', connections });
});

process.on('message', (raw) => {
  const command = raw as BridgeCommand;
  const answer = (result: RunResult): void => reply({ type: 'result', id: command.id, result: { ...result, latenciesMs: Array.from(result.latenciesMs) } });
  switch (command.cmd) {
    case 'inits':
      void inits(command.legIds, command.graceMs).then(answer);
      break;
    case 'saturate':
      void saturate(command.legIds, command.outstanding, command.total, command.graceMs).then(answer);
      break;
    case 'open':
      void openLoop(command.legIds, command.rate, command.total, command.graceMs).then(answer);
      break;
    case 'drop':
      socket?.destroy();
      socket = undefined;
      reply({ type: 'dropped', id: command.id });
      break;
    case 'exit':
      server.close();
      socket?.destroy();
      process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => {
  const address = server.address() as net.AddressInfo;
  reply({ type: 'ready', port: address.port });
});
