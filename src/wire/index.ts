/** The wire: length-prefixed UTF-8 JSON frames (a 4-byte length, then that many bytes of JSON). */
export {
  DEFAULT_MAX_FRAME_BYTES,
  FRAME_HEADER_BYTES,
  OUTBOUND_HEADROOM_BYTES,
  type ByteOrder,
  type FrameOptions,
} from './frame-options.js';
export { encodeFrame, frameBytes, FrameTooLargeError } from './encode-frame.js';
export {
  FrameDecoder,
  type BadFrame,
  type BadFrameReason,
  type FatalFrameError,
  type FrameDecoderHandlers,
} from './frame-decoder.js';
export { attachFrameSocket, type FrameSocket, type FrameSocketHandlers } from './frame-socket.js';
export { FrameWriter, type FrameWriterHooks } from './frame-writer.js';
