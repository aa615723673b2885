/**
 * Fuzzing the framing: random byte streams and valid frames cut at random points, declared
 * lengths from 0 to 2^32−1, invalid UTF-8, non-objects. Invariants: the decoder never throws;
 * every complete frame within the limit is delivered (or reported bad) exactly once, in order;
 * a length over the limit is fatal once, allocates nothing for the frame, and silences the rest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameDecoder, OUTBOUND_HEADROOM_BYTES } from '../../src/wire/index.js';

const SEED = Number(process.env['CTI_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Math.max(50, Math.floor(Number(process.env['CTI_FUZZ_FRAMES'] ?? 100_000) / 200));

type Piece = { kind: 'message'; value: Record<string, unknown> } | { kind: 'bad'; bytes: Buffer } | { kind: 'length'; length: number };

const jsonObject = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 });
const badContent = fc.oneof(
  fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)),
  fc.constantFrom(Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('[1]'), Buffer.from('null'), Buffer.from('"s"'), Buffer.from('{'), Buffer.alloc(0)),
);
const piece: fc.Arbitrary<Piece> = fc.oneof(
  { weight: 6, arbitrary: jsonObject.map((value) => ({ kind: 'message' as const, value })) },
  { weight: 3, arbitrary: badContent.map((bytes) => ({ kind: 'bad' as const, bytes })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff_ffff }).map((length) => ({ kind: 'length' as const, length })) },
);

/** What the decoder makes of content: the object, or 'bad' (random bytes may happen to be `{}`). */
function asDecoded(content: Buffer): unknown {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(content));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : 'bad';
  } catch {
    return 'bad';
  }
}

function withLength(content: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(content.length, 0);
  return Buffer.concat([prefix, content]);
}

describe('fuzzing the framing', () => {
  it(`property: every complete frame within the limit is delivered or reported once, in order, whatever the cuts; a length over the limit is fatal once`, { timeout: 300_000 }, () => {
    console.log(`fuzz-framing: seed ${SEED}, ${RUNS} streams`);
    let frames = 0;
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 16, max: 4096 }), (pieces, cuts, limit) => {
        const expected: unknown[] = [];
        const parts: Buffer[] = [];
        let fatalAt: number | undefined;
        for (const p of pieces) {
          if (p.kind === 'message') {
            const bytes = encodeFrame(p.value, { maxFrameBytes: 0xffff_ffff });
            if (bytes.length - 4 > limit) {
              fatalAt ??= expected.length;
              parts.push(bytes);
              continue;
            }
            // What JSON can carry: -0 arrives as 0, so the expectation is the value after a JSON round trip.
            if (fatalAt === undefined) expected.push(JSON.parse(JSON.stringify(p.value)));
            parts.push(bytes);
          } else if (p.kind === 'bad') {
            if (p.bytes.length > limit) fatalAt ??= expected.length;
            else if (fatalAt === undefined) expected.push(asDecoded(p.bytes));
            parts.push(withLength(p.bytes));
          } else if (p.length === 0) {
            // A bare zero length is a complete frame with empty content: reported bad, and the stream goes on.
            if (fatalAt === undefined) expected.push('bad');
            parts.push(withLength(Buffer.alloc(0)));
          } else {
            // A bare length: a frame that announces it and never completes (or is fatal past the limit).
            const prefix = Buffer.alloc(4);
            prefix.writeUInt32BE(p.length, 0);
            parts.push(prefix);
            if (p.length > limit) fatalAt ??= expected.length;
            break; // nothing after a bare length can be framed
          }
        }
        const delivered: unknown[] = [];
        let fatal = 0;
        const decoder = new FrameDecoder(
          { onMessage: (m) => delivered.push(m), onBadFrame: () => delivered.push('bad'), onFatal: () => fatal++ },
          { maxFrameBytes: limit },
        );
        const stream = Buffer.concat(parts);
        let at = 0;
        for (let i = 0; at < stream.length; i++) {
          const next = Math.min(stream.length, at + cuts[i % cuts.length]!);
          decoder.push(stream.subarray(at, next));
          at = next;
        }
        frames += delivered.length;
        expect(delivered).toEqual(expected);
        expect(fatal).toBe(fatalAt === undefined ? 0 : 1);
        if (fatal) expect(decoder.bufferedBytes).toBe(0);
        else expect(decoder.bufferedBytes).toBeLessThanOrEqual(limit + 4);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    console.log(`fuzz-framing: ${frames} frames delivered or reported across ${RUNS} streams`);
  });

  it('property: random bytes in random reads never make the decoder throw, and it holds no more than one frame of bytes', { timeout: 300_000 }, () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 512 }), { maxLength: 30 }), (reads) => {
        const limit = 1024;
        const decoder = new FrameDecoder({ onMessage: () => undefined, onBadFrame: () => undefined, onFatal: () => undefined }, { maxFrameBytes: limit });
        for (const read of reads) {
          expect(() => decoder.push(read)).not.toThrow();
          expect(decoder.bufferedBytes).toBeLessThan(limit + 4 + 512);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('the largest lengths: 2^32−1 and the limit plus one are fatal at once, with nothing allocated; the limit itself is waited for', () => {
    for (const length of [0xffff_ffff, 0x8000_0000, 1024 * 1024 + 1]) {
      let fatal = 0;
      const decoder = new FrameDecoder({ onMessage: () => undefined, onFatal: () => fatal++ });
      const prefix = Buffer.alloc(4);
      prefix.writeUInt32BE(length, 0);
      decoder.push(prefix);
      decoder.push(Buffer.alloc(10));
      expect({ fatal, buffered: decoder.bufferedBytes }).toEqual({ fatal: 1, buffered: 0 });
    }
    const decoder = new FrameDecoder({ onMessage: () => undefined });
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(1024 * 1024, 0);
    decoder.push(prefix);
    expect(decoder.failed).toBe(false);
    expect(OUTBOUND_HEADROOM_BYTES).toBeGreaterThan(6 * 2048);
  });
});
