import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  encodeFrame,
  frameBytes,
  FrameDecoder,
  FrameTooLargeError,
  type BadFrame,
  type FatalFrameError,
} from '../../src/wire/index.js';

function collect(options?: ConstructorParameters<typeof FrameDecoder>[1]) {
  const messages: unknown[] = [];
  const bad: BadFrame[] = [];
  const fatal: FatalFrameError[] = [];
  const decoder = new FrameDecoder(
    {
      onMessage: (m) => messages.push(m),
      onBadFrame: (b) => bad.push(b),
      onFatal: (f) => fatal.push(f),
    },
    options,
  );
  return { decoder, messages, bad, fatal };
}

const hello = { header: { type: 'cti.event', name: 'conversation.ringing', target: 'A.leg-1' }, body: {} };

describe('encodeFrame', () => {
  it('writes a big-endian length that does not count itself, then UTF-8 JSON', () => {
    const frame = encodeFrame({ n: 'é' });
    const json = Buffer.from('{"n":"é"}', 'utf8');
    expect(frame.readUInt32BE(0)).toBe(json.length);
    expect(frame.subarray(4).equals(json)).toBe(true);
  });

  it('writes a little-endian length when asked', () => {
    const frame = encodeFrame({}, { byteOrder: 'little-endian' });
    expect([...frame.subarray(0, 4)]).toEqual([2, 0, 0, 0]);
  });

  it('refuses content over the limit', () => {
    expect(() => encodeFrame({ s: 'x'.repeat(20) }, { maxFrameBytes: 10 })).toThrow(FrameTooLargeError);
  });
});

describe('FrameDecoder', () => {
  it('decodes many frames in one read', () => {
    const { decoder, messages } = collect();
    decoder.push(Buffer.concat([encodeFrame(hello), encodeFrame({ a: 1 }), encodeFrame({ b: [2] })]));
    expect(messages).toEqual([hello, { a: 1 }, { b: [2] }]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('decodes a frame that arrives one byte at a time', () => {
    const { decoder, messages } = collect();
    const frame = encodeFrame(hello);
    for (const byte of frame) decoder.push(Buffer.from([byte]));
    expect(messages).toEqual([hello]);
  });

  it('decodes little-endian frames when configured so', () => {
    const { decoder, messages } = collect({ byteOrder: 'little-endian' });
    decoder.push(encodeFrame(hello, { byteOrder: 'little-endian' }));
    expect(messages).toEqual([hello]);
  });

  it('decodes any sequence of frames cut at any points (property)', () => {
    const message = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 8 }), fc.array(fc.nat(), { maxLength: 10 }), (msgs, cuts) => {
        const stream = Buffer.concat(msgs.map((m) => encodeFrame(m)));
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const { decoder, messages, bad } = collect();
        let from = 0;
        for (const point of [...points, stream.length]) {
          decoder.push(stream.subarray(from, point));
          from = point;
        }
        expect(bad).toEqual([]);
        // JSON round trip normalises -0 and the like, as the wire does.
        expect(messages).toEqual(msgs.map((m) => JSON.parse(JSON.stringify(m))));
      }),
    );
  });

  it('reports a non-JSON frame, drops it and decodes the next one', () => {
    const { decoder, messages, bad } = collect();
    decoder.push(Buffer.concat([frameBytes(Buffer.from('{not json')), encodeFrame(hello)]));
    expect(bad.map((b) => b.reason)).toEqual(['not-json']);
    expect(bad[0]!.message).not.toContain('{not json');
    expect(messages).toEqual([hello]);
  });

  it('reports frames that are JSON but not objects, and bytes that are not UTF-8', () => {
    const { decoder, messages, bad } = collect();
    decoder.push(
      Buffer.concat([
        encodeFrame([1, 2]),
        encodeFrame(null),
        encodeFrame('text'),
        encodeFrame(42),
        frameBytes(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])),
        frameBytes(Buffer.alloc(0)),
        encodeFrame(hello),
      ]),
    );
    expect(bad.map((b) => b.reason)).toEqual(['not-object', 'not-object', 'not-object', 'not-object', 'not-utf8', 'not-json']);
    expect(bad[0]!.message).toContain('an array');
    expect(messages).toEqual([hello]);
  });

  it('treats a length over the limit as fatal, once, and ignores what follows', () => {
    const { decoder, messages, fatal } = collect({ maxFrameBytes: 100 });
    const header = Buffer.alloc(4);
    header.writeUInt32BE(0xffffffff, 0);
    decoder.push(Buffer.concat([encodeFrame({ ok: 1 }), header, encodeFrame(hello)]));
    decoder.push(encodeFrame(hello));
    expect(messages).toEqual([{ ok: 1 }]);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ reason: 'too-large', length: 0xffffffff, maxFrameBytes: 100 });
    expect(fatal[0]!.message).toContain('over the limit of 100 bytes');
    expect(decoder.failed).toBe(true);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('accepts a frame exactly at the limit and refuses one byte more', () => {
    const content = Buffer.from(JSON.stringify({ s: 'x'.repeat(50) }));
    const ok = collect({ maxFrameBytes: content.length });
    ok.decoder.push(frameBytes(content));
    expect(ok.messages).toHaveLength(1);
    const tooBig = collect({ maxFrameBytes: content.length - 1 });
    tooBig.decoder.push(frameBytes(content).subarray(0, 4));
    expect(tooBig.fatal).toHaveLength(1);
  });

  it('garbage bytes read as a length: a small one drops a frame, a huge one is fatal', () => {
    const { decoder, bad, fatal } = collect();
    decoder.push(Buffer.from([0, 0, 0, 3, 0x01, 0x02, 0x03]));
    expect(bad.map((b) => b.reason)).toEqual(['not-json']);
    decoder.push(Buffer.from('GET / HTTP/1.1\r\n'));
    expect(fatal).toHaveLength(1);
  });

  it('never throws on arbitrary bytes in arbitrary reads, and stops at the first fatal length (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (reads) => {
        const { decoder, fatal } = collect({ maxFrameBytes: 32 });
        for (const read of reads) expect(() => decoder.push(read)).not.toThrow();
        expect(fatal.length).toBeLessThanOrEqual(1);
        if (fatal.length === 1) expect(decoder.bufferedBytes).toBe(0);
        else expect(decoder.bufferedBytes).toBeLessThanOrEqual(4 + 32);
      }),
    );
  });
});
