/**
 * The incremental frame decoder. Bytes arrive in reads of any size: a frame may be split across
 * reads and one read may hold many frames. Chunks are kept as they came and joined once per frame,
 * so a large frame arriving in small reads costs linear, not quadratic, copying.
 *
 * A frame whose content is not UTF-8 JSON, or is JSON but not an object, is reported and dropped;
 * the next frame still decodes (the length prefix keeps the stream in step). A length over the
 * limit cannot be skipped safely (nothing says the peer will send that many bytes and buffering
 * them is what the limit forbids), so it is fatal: reported once, nothing allocated for it, and
 * every later byte is ignored. The owner closes the connection.
 */
import {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  type ByteOrder,
  type FrameOptions,
  readLength,
} from './frame-options.js';

/** Why a frame was skipped. */
export type BadFrameReason = 'not-utf8' | 'not-json' | 'not-object';

/** A frame the decoder skipped (not UTF-8, not JSON, or not an object); the stream goes on. */
export interface BadFrame {
  readonly reason: BadFrameReason;
  /** A sentence for a person; never echoes the frame's content. */
  readonly message: string;
  /** The frame's content length in bytes. */
  readonly length: number;
}

/**
 * A length prefix the stream cannot recover from (over the maximum); the connection must close.
 */
export interface FatalFrameError {
  readonly reason: 'too-large';
  readonly message: string;
  readonly length: number;
  readonly maxFrameBytes: number;
}

/** Where FrameDecoder's results go: each message, each skipped frame, a fatal error. */
export interface FrameDecoderHandlers {
  /** A decoded frame: a JSON object (not an array, not null), and its content length in bytes. */
  readonly onMessage: (message: Record<string, unknown>, bytes: number) => void;
  /** A frame that was dropped; decoding goes on with the next one. */
  readonly onBadFrame?: (bad: BadFrame) => void;
  /** The stream cannot go on; the connection should be closed. Called at most once. */
  readonly onFatal?: (error: FatalFrameError) => void;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Cuts a byte stream into length-prefixed JSON frames, however the bytes arrive; bounded by
 * maxFrameBytes. Never throws: bad frames and fatal errors go to its handlers.
 */
export class FrameDecoder {
  readonly #byteOrder: ByteOrder;
  readonly #maxFrameBytes: number;
  readonly #handlers: FrameDecoderHandlers;
  #chunks: Buffer[] = [];
  #buffered = 0;
  #failed = false;

  constructor(handlers: FrameDecoderHandlers, options: FrameOptions = {}) {
    this.#handlers = handlers;
    this.#byteOrder = options.byteOrder ?? 'big-endian';
    this.#maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** True once a fatal error was reported; later input is ignored. */
  get failed(): boolean {
    return this.#failed;
  }

  /** Bytes held for a frame not yet complete. */
  get bufferedBytes(): number {
    return this.#buffered;
  }

  /** Feeds one read. Handlers run synchronously, in frame order. */
  push(chunk: Uint8Array): void {
    if (this.#failed || chunk.length === 0) return;
    this.#chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    this.#buffered += chunk.length;
    while (!this.#failed && this.#buffered >= FRAME_HEADER_BYTES) {
      const length = readLength(this.#peek(FRAME_HEADER_BYTES), this.#byteOrder);
      if (length > this.#maxFrameBytes) {
        this.#fail(length);
        return;
      }
      if (this.#buffered < FRAME_HEADER_BYTES + length) return;
      const frame = this.#take(FRAME_HEADER_BYTES + length);
      this.#deliver(frame.subarray(FRAME_HEADER_BYTES));
    }
  }

  /** Drops what is buffered (a connection ended); the decoder can be reused for a new stream. */
  reset(): void {
    this.#chunks = [];
    this.#buffered = 0;
    this.#failed = false;
  }

  #deliver(content: Buffer): void {
    let text: string;
    try {
      text = utf8.decode(content);
    } catch {
      this.#bad('not-utf8', 'the frame is not valid UTF-8', content.length);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#bad('not-json', 'the frame is not valid JSON', content.length);
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      this.#bad('not-object', `the frame holds ${what}, not a JSON object`, content.length);
      return;
    }
    this.#handlers.onMessage(value as Record<string, unknown>, content.length);
  }

  #bad(reason: BadFrameReason, message: string, length: number): void {
    this.#handlers.onBadFrame?.({ reason, message: `${message}; dropped (${length} bytes)`, length });
  }

  #fail(length: number): void {
    this.#failed = true;
    this.#chunks = [];
    this.#buffered = 0;
    this.#handlers.onFatal?.({
      reason: 'too-large',
      length,
      maxFrameBytes: this.#maxFrameBytes,
      message:
        `a frame announced ${length} bytes, over the limit of ${this.#maxFrameBytes} bytes; ` +
        'the stream cannot be resynchronised, so the connection is closed',
    });
  }

  /** The first `count` buffered bytes, without consuming them. */
  #peek(count: number): Buffer {
    const first = this.#chunks[0]!;
    if (first.length >= count) return first;
    return Buffer.concat(this.#chunks, this.#buffered).subarray(0, count);
  }

  /** Removes and returns the first `count` buffered bytes. */
  #take(count: number): Buffer {
    const first = this.#chunks[0]!;
    let taken: Buffer;
    if (first.length >= count) {
      taken = first.subarray(0, count);
      if (first.length === count) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(count);
    } else {
      const joined = Buffer.concat(this.#chunks, this.#buffered);
      taken = joined.subarray(0, count);
      this.#chunks = joined.length > count ? [joined.subarray(count)] : [];
    }
    this.#buffered -= count;
    return taken;
  }
}
