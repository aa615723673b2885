/** The batching frame writer: one socket write per turn, same bytes as frame-by-frame encoding. */
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { encodeFrame, FrameDecoder, FrameTooLargeError, FrameWriter } from '../../src/wire/index.js';

function socketWithWrites(): { socket: PassThrough; writes: Buffer[] } {
  const socket = new PassThrough();
  const writes: Buffer[] = [];
  const write = socket.write.bind(socket);
  vi.spyOn(socket, 'write').mockImplementation(((chunk: Buffer, callback?: () => void) => {
    writes.push(Buffer.from(chunk));
    return write(chunk, callback);
  }) as typeof socket.write);
  return { socket, writes };
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const messages = [{ header: { name: 'a' }, body: {} }, { header: { name: 'ü€😀' }, body: { n: 1 } }, { header: { name: 'c' }, body: { list: [1, 2] } }];

describe('FrameWriter', () => {
  it('frames sent in one turn, promise jobs included, leave in one write holding the frames encodeFrame would make, in order', async () => {
    const { socket, writes } = socketWithWrites();
    const handedOver = vi.fn();
    const writer = new FrameWriter(socket, {}, { handedOver });
    writer.send(messages[0]);
    queueMicrotask(() => writer.send(messages[1]));
    await Promise.resolve().then(() => writer.send(messages[2]));
    expect(writes).toHaveLength(0);
    expect(writer.queuedBytes).toBe(messages.reduce((sum, m) => sum + encodeFrame(m).length, 0));
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(writes[0]).toEqual(Buffer.concat(messages.map((m) => encodeFrame(m))));
    expect([writer.queuedBytes, handedOver.mock.calls.length]).toEqual([0, 1]);
    writer.send(messages[0]);
    await nextTurn();
    expect(writes).toHaveLength(2);
  });

  it('writes the byte order it is given, and the decoder reads the batch back', async () => {
    const { socket, writes } = socketWithWrites();
    const writer = new FrameWriter(socket, { byteOrder: 'little-endian' });
    for (const m of messages) writer.send(m);
    writer.flush();
    expect(writes[0]).toEqual(Buffer.concat(messages.map((m) => encodeFrame(m, { byteOrder: 'little-endian' }))));
    const decoded: unknown[] = [];
    new FrameDecoder({ onMessage: (m) => decoded.push(m) }, { byteOrder: 'little-endian' }).push(writes[0]!);
    expect(decoded).toEqual(messages);
  });

  it('returns an error at once, and queues nothing, for a frame over the limit, an unserialisable value or no JSON value', () => {
    const { socket, writes } = socketWithWrites();
    const writer = new FrameWriter(socket, { maxFrameBytes: 20 });
    expect(writer.send({ text: 'x'.repeat(30) })).toBeInstanceOf(FrameTooLargeError);
    const cycle: Record<string, unknown> = {};
    cycle['self'] = cycle;
    expect(writer.send(cycle)).toBeInstanceOf(TypeError);
    expect(writer.send(undefined)).toBeInstanceOf(TypeError);
    expect(writer.send({ a: 1 })).toBe(4 + 7);
    expect(writer.queuedBytes).toBe(11);
    writer.flush();
    expect(writes).toEqual([encodeFrame({ a: 1 })]);
  });

  it('refuses frames once the socket is gone and drops a batch whose socket went before the flush', async () => {
    const { socket, writes } = socketWithWrites();
    const writer = new FrameWriter(socket);
    writer.send({ a: 1 });
    socket.destroy();
    expect(writer.send({ b: 2 })).toBeInstanceOf(Error);
    await nextTurn();
    expect([writes.length, writer.queuedBytes]).toEqual([0, 0]);
  });
});
