/**
 * The two sides the TCP benches compare, each connecting to the same bench bridge:
 * - the client: `createBridgeClient` serving a SimulatedPhone whose legs are all TALKING;
 * - the echo: the limit. A raw framed client that decodes each frame, parses it, answers it
 *   SUCCESS with the same name, target and requestId, encodes the answer and writes the answers
 *   of one read in one write. No destination, no validation, no phone.
 */
import net from 'node:net';
import { createBridgeClient, type BridgeClientOptions } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { encodeFrame, FrameDecoder } from '../../src/wire/index.js';
import type { BenchBridge } from './bridge.js';

export interface Contender {
  close(): Promise<void>;
}

/** A phone with `count` TALKING legs named l0, l1, … */
export async function talkingPhone(count: number): Promise<{ phone: SimulatedPhone; legIds: string[] }> {
  const phone = new SimulatedPhone();
  const legIds: string[] = [];
  const answers: Promise<void>[] = [];
  for (let i = 0; i < count; i += 1) {
    const leg = phone.ring({ number: `+1555${String(i).padStart(7, '0')}` }, { id: `l${i}` });
    legIds.push(leg.id);
    answers.push(leg.answer(new AbortController().signal));
  }
  await Promise.all(answers);
  return { phone, legIds };
}

export async function startClient(
  bridge: BenchBridge,
  phone: SimulatedPhone,
  extra: Partial<BridgeClientOptions> = {},
): Promise<Contender & { readonly client: ReturnType<typeof createBridgeClient> }> {
  const seen = bridge.connections;
  const client = createBridgeClient({
    host: '127.0.0.1',
    port: bridge.port,
    phone,
    reconnect: { initialDelayMs: 5, maxDelayMs: 50, jitter: 0 },
    ...extra,
  });
  await bridge.connectionAfter(seen);
  return { client, close: () => client.close() };
}

export async function startEcho(bridge: BenchBridge): Promise<Contender> {
  const seen = bridge.connections;
  const socket = net.connect({ host: '127.0.0.1', port: bridge.port });
  socket.setNoDelay(true);
  let batch: Buffer[] = [];
  const decoder = new FrameDecoder({
    onMessage: (message) => {
      const h = message['header'] as Record<string, unknown>;
      batch.push(
        encodeFrame({
          header: { type: 'cti.response', name: h['name'], target: h['target'], requestId: h['requestId'], result: 'SUCCESS' },
          body: {},
        }),
      );
    },
  });
  socket.on('data', (chunk) => {
    decoder.push(chunk);
    if (batch.length === 0) return;
    socket.write(batch.length === 1 ? batch[0]! : Buffer.concat(batch));
    batch = [];
  });
  socket.on('error', () => undefined);
  await bridge.connectionAfter(seen);
  return {
    close: () =>
      new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.destroy();
      }),
  };
}
