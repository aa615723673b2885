/** A hand-driven client for the simulator tests: it does only what the test tells it to. */
import net from 'node:net';
import { encodeFrame, FrameDecoder } from '../../../src/wire/index.js';

export interface RawClient {
  readonly received: Record<string, unknown>[];
  /** Resolves with the n-th message received (0-based), waiting for it if needed. */
  message(index: number): Promise<Record<string, unknown>>;
  send(message: unknown): void;
  sendBytes(bytes: Uint8Array): void;
  readonly closed: Promise<void>;
  close(): Promise<void>;
}

export async function connectRawClient(port: number): Promise<RawClient> {
  const socket = net.connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: Record<string, unknown>[] = [];
  let waiters: { index: number; resolve: (m: Record<string, unknown>) => void }[] = [];
  const decoder = new FrameDecoder({
    onMessage: (m) => {
      received.push(m);
      waiters = waiters.filter((w) => {
        if (received.length <= w.index) return true;
        w.resolve(received[w.index]!);
        return false;
      });
    },
  });
  socket.on('data', (chunk) => decoder.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    received,
    message: (index) =>
      new Promise((resolve) => {
        if (received.length > index) resolve(received[index]!);
        else waiters.push({ index, resolve });
      }),
    send: (message) => socket.write(encodeFrame(message)),
    sendBytes: (bytes) => socket.write(bytes),
    closed,
    async close() {
      socket.destroy();
      await closed;
    },
  };
}

/** The response a well-behaved client gives: name, target and requestId echoed. */
export function respondTo(request: Record<string, unknown>, extra: Record<string, unknown> = {}, body: Record<string, unknown> = {}) {
  const h = request['header'] as Record<string, string>;
  return {
    header: { type: 'cti.response', name: h['name'], target: h['target'], requestId: h['requestId'], result: 'SUCCESS', ...extra },
    body,
  };
}

export function event(target: string, name: string, body: Record<string, unknown> = {}) {
  return { header: { type: 'cti.event', name: `conversation.${name}`, target }, body };
}
