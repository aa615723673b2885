/**
 * Netstring framing (`<decimal length>:<payload>,`), the framing of baresip's ctrl_tcp module.
 */

/** A frame longer than this is treated as a broken stream rather than buffered without end. */
export const MAX_NETSTRING_BYTES = 4 * 1024 * 1024;

/**
 * A netstring from baresip's control port that cannot be read (bad length prefix, too long, no
 * trailing comma).
 */
export class NetstringError extends Error {
  override readonly name = 'NetstringError';
}

/** Frames text as a netstring (`LENGTH:TEXT,`), the framing of baresip's ctrl_tcp module. */
export function encodeNetstring(payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length}:`, 'ascii'), body, Buffer.from(',', 'ascii')]);
}

/** Collects chunks from a stream and yields whole payloads; throws NetstringError on bad framing. */
export class NetstringDecoder {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const payloads: string[] = [];
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) {
        if (this.buffer.length > 12) throw new NetstringError('netstring length prefix is too long');
        break;
      }
      const prefix = this.buffer.subarray(0, colon).toString('ascii');
      if (!/^(0|[1-9][0-9]{0,11})$/.test(prefix)) throw new NetstringError('netstring length prefix is not a number');
      const length = Number(prefix);
      if (length > MAX_NETSTRING_BYTES) throw new NetstringError('netstring frame is too long');
      const end = colon + 1 + length;
      if (this.buffer.length < end + 1) break;
      if (this.buffer[end] !== 0x2c) throw new NetstringError('netstring frame does not end with a comma');
      payloads.push(this.buffer.subarray(colon + 1, end).toString('utf8'));
      this.buffer = this.buffer.subarray(end + 1);
    }
    return payloads;
  }
}
