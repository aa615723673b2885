/**
 * One connection attempt to the bridge (TCP or TLS), with framing and backpressure. The client
 * makes a new one after each drop. Backpressure: when more than `highWaterMarkBytes` are waiting to
 * be written, reading from the bridge stops (it cannot ask for more than we can answer); when the
 * writes drain to half of that, reading resumes; if they do not within `backpressureLimitMs`, the
 * connection is closed. While reading is stopped the client's own events still queue; past
 * `maxUnsentBytes` the connection is closed at once (the reconnect's init re-syncs every leg), so
 * the buffer is bounded in bytes, not only in time.
 */
import net from 'node:net';
import tls from 'node:tls';
import {
  attachFrameSocket,
  DEFAULT_MAX_FRAME_BYTES,
  OUTBOUND_HEADROOM_BYTES,
  type BadFrame,
  type ByteOrder,
  type FatalFrameError,
  FrameWriter,
  type FrameSocket,
} from '../wire/index.js';
import { verificationOff, type BridgeClientTlsOptions } from './options.js';

export interface BridgeConnectionOptions {
  readonly host: string;
  readonly port: number;
  readonly tls?: boolean | BridgeClientTlsOptions;
  readonly byteOrder?: ByteOrder;
  readonly maxFrameBytes?: number;
  readonly highWaterMarkBytes: number;
  readonly backpressureLimitMs: number;
  /** Unsent bytes past which the connection is closed; see above. */
  readonly maxUnsentBytes: number;
  /** TCP keep-alive probe delay, so a bridge that vanished without closing is noticed; 0 turns it off. */
  readonly keepAliveMs: number;
}

export interface BridgeConnectionHandlers {
  onOpen(): void;
  onMessage(message: Record<string, unknown>, bytes: number): void;
  onBadFrame(bad: BadFrame): void;
  onFatal(error: FatalFrameError): void;
  onBackpressure(state: 'paused' | 'resumed' | 'timed-out' | 'overflow', unsentBytes: number): void;
  /** Called once, whether or not the connection ever opened. */
  onClose(reason: string | undefined, wasOpen: boolean): void;
}

export class BridgeConnection {
  readonly #socket: net.Socket;
  readonly #frames: FrameSocket;
  /** Outbound frames, batched: the answers of one turn leave in one write. */
  readonly #writer: FrameWriter;
  readonly #options: BridgeConnectionOptions;
  readonly #handlers: BridgeConnectionHandlers;
  #open = false;
  #closed = false;
  #readingPaused = false;
  #backpressureTimer: NodeJS.Timeout | undefined;
  #failure: string | undefined;

  constructor(options: BridgeConnectionOptions, handlers: BridgeConnectionHandlers) {
    this.#options = options;
    this.#handlers = handlers;
    // An answer may be larger than the frame it answers (src/wire/frame-options.ts, headroom).
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    const frameOptions = { byteOrder: options.byteOrder, maxFrameBytes, maxSendBytes: maxFrameBytes + OUTBOUND_HEADROOM_BYTES };
    if (options.tls) {
      const t = options.tls === true ? {} : options.tls;
      this.#socket = tls.connect({
        host: options.host,
        port: options.port,
        ca: t.ca as tls.ConnectionOptions['ca'],
        cert: t.cert,
        key: t.key,
        // Node checks the certificate against servername, else the host.
        servername: t.servername ?? (net.isIP(options.host) ? undefined : options.host),
        rejectUnauthorized: !verificationOff(t),
      });
      this.#socket.once('secureConnect', () => this.#opened());
    } else {
      this.#socket = net.connect({ host: options.host, port: options.port });
      this.#socket.once('connect', () => this.#opened());
    }
    this.#frames = attachFrameSocket(
      this.#socket,
      {
        onMessage: (message, bytes) => {
          if (!this.#closed) handlers.onMessage(message, bytes);
        },
        onBadFrame: (bad) => handlers.onBadFrame(bad),
        onFatal: (error) => {
          this.#failure = error.message;
          handlers.onFatal(error);
        },
      },
      frameOptions,
    );
    this.#writer = new FrameWriter(this.#socket, frameOptions, {
      handedOver: () => this.#checkBackpressure(),
      written: () => this.#afterFlush(),
    });
    this.#socket.on('error', (error) => {
      this.#failure ??= error.message;
    });
    this.#socket.once('close', () => {
      this.#closed = true;
      clearTimeout(this.#backpressureTimer);
      this.#frames.detach();
      const wasOpen = this.#open;
      this.#open = false;
      handlers.onClose(this.#failure, wasOpen);
    });
  }

  get open(): boolean {
    return this.#open && !this.#closed && !this.#socket.destroyed;
  }

  /** Bytes waiting to leave: in the socket's buffer and in the batch not yet handed to it. */
  get unsentBytes(): number {
    return this.#socket.writableLength + this.#writer.queuedBytes;
  }

  /** Queues one message for this turn's write; returns an Error rather than throwing. */
  send(message: unknown): Error | undefined {
    if (!this.open) return new Error('not connected');
    const written = this.#writer.send(message);
    if (written instanceof Error) return written;
    // A bridge that does not read cannot make the client hold more than this (limits.unsentBytes).
    if (this.unsentBytes > this.#options.maxUnsentBytes) {
      this.#handlers.onBackpressure('overflow', this.unsentBytes);
      this.#failure = `${this.unsentBytes} bytes waited to be sent, over the limit of ${this.#options.maxUnsentBytes}`;
      this.#socket.destroy();
    }
    return undefined;
  }

  /** After each batch is handed to the socket: what the socket could not pass on stops our reading. */
  #checkBackpressure(): void {
    if (this.#readingPaused || this.#closed || this.#socket.writableLength <= this.#options.highWaterMarkBytes) return;
    this.#readingPaused = true;
    this.#socket.pause();
    this.#handlers.onBackpressure('paused', this.unsentBytes);
    this.#backpressureTimer = setTimeout(() => {
      this.#handlers.onBackpressure('timed-out', this.unsentBytes);
      this.#failure = `the bridge read nothing for ${this.#options.backpressureLimitMs} ms while ${this.unsentBytes} bytes waited to be sent`;
      this.#socket.destroy();
    }, this.#options.backpressureLimitMs);
  }

  /** Ends the connection: a graceful end, then a hard close if the peer lingers. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      this.#socket.once('close', () => resolve());
      this.#failure ??= 'closed by the client';
      if (!this.#open) {
        this.#socket.destroy();
        return;
      }
      this.#writer.flush();
      this.#socket.end();
      setTimeout(() => this.#socket.destroy(), 1000).unref();
    });
  }

  #opened(): void {
    if (this.#closed) return;
    this.#open = true;
    this.#socket.setNoDelay(true);
    if (this.#options.keepAliveMs > 0) this.#socket.setKeepAlive(true, this.#options.keepAliveMs);
    this.#handlers.onOpen();
  }

  #afterFlush(): void {
    if (!this.#readingPaused || this.#closed) return;
    if (this.#socket.writableLength > this.#options.highWaterMarkBytes / 2) return;
    this.#readingPaused = false;
    clearTimeout(this.#backpressureTimer);
    this.#socket.resume();
    this.#handlers.onBackpressure('resumed', this.#socket.writableLength);
  }
}
