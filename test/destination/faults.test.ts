/** A phone that throws, rejects or hangs; hooks that throw; stop(); input that is hostile. */
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createConversationDestination } from '../../src/destination/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { flush, harness, scriptedLeg, talkingHarness as talking, TARGET } from '../support/scripted-leg.js';

describe('phone faults', () => {
  it('an operation that throws synchronously is answered FAILURE with the reason', async () => {
    const h = await talking();
    h.leg.modes.hold = 'throw';
    h.request('hold', {}, 'h');
    h.request('mute', {}, 'm');
    await flush();
    expect(h.outcome('h')).toBe('FAILURE: hold: the phone could not do it: hold threw in the scripted phone');
    expect(h.outcome('m')).toBe('SUCCESS');
  });

  it('a rejection that is not an Error still gives a readable reason', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.hold = () => Promise.reject('no line'); // eslint-disable-line prefer-promise-reject-errors
    const h = harness({ leg });
    h.init();
    h.request('hold', {}, 'h');
    await flush();
    expect(h.outcome('h')).toBe('FAILURE: hold: the phone could not do it: no line');
  });

  it('an operation that returns something that is not a promise counts as done', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.hold = (() => undefined) as unknown as typeof leg.hold;
    const h = harness({ leg });
    h.init();
    h.request('hold', {}, 'h');
    await flush();
    expect(h.outcome('h')).toBe('SUCCESS');
  });

  it('dispose that rejects or throws is reported, and the dispose is still answered', async () => {
    for (const mode of ['reject', 'throw'] as const) {
      const h = await talking();
      h.leg.modes.dispose = mode;
      h.request('dispose', {}, 'd');
      await flush();
      expect(h.outcome('d')).toBe('SUCCESS');
      expect(h.diagnostics.map((d) => d.code)).toEqual(['dispose-failed']);
      expect(h.disposedCallbacks).toBe(1);
    }
  });

  it('a leg whose snapshot throws at creation is treated as RELEASED', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.snapshot = () => {
      throw new Error('no such call');
    };
    const h = harness({ leg });
    h.init();
    expect(h.sent[0].body).toEqual({ 'conversation-state': 'RELEASED', parties: [{ number: 'unknown' }] });
    expect(h.diagnostics.map((d) => d.code)).toContain('snapshot-failed');
  });

  it('a leg whose subscribe throws is reported; requests still work', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.subscribe = () => {
      throw new Error('cannot');
    };
    const h = harness({ leg });
    expect(h.diagnostics.map((d) => d.code)).toEqual(['subscribe-failed']);
    h.init();
    h.request('hold', {}, 'h');
    await flush();
    expect(h.outcome('h')).toBe('SUCCESS');
  });

  it('odd snapshots are made to fit the catalogue: unknown state, no parties, control characters, long names', () => {
    const leg = scriptedLeg();
    leg.snapshot = () => ({ state: 'LIMBO' as never, muted: false, parties: [] });
    const h = harness({ leg });
    h.init();
    expect(h.sent[0].body).toEqual({ 'conversation-state': 'RELEASED', parties: [{ number: 'unknown' }] });
    const leg2 = scriptedLeg();
    leg2.snapshot = () => ({ state: 'RINGING', muted: false, parties: [{ number: '\u0007', name: 'n'.repeat(300) }, { number: '12\n3' }, { number: '123' }] });
    const h2 = harness({ leg: leg2 });
    h2.init();
    expect(h2.sent[0].body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: 'unknown', name: 'n'.repeat(256) }, { number: '123' }] });
  });
});

describe('hooks and shutdown', () => {
  it('a send that throws and a diagnostics hook that throws lose only their own message', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const sent: string[] = [];
    let calls = 0;
    const destination = createConversationDestination({
      leg,
      clock: new SimulatedClock(),
      send: (m) => {
        calls += 1;
        if (calls === 1) throw new Error('socket gone');
        sent.push(m.header.name);
      },
      onDiagnostic: () => {
        throw new Error('hook broken');
      },
      onDisposed: () => {
        throw new Error('also broken');
      },
    });
    const frame = (name: string, requestId: string) => ({ header: { type: name.includes('query') ? 'cti.query' : 'cti.request', name, target: TARGET, requestId }, body: {} });
    expect(() => destination.receive(frame('conversation.query.init', 'i'))).not.toThrow();
    destination.receive(frame('conversation.request.dispose', 'd'));
    await flush();
    expect(sent).toEqual(['conversation.started', 'conversation.request.dispose']);
    destination.stop();
  });

  it('stop() aborts operations in flight without answering, unsubscribes, and does not dispose', async () => {
    const h = await talking();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.destination.stop();
    expect(h.leg.calls[0].signal!.aborted).toBe(true);
    expect(h.leg.listenerCount).toBe(0);
    h.leg.settle('hold');
    await flush();
    h.destination.receive(h.frame('conversation.request.hold', 'after'));
    h.destination.stop();
    expect(h.sent).toEqual([]);
    expect(h.leg.operations(true)).toEqual(['hold']);
    expect(h.diagnostics.map((d) => d.code)).toEqual(['stopped']);
  });

  it('the inspect observer sees the actor', () => {
    const seen: string[] = [];
    const destination = createConversationDestination({
      leg: scriptedLeg({ state: 'TALKING' }),
      send: () => undefined,
      clock: new SimulatedClock(),
      inspect: (event) => seen.push(event.type),
    });
    destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: TARGET, requestId: 'i' }, body: {} });
    expect(seen).toContain('@xstate.event');
    destination.stop();
  });

  it('without options beyond leg and send, defaults apply (real clock, no hooks)', () => {
    const sent: unknown[] = [];
    const destination = createConversationDestination({ leg: scriptedLeg({ state: 'RINGING' }) as TelephonyLeg, send: (m) => sent.push(m) });
    destination.receive('not json');
    destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: TARGET, requestId: 'i' } });
    expect(sent).toHaveLength(2);
    destination.stop();
  });
});

describe('legs that misbehave after creation', () => {
  it('an optional operation that disappears after creation is answered FAILURE, not thrown', async () => {
    const h = await talking();
    delete (h.leg as { mute?: unknown }).mute;
    h.request('mute', {}, 'm');
    await flush();
    expect(h.outcome('m')).toBe('FAILURE: mute: the phone could not do it: the leg has no such operation');
  });

  it('a leg that keeps calling after unsubscribe is ignored once stopped', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    let listener: ((e: import('../../src/phone/types.js').PhoneEvent) => void) | undefined;
    leg.subscribe = (l) => {
      listener = l;
      return () => undefined; // forgets to unsubscribe
    };
    const h = harness({ leg });
    h.init();
    h.take();
    h.destination.stop();
    listener!({ type: 'held' });
    expect(h.sent).toEqual([]);
  });

  it('a phone event whose fields throw is reported, not thrown into the phone', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    let listener: ((e: never) => void) | undefined;
    leg.subscribe = (l) => {
      listener = l as (e: never) => void;
      return () => undefined;
    };
    const h = harness({ leg });
    const hostile = {
      get type(): string {
        throw new Error('hostile');
      },
    };
    expect(() => listener!(hostile as never)).not.toThrow();
    expect(h.diagnostics.map((d) => d.code)).toEqual(['internal-error']);
  });
});
