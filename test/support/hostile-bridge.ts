/**
 * A bridge under the test's full control, for the reliability tests: a loopback server that takes
 * one client connection at a time, writes whatever bytes the test gives it (frames of any size,
 * garbage, a frame cut in half) and records every frame the client sends, answers counted per
 * requestId. Unlike the simulator it judges nothing; the tests do.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import { encodeFrame, FrameDecoder, DEFAULT_MAX_FRAME_BYTES, OUTBOUND_HEADROOM_BYTES } from '../../src/wire/index.js';

export type Wire = Record<string, unknown> & { header: Record<string, unknown>; body?: unknown };

export interface HostileBridge {
  readonly host: string;
  readonly port: number;
  /** Every frame the client sent, in order, over every connection. */
  readonly received: Wire[];
  /** Answers (cti.response frames) by requestId, over every connection (kept only with `retain`). */
  readonly answers: Map<string, Wire[]>;
  /** Answers received in all. */
  readonly answerTotal: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Frames the client sent that could not be decoded (must stay 0). */
  readonly undecodable: number;
  waitForConnection(count?: number): Promise<void>;
  /** Frames one message (no size limit: the test decides what is too large). */
  send(message: unknown): void;
  write(bytes: Uint8Array): void;
  /** Resolves when the condition holds (checked after every frame and every 10 ms). */
  waitUntil(condition: () => boolean, timeoutMs?: number): Promise<void>;
  answerCount(requestId: string): number;
  pauseReading(): void;
  resumeReading(): void;
  /** Destroys the current connection (the client reconnects). */
  drop(): void;
  close(): Promise<void>;
}

export function frame(message: unknown): Buffer {
  return encodeFrame(message, { maxFrameBytes: 0xffff_ffff });
}

/** The key a requestId is counted under: itself, or a digest when it is long (the counts stay small). */
export function idKey(requestId: string): string {
  return requestId.length <= 256 ? requestId : `long:${requestId.length}:${createHash('sha1').update(requestId).digest('hex')}`;
}

export interface HostileBridgeOptions {
  /** Keep every frame received (default true); the fuzz and soak keep only counts, so the heap measures the client. */
  readonly retain?: boolean;
  /** Told of every frame the client sends, as it arrives. */
  readonly onFrame?: (frame: Wire) => void;
  /** Count answers per requestId (default true); the soak keeps no per-request state of its own here. */
  readonly countAnswers?: boolean;
}

export async function startHostileBridge(options: HostileBridgeOptions = {}): Promise<HostileBridge> {
  const retain = options.retain ?? true;
  const received: Wire[] = [];
  const answers = new Map<string, Wire[]>();
  const counts = new Map<string, number>();
  let answerTotal = 0;
  let socket: net.Socket | undefined;
  let connections = 0;
  let undecodable = 0;
  let checks: (() => void)[] = [];
  const poke = (): void => {
    for (const check of [...checks]) check();
  };
  const server = net.createServer((s) => {
    socket?.destroy();
    socket = s;
    connections++;
    s.setNoDelay(true);
    s.on('error', () => undefined);
    const decoder = new FrameDecoder(
      {
        onMessage: (message) => {
          const wire = message as Wire;
          options.onFrame?.(wire);
          if (retain) received.push(wire);
          if (wire.header?.['type'] === 'cti.response') {
            const id = String(wire.header['requestId']);
            if (options.countAnswers ?? true) {
              const key = idKey(id);
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
            answerTotal++;
            if (retain) {
              const list = answers.get(id);
              if (list) list.push(wire);
              else answers.set(id, [wire]);
            }
          }
          poke();
        },
        onBadFrame: () => {
          undecodable++;
        },
        onFatal: () => {
          undecodable++;
        },
      },
      // The client never sends past the limit plus the headroom; anything larger shows up here.
      { maxFrameBytes: DEFAULT_MAX_FRAME_BYTES + OUTBOUND_HEADROOM_BYTES },
    );
    s.on('data', (chunk: Buffer) => decoder.push(chunk));
    poke();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  const waitUntil = (condition: () => boolean, timeoutMs = 20_000): Promise<void> =>
    new Promise((resolve, reject) => {
      if (condition()) return resolve();
      const timer = setInterval(check, 10);
      const deadline = setTimeout(() => {
        done();
        reject(new Error('hostile bridge: condition not met in time'));
      }, timeoutMs);
      function done(): void {
        clearInterval(timer);
        clearTimeout(deadline);
        checks = checks.filter((c) => c !== check);
      }
      function check(): void {
        if (!condition()) return;
        done();
        resolve();
      }
      checks.push(check);
    });

  return {
    host: '127.0.0.1',
    port,
    received,
    answers,
    get answerTotal() {
      return answerTotal;
    },
    get connections() {
      return connections;
    },
    get undecodable() {
      return undecodable;
    },
    waitForConnection: (count = 1) => waitUntil(() => connections >= count && socket !== undefined && !socket.destroyed),
    send(message) {
      socket?.write(frame(message));
    },
    write(bytes) {
      socket?.write(bytes);
    },
    waitUntil,
    answerCount: (requestId) => counts.get(idKey(requestId)) ?? 0,
    pauseReading() {
      socket?.pause();
    },
    resumeReading() {
      socket?.resume();
    },
    drop() {
      socket?.destroy();
    },
    async close() {
      socket?.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
