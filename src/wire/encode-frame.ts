/** The frame encoder: one message to one length-prefixed UTF-8 JSON frame. */
import {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  type FrameOptions,
  writeLength,
} from './frame-options.js';

/** A message whose encoded frame would exceed the maximum frame size; nothing was sent. */
export class FrameTooLargeError extends Error {
  constructor(
    readonly length: number,
    readonly maxFrameBytes: number,
  ) {
    super(`a frame of ${length} bytes is over the limit of ${maxFrameBytes} bytes`);
    this.name = 'FrameTooLargeError';
  }
}

/** Frames raw content bytes (already UTF-8). Throws FrameTooLargeError past the limit. */
export function frameBytes(content: Buffer, options: FrameOptions = {}): Buffer {
  const maxFrameBytes = options.maxSendBytes ?? options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (content.length > maxFrameBytes) throw new FrameTooLargeError(content.length, maxFrameBytes);
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + content.length);
  writeLength(frame, content.length, options.byteOrder ?? 'big-endian');
  content.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

/**
 * Encodes one message as a frame. Throws FrameTooLargeError when the JSON is over the limit (the
 * peer would drop the connection for it), and whatever JSON.stringify throws (cycles, BigInt).
 */
export function encodeFrame(message: unknown, options: FrameOptions = {}): Buffer {
  const json = JSON.stringify(message);
  if (json === undefined) throw new TypeError('a frame must hold a JSON value');
  const maxFrameBytes = options.maxSendBytes ?? options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const length = Buffer.byteLength(json, 'utf8');
  if (length > maxFrameBytes) throw new FrameTooLargeError(length, maxFrameBytes);
  // The JSON is written straight after the length: one buffer, no intermediate copy.
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length);
  writeLength(frame, length, options.byteOrder ?? 'big-endian');
  frame.write(json, FRAME_HEADER_BYTES, 'utf8');
  return frame;
}
