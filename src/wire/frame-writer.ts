/**
 * A batching frame writer. Frames sent during one turn of the event loop (the answers to every
 * frame of one read, typically) leave in one socket write: one buffer, one syscall, instead of one
 * per frame. Each message is serialised once, straight into that buffer; nothing is copied twice.
 *
 * The batch is written on `process.nextTick`, which Node runs after the promise jobs of the current
 * turn have drained, so answers settled by promises in that turn still join the batch. A frame is
 * checked when it is sent (serialisable, under the size limit) and the error returned then; the
 * owner calls `flush()` before it ends the socket so nothing queued is lost on a graceful close.
 */
import type { Duplex } from 'node:stream';
import { FrameTooLargeError } from './encode-frame.js';
import { DEFAULT_MAX_FRAME_BYTES, FRAME_HEADER_BYTES, type ByteOrder, type FrameOptions } from './frame-options.js';

/** What a FrameWriter tells its owner about each batch (both optional; the bridge connection uses them for backpressure). */
export interface FrameWriterHooks {
  /** After a batch was handed to the socket (its bytes now count in `socket.writableLength`). */
  readonly handedOver?: () => void;
  /** After a batch has left the socket's buffer (the write callback). */
  readonly written?: () => void;
}

/**
 * Writes frames to a socket, batched per turn of the event loop (the file's header says how).
 * `send(message)` queues one and returns its size or an Error, never throwing; `flush()` writes
 * the batch at once (call it before ending the socket). Options: `byteOrder` (default
 * 'big-endian') and the size limit (`maxSendBytes`, else `maxFrameBytes`, default 1 MiB).
 *
 * @example
 * const writer = new FrameWriter(socket, { maxFrameBytes: 64 * 1024 });
 * const sent = writer.send({ header, body });
 * if (sent instanceof Error) console.warn(`not sent: ${sent.message}`);
 */
export class FrameWriter {
  readonly #socket: Duplex;
  readonly #byteOrder: ByteOrder;
  readonly #maxFrameBytes: number;
  readonly #hooks: FrameWriterHooks;
  #texts: string[] = [];
  #lengths: number[] = [];
  #bytes = 0;
  #scheduled = false;
  readonly #flushNow = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  constructor(socket: Duplex, options: FrameOptions = {}, hooks: FrameWriterHooks = {}) {
    this.#socket = socket;
    this.#byteOrder = options.byteOrder ?? 'big-endian';
    // An answer may be larger than the frame it answers (frame-options.ts, headroom).
    this.#maxFrameBytes = options.maxSendBytes ?? options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.#hooks = hooks;
  }

  /** Bytes queued in this writer and not yet handed to the socket. */
  get queuedBytes(): number {
    return this.#bytes;
  }

  /**
   * Queues one message as a frame. Returns the frame's size in bytes, or an Error (socket gone,
   * not serialisable, over the limit) without throwing; nothing is queued on an error.
   */
  send(message: unknown): number | Error {
    if (this.#socket.destroyed || !this.#socket.writable) return new Error('the connection is closed');
    let text: string | undefined;
    try {
      text = JSON.stringify(message);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
    if (text === undefined) return new TypeError('a frame must hold a JSON value');
    const length = Buffer.byteLength(text, 'utf8');
    if (length > this.#maxFrameBytes) return new FrameTooLargeError(length, this.#maxFrameBytes);
    this.#texts.push(text);
    this.#lengths.push(length);
    this.#bytes += FRAME_HEADER_BYTES + length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      process.nextTick(this.#flushNow);
    }
    return FRAME_HEADER_BYTES + length;
  }

  /** Writes what is queued now, in one write. Dropped if the socket has gone meanwhile. */
  flush(): void {
    if (this.#bytes === 0) return;
    const texts = this.#texts;
    const lengths = this.#lengths;
    const buffer = Buffer.allocUnsafe(this.#bytes);
    this.#texts = [];
    this.#lengths = [];
    this.#bytes = 0;
    if (this.#socket.destroyed || !this.#socket.writable) return;
    const littleEndian = this.#byteOrder === 'little-endian';
    let offset = 0;
    for (let i = 0; i < texts.length; i += 1) {
      const length = lengths[i]!;
      if (littleEndian) buffer.writeUInt32LE(length, offset);
      else buffer.writeUInt32BE(length, offset);
      buffer.write(texts[i]!, offset + FRAME_HEADER_BYTES, length, 'utf8');
      offset += FRAME_HEADER_BYTES + length;
    }
    this.#socket.write(buffer, this.#hooks.written);
    this.#hooks.handedOver?.();
  }
}
