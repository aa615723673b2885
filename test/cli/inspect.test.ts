/** --inspect on the demo: the Stately transport to a loopback WebSocket receiver, and the local page. */
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { collectingIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';

let receiver: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

describe('demo --inspect', () => {
  it('=stately=URL sends the legs\' inspection events and the traffic to that WebSocket', async () => {
    receiver = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => receiver!.once('listening', () => resolve()));
    const port = (receiver.address() as { port: number }).port;
    const received: string[] = [];
    receiver.on('connection', (socket) => socket.on('message', (data) => received.push(String(data))));
    const io = collectingIo();
    const code = await runCli(['demo', '--json', `--inspect=stately=ws://127.0.0.1:${port}`], io);
    expect(code).toBe(0);
    expect(io.err()).toBe(`inspector: ws://127.0.0.1:${port}\n`);
    const text = received.join('\n');
    expect(text).toContain('@xstate.actor');
    expect(text).toContain('@xstate.snapshot');
    expect(text).toContain('bridge->client');
    expect(text).toContain('phone->client');
  });

  it('(local) serves the page, leaves a call live for it, and closes on the signal', async () => {
    const stop = new AbortController();
    let live: { target: string; inspectorUrl: string; hold: () => Promise<unknown> } | undefined;
    let announce: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (announce = resolve));
    const io = collectingIo({
      signal: stop.signal,
      onDemoLive: ({ simulator, target, inspectorUrl }) => {
        live = { target, inspectorUrl, hold: () => simulator.request(target, 'hold') };
        announce();
      },
    });
    const demo = runCli(['demo', '--inspect'], io);
    await ready;
    const page = await fetch(live!.inspectorUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>cti-conversation inspector</title>');
    const response = (await live!.hold()) as { header: { result: string } };
    expect(response.header.result).toBe('SUCCESS');
    stop.abort();
    expect(await demo).toBe(0);
    expect(io.out()).toMatch(/live-1 +client→bridge +event +held/);
  });
});
