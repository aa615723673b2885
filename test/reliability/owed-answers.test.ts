/**
 * Every owed answer goes out, once, whatever the frame held: the inputs that once got no answer
 * (a FAILURE that repeated a huge name outgrew the frame limit), each sent alone, each counted.
 * Every answer passes the generated outbound validator and fits the frame limit plus the headroom.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { validateOutbound } from '../../generated/validators.js';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { DEFAULT_MAX_FRAME_BYTES, OUTBOUND_HEADROOM_BYTES } from '../../src/wire/index.js';
import { frame, startHostileBridge, type HostileBridge, type Wire } from '../support/hostile-bridge.js';

let bridge: HostileBridge | undefined;
let client: BridgeClient | undefined;
let phone: SimulatedPhone | undefined;

afterEach(async () => {
  await client?.close();
  await phone?.close();
  await bridge?.close();
  client = phone = bridge = undefined;
});

async function setUp(): Promise<{ bridge: HostileBridge; client: BridgeClient; phone: SimulatedPhone }> {
  bridge = await startHostileBridge();
  phone = new SimulatedPhone();
  phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
  client = createBridgeClient({ host: bridge.host, port: bridge.port, phone, reconnect: { initialDelayMs: 1, maxDelayMs: 20 } });
  await bridge.waitForConnection();
  return { bridge, client, phone };
}

const request = (name: string, target: string, requestId: string, body: unknown = {}) => ({
  header: { type: 'cti.request', name, target, requestId },
  body,
});

/** Sends one frame and waits for exactly one answer, then a little longer for a second that must not come. */
async function answerTo(b: HostileBridge, message: { header: { requestId: string } }): Promise<Wire> {
  const bytes = frame(message);
  expect(bytes.length - 4).toBeLessThanOrEqual(DEFAULT_MAX_FRAME_BYTES);
  b.write(bytes);
  const id = message.header.requestId;
  await b.waitUntil(() => b.answerCount(id) >= 1);
  // A marker frame behind it: once the marker is answered, a duplicate would have arrived.
  const marker = `marker-${id.slice(0, 16)}-${Math.random()}`;
  b.send(request('conversation.request.hold', 'A.nope', marker));
  await b.waitUntil(() => b.answerCount(marker) === 1);
  expect(b.answerCount(id)).toBe(1);
  const answer = b.answers.get(id)![0]!;
  expect(validateOutbound(answer).ok).toBe(true);
  expect(Buffer.byteLength(JSON.stringify(answer))).toBeLessThanOrEqual(DEFAULT_MAX_FRAME_BYTES + OUTBOUND_HEADROOM_BYTES);
  expect(String(answer.header['errorMessage'] ?? '').length).toBeLessThanOrEqual(2048);
  return answer;
}

describe('every owed answer goes out exactly once', () => {
  it('a 300,000-character name without dots: FAILURE for the name, echoing the header as received', async () => {
    const { bridge: b, client: c } = await setUp();
    const name = 'n'.repeat(300_000);
    const answer = await answerTo(b, request(name, 'A.leg-1', 'r-1'));
    expect(answer.header).toMatchObject({ type: 'cti.response', result: 'FAILURE', name, target: 'A.leg-1', requestId: 'r-1' });
    expect(answer.header['errorMessage']).toMatch(/^header\.name must be 1 to 128 characters long \(it has 300000\): "n{64}…\(\+299936 chars\)"$/);
    expect(c.counters.namesTooLong).toBe(1);
  });

  it('conversation.request. + 600,000 characters on an unknown leg', async () => {
    const { bridge: b } = await setUp();
    const name = `conversation.request.${'x'.repeat(600_000)}`;
    const answer = await answerTo(b, request(name, 'A.unknown', 'r-2'));
    expect(answer.header).toMatchObject({ result: 'FAILURE', name, target: 'A.unknown', requestId: 'r-2' });
  });

  it('conversation.request. + 1,047,000 characters on an initialised leg, the frame under 1 MiB', async () => {
    const { bridge: b } = await setUp();
    b.send({ header: { type: 'cti.query', name: 'conversation.query.init', target: 'A.leg-1', requestId: 'i-1' }, body: {} });
    await b.waitUntil(() => b.answerCount('i-1') === 1);
    const name = `conversation.request.${'x'.repeat(1_047_000)}`;
    const answer = await answerTo(b, request(name, 'A.leg-1', 'r-3'));
    expect(answer.header).toMatchObject({ result: 'FAILURE', name, requestId: 'r-3' });
  });

  it('a frame of exactly 1 MiB whose requestId fills it, on an unknown leg, a disposed-less leg and an unknown destination: the answer fits', async () => {
    const { bridge: b } = await setUp();
    for (const [name, target] of [
      ['conversation.request.hold', 'A.nope\u0000\n'],
      ['interaction.request.accept', 'A.leg-1'],
      ['conversation.request.hold', `A.${'y'.repeat(64)}`],
    ] as const) {
      const bare = JSON.stringify(request(name, target, ''));
      // Control characters inbound are escaped as \uXXXX (6 bytes): the answer escapes them no longer.
      const fill = DEFAULT_MAX_FRAME_BYTES - Buffer.byteLength(bare) - 6 * 10;
      const requestId = `${'\u0001'.repeat(10)}${'q'.repeat(fill)}`;
      const message = request(name, target, requestId);
      expect(Buffer.byteLength(JSON.stringify(message))).toBe(DEFAULT_MAX_FRAME_BYTES);
      const answer = await answerTo(b, message);
      expect(answer.header).toMatchObject({ result: 'FAILURE', name, target, requestId });
    }
  });

  it('on an initialised leg, a requestId and a target far over their limits: the destination answers once, within the headroom', async () => {
    const { bridge: b } = await setUp();
    b.send({ header: { type: 'cti.query', name: 'conversation.query.init', target: 'A.leg-1', requestId: 'i-1' }, body: {} });
    await b.waitUntil(() => b.answerCount('i-1') === 1);
    const longId = 'r'.repeat(1_000_000);
    expect((await answerTo(b, request('conversation.request.hold', 'A.leg-1', longId))).header).toMatchObject({ result: 'FAILURE', requestId: longId });
    const longTarget = `${'T'.repeat(1_000_000)}.leg-1`;
    expect((await answerTo(b, request('conversation.request.hold', longTarget, 'r-6'))).header).toMatchObject({ result: 'FAILURE', target: longTarget });
  });

  it('a huge target on an unknown leg: the errorMessage quotes at most 64 characters of it, escaped', async () => {
    const { bridge: b } = await setUp();
    const target = `A.${'\n'.repeat(10)}${'z'.repeat(900_000)}`;
    const answer = await answerTo(b, request('conversation.request.hold', target, 'r-5'));
    expect(answer.header['target']).toBe(target);
    const errorMessage = String(answer.header['errorMessage']);
    expect(errorMessage).not.toMatch(/\n/);
    expect(errorMessage).toContain('\\n\\n');
    expect(errorMessage.length).toBeLessThan(200);
  });
});
