import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { collectingIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { createStatelyInspection, type StatelyInspection } from '../../src/inspector/stately.js';
import { miniMachine } from './fixtures/mini-machine.js';
import { startReceiver } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

const holdRequest = {
  header: { type: 'cti.request', name: 'conversation.request.hold', target: 'PB1.S.leg-1', requestId: 'r-7' },
  body: {},
};

describe('Stately transport (@statelyai/inspect WebSocket inspector)', () => {
  it('sends the actor, its events and snapshots, and recorded traffic to a WebSocket receiver', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const inspection: StatelyInspection = await createStatelyInspection(receiver.url);
    cleanups.push(() => inspection.close());

    const actor = createActor(miniMachine, { inspect: inspection.observerFor('leg-1') });
    actor.start();
    cleanups.push(() => void actor.stop());
    actor.send({ type: 'init' });
    actor.send({ type: 'phone.talking' });
    inspection.record({ leg: 'leg-1', direction: 'bridge->client', message: holdRequest });
    actor.send({ type: 'phone.held' });

    const registered = await receiver.log.next((message) => message.type === '@xstate.actor' && message.name === 'mini');
    expect(typeof registered.definition).toBe('string');
    expect(JSON.parse(registered.definition as string).id).toBe('mini');
    const held = await receiver.log.next(
      (message) =>
        message.type === '@xstate.snapshot' &&
        JSON.stringify((message.snapshot as { value?: unknown }).value) === JSON.stringify({ ready: { call: 'HELD', mute: 'unmuted', request: 'idle' } }),
    );
    expect(held.sessionId).toBe(registered.sessionId);
    const request = await receiver.log.next(
      (message) => message.type === '@xstate.event' && (message.event as { type: string }).type === 'bridge->client conversation.request.hold',
    );
    expect(request.sessionId).toBe(registered.sessionId);
    expect(request.sourceId).toBe('bridge');
    expect((request.event as { message: unknown }).message).toEqual(holdRequest);
    const bridge = await receiver.log.next((message) => message.type === '@xstate.actor' && message.sessionId === 'bridge');
    expect(bridge.name).toBe('bridge');
    // Order is kept: the recorded request arrives before the phone.held event that followed it.
    const types = receiver.log.messages
      .filter((message) => message.type === '@xstate.event')
      .map((message) => (message.event as { type: string }).type);
    expect(types.indexOf('bridge->client conversation.request.hold')).toBeLessThan(types.indexOf('phone.held'));
  });

  it('the same observer serves many legs, told apart by session id', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const inspection = await createStatelyInspection(receiver.url);
    cleanups.push(() => inspection.close());
    const first = createActor(miniMachine, { inspect: inspection.inspect }).start();
    const second = createActor(miniMachine, { inspect: inspection.inspect }).start();
    cleanups.push(() => void first.stop(), () => void second.stop());
    const seen = new Set<unknown>();
    await receiver.log.next((message) => {
      if (message.type === '@xstate.actor') seen.add(message.sessionId);
      return seen.size === 2;
    });
    expect(seen).toEqual(new Set([first.sessionId, second.sessionId]));
  });

  it('masks DTMF digits in recorded traffic and machine events', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const inspection = await createStatelyInspection(receiver.url);
    cleanups.push(() => inspection.close());
    const actor = createActor(miniMachine, { inspect: inspection.observerFor('leg-3') }).start();
    cleanups.push(() => void actor.stop());
    const dtmf = { header: { type: 'cti.request', name: 'conversation.request.senddtmf', target: 'T.leg-3', requestId: 'r-1' }, body: { digits: '4111' } };
    inspection.record({ leg: 'leg-3', direction: 'bridge->client', message: dtmf });
    actor.send({ type: 'request', name: 'senddtmf', digits: '4111' } as never);
    await receiver.log.next((message) => message.type === '@xstate.event' && (message.event as { type: string }).type === 'request');
    await receiver.log.next((message) => message.type === '@xstate.event' && (message.event as { type: string }).type.includes('senddtmf'));
    const text = JSON.stringify(receiver.log.messages);
    expect(text).not.toContain('4111');
    expect(text).toContain('[4 digits]');
  });

  it('lets the process exit after close() even when nothing listens at the URL', async () => {
    // A port that was free a moment ago: connecting to it is refused.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', () => resolve()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'test/inspector/fixtures/stately-unreachable.ts',
      `ws://127.0.0.1:${port}`,
    ]);
    expect(stdout).toBe('closed\n');
  });

  it('demo --inspect=stately=URL sends every leg of the day, with its traffic, and has sent it all when it returns', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const io = collectingIo();
    expect(await runCli(['demo', `--inspect=stately=${receiver.url}`], io)).toBe(0);
    expect(io.err()).toContain(`inspector: ${receiver.url}`);
    await receiver.disconnected;
    const legs = receiver.log.messages.filter((message) => message.type === '@xstate.actor' && message.name === 'conversation');
    expect(legs.length).toBeGreaterThanOrEqual(3);
    const eventTypes = receiver.log.messages
      .filter((message) => message.type === '@xstate.event')
      .map((message) => (message.event as { type: string }).type);
    expect(eventTypes).toContain('bridge->client conversation.query.init');
    expect(eventTypes).toContain('client->bridge conversation.query.init');
    expect(eventTypes).toContain('phone->client talking');
    expect(eventTypes).toContain('client->phone answer');
    // Every leg's actor came to its end (the client stops each destination).
    const stopped = new Set(
      receiver.log.messages
        .filter((message) => message.type === '@xstate.snapshot' && (message.snapshot as { status?: string }).status === 'stopped')
        .map((message) => message.sessionId),
    );
    for (const leg of legs) expect(stopped.has(leg.sessionId)).toBe(true);
  });

  it('rejects a URL that is not ws:// or wss:// with a clear error', async () => {
    await expect(createStatelyInspection('http://127.0.0.1:8080')).rejects.toThrow(/must start with ws:\/\/ or wss:\/\//);
    await expect(createStatelyInspection('not a url')).rejects.toThrow(/not a valid URL/);
  });

  it('ignores records it cannot use and sends nothing after close', async () => {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const inspection = await createStatelyInspection(receiver.url);
    const actor = createActor(miniMachine, { inspect: inspection.observerFor('leg-2') }).start();
    cleanups.push(() => void actor.stop());
    expect(() => inspection.record({ leg: 'leg-2', direction: 'sideways' as never, message: {} })).not.toThrow();
    expect(() => inspection.record(undefined as never)).not.toThrow();
    await receiver.log.next((message) => message.type === '@xstate.snapshot');
    await inspection.close();
    const count = receiver.log.messages.length;
    actor.send({ type: 'init' });
    inspection.record({ leg: 'leg-2', direction: 'phone->client', message: { type: 'held' } });
    // Nothing more can be awaited: prove the observer dropped the events instead of queueing them.
    await new Promise((resolve) => setImmediate(resolve));
    expect(receiver.log.messages.length).toBe(count);
    expect(receiver.log.messages.some((message) => message.type === '@xstate.event' && (message.event as { type: string }).type.includes('sideways'))).toBe(false);
  });
});
