import { afterEach, describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { startLocalInspector, type LocalInspector } from '../../src/inspector/local-inspector.js';
import { miniMachine } from './fixtures/mini-machine.js';
import { connectClient } from './support.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function start(options: Parameters<typeof startLocalInspector>[0] = {}): Promise<LocalInspector> {
  const inspector = await startLocalInspector(options);
  cleanups.push(() => inspector.close());
  return inspector;
}

function wsUrl(inspector: LocalInspector): string {
  return `${inspector.url.replace('http://', 'ws://')}ws`;
}

const target = 'PB1.S-1.G-1.TEL.I-1.leg-1';
const holdRequest = { header: { type: 'cti.request', name: 'conversation.request.hold', target, requestId: 'r-7' }, body: {} };
const holdResponse = {
  header: { type: 'cti.response', name: 'conversation.request.hold', target, requestId: 'r-7', result: 'SUCCESS' },
  body: {},
};
const heldEvent = { header: { type: 'cti.event', name: 'conversation.held', target }, body: {} };

describe('local inspector', () => {
  it('serves the page and its script on 127.0.0.1 and a port of its own', async () => {
    const inspector = await start();
    expect(inspector.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(inspector.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('<title>cti-conversation inspector</title>');
    expect(html).not.toMatch(/src="https?:|href="https?:/);
    const script = await fetch(new URL('app.js', inspector.url));
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain("new WebSocket(");
    expect((await fetch(new URL('nothing-here', inspector.url))).status).toBe(404);
    expect((await fetch(new URL('api/legs/unknown', inspector.url))).status).toBe(404);
  });

  it('pushes legs, snapshots and a timeline of traffic with the transitions it caused', async () => {
    const inspector = await start();
    const page = await connectClient(wsUrl(inspector));
    cleanups.push(() => page.socket.terminate());
    await page.log.next((message) => message.type === 'legs');

    const actor = createActor(miniMachine, { inspect: inspector.observerFor('leg-1') }).start();
    cleanups.push(() => void actor.stop());
    actor.send({ type: 'init' });
    actor.send({ type: 'phone.talking' });

    // A hold request arrives, the client answers, the phone reports held and the client tells the bridge.
    inspector.record({ leg: 'leg-1', direction: 'bridge->client', message: holdRequest });
    actor.send({ type: 'request', name: 'hold' });
    inspector.record({ leg: 'leg-1', direction: 'client->phone', message: { operation: 'hold' } });
    await new Promise((resolve) => setImmediate(resolve));
    actor.send({ type: 'settled' });
    inspector.record({ leg: 'leg-1', direction: 'client->bridge', message: holdResponse });
    await new Promise((resolve) => setImmediate(resolve));
    inspector.record({ leg: 'leg-1', direction: 'phone->client', message: { type: 'held' } });
    actor.send({ type: 'phone.held' });
    inspector.record({ leg: 'leg-1', direction: 'client->bridge', message: heldEvent });

    const held = await page.log.next(
      (message) => message.type === 'state' && (message.active as string[]).includes('ready.call.HELD'),
    );
    expect(held.legId).toBe('leg-1');
    expect(held.context).toEqual({ muted: false, parties: ['+15550001'], inFlight: null });
    const legUpdate = await page.log.next(
      (message) => message.type === 'leg' && (message.leg as { target?: string }).target === target,
    );
    expect(legUpdate.leg).toMatchObject({ legId: 'leg-1', status: 'live' });

    page.socket.send(JSON.stringify({ type: 'select', legId: 'leg-1' }));
    const { detail } = (await page.log.next((message) => message.type === 'detail')) as {
      detail: { timeline: { kind: string; name: string; direction?: string; detail?: string; turn: number; transition?: { from: string[]; to: string[] } }[]; leaves: string[]; machineKey: string };
    };
    expect(detail.leaves).toEqual(['ready.call.HELD', 'ready.mute.unmuted', 'ready.request.idle']);
    const rows = detail.timeline.map((entry) => `${entry.direction ?? 'machine'} ${entry.name}`);
    expect(rows).toEqual([
      'machine xstate.init',
      'machine init',
      'machine phone.talking',
      'bridge->client conversation.request.hold',
      'machine request',
      'client->phone hold',
      'machine settled',
      'client->bridge conversation.request.hold',
      'phone->client held',
      'machine phone.held',
      'client->bridge conversation.held',
    ]);
    const request = detail.timeline[3];
    expect(request.detail).toBe('#r-7');
    const requestEvent = detail.timeline[4];
    expect(requestEvent.turn).toBe(request.turn);
    expect(requestEvent.transition).toEqual({ from: ['ready.request.idle'], to: ['ready.request.pending'] });
    const phoneHeld = detail.timeline[8];
    const machineHeld = detail.timeline[9];
    expect(machineHeld.turn).toBe(phoneHeld.turn);
    expect(machineHeld.transition).toEqual({ from: ['ready.call.TALKING'], to: ['ready.call.HELD'] });
    expect(detail.timeline[7].detail).toBe('#r-7 SUCCESS');

    // The statechart is served as SVG with an id per state for the page to highlight.
    const svg = await (await fetch(new URL(`api/machines/${detail.machineKey}.svg`, inspector.url))).text();
    expect(svg).toContain('id="state:ready.call.HELD"');
    const legs = (await (await fetch(new URL('api/legs', inspector.url))).json()) as { legId: string }[];
    expect(legs.map((leg) => leg.legId)).toEqual(['leg-1']);
  });

  it('keeps the last N ended legs viewable and forgets older ones', async () => {
    const inspector = await start({ historyLegs: 1 });
    const page = await connectClient(wsUrl(inspector));
    cleanups.push(() => page.socket.terminate());
    for (const legId of ['a', 'b']) {
      const actor = createActor(miniMachine, { inspect: inspector.observerFor(legId) }).start();
      actor.send({ type: 'dispose' });
    }
    const live = createActor(miniMachine, { inspect: inspector.observerFor('c') }).start();
    cleanups.push(() => void live.stop());
    await page.log.next((message) => message.type === 'forget' && message.legId === 'a');
    const legs = (await (await fetch(new URL('api/legs', inspector.url))).json()) as { legId: string; status: string }[];
    expect(legs).toEqual([
      expect.objectContaining({ legId: 'b', status: 'ended', leaves: ['disposed'] }),
      expect.objectContaining({ legId: 'c', status: 'live', leaves: ['awaitingInit'] }),
    ]);
    // An ended leg's detail stays viewable.
    const ended = (await (await fetch(new URL('api/legs/b', inspector.url))).json()) as { timeline: { name: string }[] };
    expect(ended.timeline.map((entry) => entry.name)).toEqual(['xstate.init', 'dispose']);
    // A stopped actor ends its leg too.
    live.stop();
    await page.log.next((message) => message.type === 'forget' && message.legId === 'b');
  });

  it('bounds each timeline and shrugs off bad records and unserialisable context', async () => {
    const inspector = await start({ timelineLimit: 3 });
    for (let index = 0; index < 5; index += 1) {
      inspector.record({ leg: 'x', direction: 'phone->client', message: { type: `event-${index}` } });
    }
    expect(() => inspector.record({ leg: 'x', direction: 'upwards' as never, message: {} })).not.toThrow();
    expect(() => inspector.record(null as never)).not.toThrow();
    // The transcript's arrow is understood too.
    inspector.record({ leg: 'x', direction: 'phone→client', message: { type: 'arrow' } });
    const cyclic: Record<string, unknown> = { type: 'cyclic' };
    cyclic.self = cyclic;
    inspector.record({ leg: 'x', direction: 'phone->client', message: cyclic });
    const detail = (await (await fetch(new URL('api/legs/x', inspector.url))).json()) as { timeline: { name: string; message: unknown }[] };
    expect(detail.timeline.map((entry) => entry.name)).toEqual(['event-4', 'arrow', 'cyclic']);
    expect(detail.timeline[1]).toMatchObject({ direction: 'phone->client' });
    expect(detail.timeline[2].message).toEqual({ type: 'cyclic', self: '[circular]' });
  });

  it('tells the call state a machine keeps in its context as part of each transition', async () => {
    const { assign, createActor: create, setup } = await import('xstate');
    const modelMachine = setup({
      types: { context: {} as { model: { state: string; muted: boolean; parties: { number: string }[] } }, events: {} as { type: 'phone'; state: string } },
    }).createMachine({
      id: 'model-in-context',
      context: { model: { state: 'TALKING', muted: false, parties: [{ number: '1' }] } },
      on: { phone: { actions: assign({ model: ({ context, event }) => ({ ...context.model, state: event.state }) }) } },
    });
    const inspector = await start();
    const actor = create(modelMachine, { inspect: inspector.observerFor('m') }).start();
    cleanups.push(() => void actor.stop());
    actor.send({ type: 'phone', state: 'HELD' });
    const detail = (await (await fetch(new URL('api/legs/m', inspector.url))).json()) as {
      call: string[];
      context: Record<string, unknown>;
      timeline: { name: string; transition?: unknown }[];
    };
    expect(detail.call).toEqual(['call.HELD']);
    expect(detail.context['call state']).toBe('HELD');
    expect(detail.timeline[1]).toMatchObject({ name: 'phone', transition: { from: ['call.TALKING'], to: ['call.HELD'] } });
  });

  it('shows the requests a live conversation leg would take now, and they follow its state', async () => {
    const { createConversationDestination } = await import('../../src/destination/index.js');
    const { SimulatedPhone } = await import('../../src/phone/simulated/index.js');
    const inspector = await start();
    const phone = new SimulatedPhone();
    cleanups.push(() => phone.close());
    const leg = phone.ring({ number: '+15550009' }, { id: 'leg-9' });
    const legTarget = 'PB1.S-1.G-1.TEL.I-1.leg-9';
    const destination = createConversationDestination({ leg, target: legTarget, send: () => undefined, inspect: inspector.observerFor('leg-9') });
    cleanups.push(() => destination.stop());
    const takes = async (): Promise<unknown> => {
      await new Promise((resolve) => setImmediate(resolve));
      const detail = (await (await fetch(new URL('api/legs/leg-9', inspector.url))).json()) as { context: Record<string, unknown> };
      return detail.context['requests it would take'];
    };
    // Before init only dispose is taken; once initialised, what the RINGING row of the table allows.
    destination.receive({ header: { type: 'cti.request', name: 'conversation.request.hold', target: legTarget, requestId: 'h-0' }, body: {} });
    expect(await takes()).toEqual(['dispose']);
    destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: legTarget, requestId: 'i-1' }, body: {} });
    expect(await takes()).toEqual(destination.capabilities());
    expect(destination.capabilities()).toEqual(expect.arrayContaining(['answer', 'release', 'dispose']));
    expect(destination.capabilities()).not.toContain('hold');
  });

  it('never shows DTMF digits, in traffic or in machine events', async () => {
    const inspector = await start();
    const dtmf = { header: { type: 'cti.request', name: 'conversation.request.senddtmf', target, requestId: 'r-1' }, body: { digits: '4111' } };
    inspector.record({ leg: 'd', direction: 'bridge->client', message: dtmf });
    const actor = createActor(miniMachine, { inspect: inspector.observerFor('d') }).start();
    cleanups.push(() => void actor.stop());
    actor.send({ type: 'request', name: 'senddtmf', digits: '4111' } as never);
    const text = await (await fetch(new URL('api/legs/d', inspector.url))).text();
    expect(text).not.toContain('4111');
    expect(text).toContain('[4 digits]');
  });

  it('refuses bad options with a clear error', async () => {
    await expect(startLocalInspector({ port: 70000 })).rejects.toThrow(/port must be an integer/);
    await expect(startLocalInspector({ historyLegs: -1 })).rejects.toThrow(/historyLegs/);
  });
});
