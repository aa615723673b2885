/**
 * Backpressure: a bridge that stops reading makes the client's unsent bytes pile up; past the
 * high-water mark the client stops reading requests, and if the bridge does not catch up within
 * the limit the client closes the connection and reconnects. Requests with long targets (echoed
 * in every response) fill the socket buffers quickly; batches go out until the client reports
 * the pause, each batch awaited until the client has read it (no sleeping).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from './helpers/call-rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  rig?.sim.resumeReading();
  await rig?.stop();
  rig = undefined;
});

const LONG_TARGET = `${'X'.repeat(50_000)}.nope`;

async function fillUntilPaused(r: Rig, received: () => number, readAll: (count: number) => Promise<void>): Promise<Promise<unknown>[]> {
  const responses: Promise<unknown>[] = [];
  const paused = r.diagnostic('backpressure-paused').then(() => 'paused' as const);
  for (let batch = 0; batch < 1000; batch++) {
    for (let i = 0; i < 20; i++) responses.push(r.sim.request(LONG_TARGET, 'hold').catch((e: unknown) => e));
    const outcome = await Promise.race([paused, readAll(responses.length).then(() => 'read' as const)]);
    if (outcome === 'paused') return responses;
  }
  throw new Error(`no backpressure after ${responses.length} requests (${received()} read)`);
}

function trafficCounter() {
  let received = 0;
  let waiters: { count: number; resolve: () => void }[] = [];
  return {
    onTraffic: (entry: { direction: string }) => {
      if (entry.direction !== 'bridge→client') return;
      received++;
      waiters = waiters.filter((w) => (received >= w.count ? (w.resolve(), false) : true));
    },
    received: () => received,
    readAll: (count: number) => new Promise<void>((resolve) => (received >= count ? resolve() : waiters.push({ count, resolve }))),
  };
}

describe('backpressure', () => {
  it('stops reading above the high-water mark and reads again once the bridge catches up', async () => {
    const counter = trafficCounter();
    rig = await startRig({ client: { highWaterMarkBytes: 64 * 1024, backpressureLimitMs: 3_600_000, onTraffic: counter.onTraffic } });
    rig.sim.pauseReading();
    const responses = await fillUntilPaused(rig, counter.received, counter.readAll);
    rig.sim.resumeReading();
    await rig.diagnostic('backpressure-resumed');
    const answered = await Promise.all(responses);
    for (const response of answered) {
      expect((response as { header: { errorMessage: string } }).header.errorMessage).toBe('hold: the phone has no call leg "nope" (unknown leg)');
    }
    expect(rig.sim.connectionCount).toBe(1);
    expect(rig.sim.report().violations).toEqual([]);
  });

  it('closes the connection when the bridge stays behind past the limit, then reconnects', async () => {
    const counter = trafficCounter();
    rig = await startRig({ client: { highWaterMarkBytes: 64 * 1024, backpressureLimitMs: 20, onTraffic: counter.onTraffic } });
    rig.sim.pauseReading();
    await fillUntilPaused(rig, counter.received, counter.readAll);
    const timeout = await rig.diagnostic('backpressure-timeout');
    expect(timeout.level).toBe('error');
    expect(timeout.message).toMatch(/^the bridge has not read for 20 ms \(\d+ bytes waiting\); closing the connection$/);
    rig.sim.resumeReading();
    await rig.sim.waitForConnection(2);
    expect((await rig.diagnostic('disconnected')).message).toContain('the bridge read nothing for 20 ms');
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    expect((await rig.sim.init('A.leg-1')).header.result).toBe('SUCCESS');
  });
});
