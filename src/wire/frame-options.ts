/**
 * Options shared by the frame encoder and decoder. The framing: a 4-byte unsigned
 * length, then that many bytes of UTF-8 JSON. No real bridge has confirmed the byte order, so it
 * is an option; big-endian (network order, what Java's DataOutputStream.writeInt writes) is the default.
 */
export type ByteOrder = 'big-endian' | 'little-endian';

/** The largest frame content accepted by default: 1 MiB. */
export const DEFAULT_MAX_FRAME_BYTES = 1024 * 1024;

/**
 * How much larger than the inbound limit an answer may be. A FAILURE echoes the name, target and
 * requestId of what it answers (their JSON is never longer than it was inbound: JSON.stringify
 * writes each string in its shortest escaped form) and adds `"result":"FAILURE"`, an errorMessage
 * of at most 2048 characters (at most 6 bytes each, escaped) and `"body":{}`: under 12.5 KiB. So
 * an answer to any frame that fit inbound fits in the inbound limit plus this.
 */
export const OUTBOUND_HEADROOM_BYTES = 16 * 1024;

/** The length prefix is a 4-byte unsigned integer that does not count itself. */
export const FRAME_HEADER_BYTES = 4;

/**
 * Framing: byte order of the 4-byte length prefix (default big-endian) and the maximum frame size.
 */
export interface FrameOptions {
  /** Byte order of the 4-byte length; default big-endian. */
  readonly byteOrder?: ByteOrder;
  /** Largest frame content in bytes the peer may send; default 1 MiB. Also what we send, unless maxSendBytes says otherwise. */
  readonly maxFrameBytes?: number;
  /** Largest frame content in bytes we send; default maxFrameBytes. */
  readonly maxSendBytes?: number;
}

export function readLength(header: Buffer, byteOrder: ByteOrder): number {
  return byteOrder === 'little-endian' ? header.readUInt32LE(0) : header.readUInt32BE(0);
}

export function writeLength(target: Buffer, length: number, byteOrder: ByteOrder): void {
  if (byteOrder === 'little-endian') target.writeUInt32LE(length, 0);
  else target.writeUInt32BE(length, 0);
}
