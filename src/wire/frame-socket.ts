/**
 * Frames over a stream socket (net.Socket or tls.TLSSocket): decodes what the peer sends into
 * messages and encodes what we send. Both the bridge client and the bridge simulator use it.
 */
import type { Duplex } from 'node:stream';
import { encodeFrame } from './encode-frame.js';
import { FrameDecoder, type BadFrame, type FatalFrameError } from './frame-decoder.js';
import type { FrameOptions } from './frame-options.js';

/** Where a FrameSocket's frames and errors go. */
export interface FrameSocketHandlers {
  readonly onMessage: (message: Record<string, unknown>, bytes: number) => void;
  readonly onBadFrame: (bad: BadFrame) => void;
  /** After this the socket is destroyed: a stream with a bad length cannot be resynchronised. */
  readonly onFatal: (error: FatalFrameError) => void;
}

/** A net or TLS socket that sends and receives frames; send() reports errors instead of throwing. */
export interface FrameSocket {
  /**
   * Encodes and writes one message. Returns the number of bytes written, or an Error (too large,
   * not serialisable, socket gone) without throwing. `onFlushed` runs when the bytes left.
   */
  send(message: unknown, onFlushed?: () => void): number | Error;
  /** Writes bytes as they are (tests feed garbage this way). */
  sendBytes(bytes: Uint8Array): void;
  /** Stops listening to the socket; does not close it. */
  detach(): void;
}

/**
 * Frames a net or TLS socket: decodes what arrives into messages for the handlers, encodes what is
 * sent.
 */
export function attachFrameSocket(
  socket: Duplex,
  handlers: FrameSocketHandlers,
  options: FrameOptions = {},
): FrameSocket {
  const decoder = new FrameDecoder(
    {
      onMessage: handlers.onMessage,
      onBadFrame: handlers.onBadFrame,
      onFatal: (error) => {
        handlers.onFatal(error);
        socket.destroy();
      },
    },
    options,
  );
  const onData = (chunk: Buffer): void => decoder.push(chunk);
  socket.on('data', onData);
  return {
    send(message, onFlushed) {
      if (socket.destroyed || !socket.writable) return new Error('the connection is closed');
      let frame: Buffer;
      try {
        frame = encodeFrame(message, options);
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
      socket.write(frame, onFlushed ? () => onFlushed() : undefined);
      return frame.length;
    },
    sendBytes(bytes) {
      if (!socket.destroyed && socket.writable) socket.write(bytes);
    },
    detach() {
      socket.off('data', onData);
    },
  };
}
