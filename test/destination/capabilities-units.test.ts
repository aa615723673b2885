/**
 * Capabilities without the chart's graph: `canTake` and `capabilitiesOf` (machines/capabilities.ts)
 * on hand-made snapshots, `watchCapabilities` (src/destination/capabilities.ts) on a hand-made
 * actor, and `can()` on a real destination over a scripted leg. Fast, so the mutation runs use it;
 * test/destination/capabilities.test.ts checks the same functions against the chart's answers on
 * every graph path.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { canTake, capabilitiesOf, type CapabilitySnapshot } from '../../machines/capabilities.js';
import { CALL_STATES, REQUEST_NAMES, type RequestName } from '../../machines/tables.js';
import type { CallState, LegOperationName } from '../../machines/types.js';
import { watchCapabilities } from '../../src/destination/capabilities.js';
import { createConversationDestination } from '../../src/destination/index.js';
import { OPTIONAL_LEG_OPERATIONS } from '../../machines/types.js';
import { flush, scriptedLeg } from '../support/scripted-leg.js';

type Lifecycle = 'awaitingInit' | 'ready' | 'disposing' | 'disposed';

/** A snapshot that matches exactly its own lifecycle and call state, and nothing else (not `{}`). */
function fake(lifecycle: Lifecycle, call: CallState | undefined, supported: readonly LegOperationName[] = OPTIONAL_LEG_OPERATIONS): CapabilitySnapshot {
  return {
    matches(value) {
      if ('lifecycle' in value) return value.lifecycle === lifecycle;
      if ('call' in value) return call !== undefined && value.call === call;
      return false;
    },
    context: { settings: { supported } },
  };
}

const ALL = OPTIONAL_LEG_OPERATIONS;

describe('canTake and capabilitiesOf on a snapshot', () => {
  it('awaiting init: only dispose, whatever the call state', () => {
    for (const call of CALL_STATES) {
      const s = fake('awaitingInit', call);
      expect(capabilitiesOf(s)).toEqual(['dispose']);
      expect(canTake(s, 'dispose')).toBe(true);
      expect(canTake(s, 'answer')).toBe(false);
      expect(canTake(s, 'release')).toBe(false);
    }
  });

  it('disposing or disposed: nothing at all, not even dispose', () => {
    for (const lifecycle of ['disposing', 'disposed'] as const) {
      for (const call of CALL_STATES) {
        expect(capabilitiesOf(fake(lifecycle, call))).toEqual([]);
        expect(canTake(fake(lifecycle, call), 'dispose')).toBe(false);
      }
    }
  });

  it('ready, a leg with every operation: the request table without its `no` cells, dispose always', () => {
    expect(capabilitiesOf(fake('ready', 'RINGING', ALL))).toEqual(['answer', 'release', 'dispose']);
    expect(capabilitiesOf(fake('ready', 'DIALING', ALL))).toEqual(['release', 'dispose']);
    expect(capabilitiesOf(fake('ready', 'TALKING', ALL))).toEqual([
      'answer',
      'release',
      'hold',
      'retrieve',
      'mute',
      'unmute',
      'transfer',
      'conference',
      'removeparty',
      'senddtmf',
      'dispose',
    ]);
    expect(capabilitiesOf(fake('ready', 'HELD', ALL))).toEqual([
      'answer',
      'release',
      'hold',
      'retrieve',
      'mute',
      'unmute',
      'transfer',
      'conference',
      'removeparty',
      'dispose',
    ]);
    expect(capabilitiesOf(fake('ready', 'RELEASED', ALL))).toEqual(['release', 'dispose']);
  });

  it('ready, a leg with only the four core operations: the optional requests are never taken', () => {
    expect(capabilitiesOf(fake('ready', 'TALKING', []))).toEqual(['answer', 'release', 'hold', 'retrieve', 'dispose']);
    expect(capabilitiesOf(fake('ready', 'HELD', []))).toEqual(['answer', 'release', 'hold', 'retrieve', 'dispose']);
    expect(capabilitiesOf(fake('ready', 'RINGING', []))).toEqual(['answer', 'release', 'dispose']);
  });

  it('ready, a leg with some optional operations: exactly those, where the table allows them', () => {
    expect(capabilitiesOf(fake('ready', 'TALKING', ['mute', 'sendDtmf']))).toEqual(['answer', 'release', 'hold', 'retrieve', 'mute', 'senddtmf', 'dispose']);
    expect(capabilitiesOf(fake('ready', 'HELD', ['removeParty']))).toEqual(['answer', 'release', 'hold', 'retrieve', 'removeparty', 'dispose']);
    expect(canTake(fake('ready', 'TALKING', ['transfer']), 'conference')).toBe(false);
    expect(canTake(fake('ready', 'TALKING', ['transfer']), 'transfer')).toBe(true);
    // Supported, but the table says no in this state.
    expect(canTake(fake('ready', 'HELD', ['sendDtmf']), 'senddtmf')).toBe(false);
    expect(canTake(fake('ready', 'RINGING', ['mute']), 'mute')).toBe(false);
  });

  it('ready with no call state it recognises: only dispose', () => {
    expect(capabilitiesOf(fake('ready', undefined, ALL))).toEqual(['dispose']);
  });

  test.prop([fc.constantFrom<Lifecycle>('awaitingInit', 'ready', 'disposing', 'disposed'), fc.constantFrom(...CALL_STATES), fc.subarray([...ALL])])(
    'property: capabilitiesOf lists, in the request table order, exactly the requests canTake allows',
    (lifecycle, call, supported) => {
      const s = fake(lifecycle, call, supported);
      const list = capabilitiesOf(s);
      expect(list).toEqual(REQUEST_NAMES.filter((name) => canTake(s, name)));
      expect(list.includes('dispose')).toBe(lifecycle === 'awaitingInit' || lifecycle === 'ready');
    },
  );
});

/** An actor whose snapshot the test sets, counting its subscriptions. */
function fakeActor(first: CapabilitySnapshot) {
  let snapshot = first;
  const subscribers = new Set<(s: CapabilitySnapshot) => void>();
  let subscribed = 0;
  let unsubscribed = 0;
  return {
    actor: {
      getSnapshot: () => snapshot,
      subscribe(listener: (s: CapabilitySnapshot) => void) {
        subscribed += 1;
        subscribers.add(listener);
        return {
          unsubscribe() {
            unsubscribed += 1;
            subscribers.delete(listener);
          },
        };
      },
    },
    set(next: CapabilitySnapshot) {
      snapshot = next;
      for (const listener of [...subscribers]) listener(next);
    },
    get subscribed() {
      return subscribed;
    },
    get unsubscribed() {
      return unsubscribed;
    },
    get listening() {
      return subscribers.size;
    },
  };
}

describe('watchCapabilities', () => {
  it('capabilities() reads the current snapshot each time', () => {
    const a = fakeActor(fake('awaitingInit', 'RINGING'));
    const w = watchCapabilities(a.actor);
    expect(w.capabilities()).toEqual(['dispose']);
    a.set(fake('ready', 'RINGING'));
    expect(w.capabilities()).toEqual(['answer', 'release', 'dispose']);
    a.set(fake('disposed', 'RINGING'));
    expect(w.capabilities()).toEqual([]);
  });

  it('can() takes the short name or the full request name; unknown names are never taken', () => {
    const a = fakeActor(fake('ready', 'TALKING', []));
    const w = watchCapabilities(a.actor);
    expect(w.can('hold')).toBe(true);
    expect(w.can('conversation.request.hold')).toBe(true);
    expect(w.can('conversation.request.dispose')).toBe(true);
    expect(w.can('mute')).toBe(false); // not supported by this leg
    expect(w.can('conversation.request.mute')).toBe(false);
    expect(w.can('frobnicate')).toBe(false);
    expect(w.can('conversation.request.frobnicate')).toBe(false);
    expect(w.can('conversation.query.init')).toBe(false);
    expect(w.can('')).toBe(false);
    a.set(fake('ready', 'RINGING', []));
    expect(w.can('hold')).toBe(false);
    expect(w.can('answer')).toBe(true);
  });

  it('a listener hears a new list only when it differs from the last one', () => {
    const a = fakeActor(fake('awaitingInit', 'RINGING'));
    const w = watchCapabilities(a.actor);
    const heard: (readonly RequestName[])[] = [];
    w.onCapabilitiesChange((list) => heard.push(list));
    expect(a.subscribed).toBe(1);
    a.set(fake('awaitingInit', 'TALKING')); // still only dispose
    expect(heard).toEqual([]);
    a.set(fake('ready', 'RINGING'));
    expect(heard).toEqual([['answer', 'release', 'dispose']]);
    a.set(fake('ready', 'RINGING'));
    expect(heard).toHaveLength(1);
    a.set(fake('ready', 'DIALING'));
    expect(heard).toEqual([
      ['answer', 'release', 'dispose'],
      ['release', 'dispose'],
    ]);
    a.set(fake('ready', 'RELEASED')); // the same list in another state
    expect(heard).toHaveLength(2);
    a.set(fake('disposing', 'RELEASED'));
    expect(heard.at(-1)).toEqual([]);
    expect(heard).toHaveLength(3);
  });

  it('one subscription to the actor for many listeners; it ends with the last unsubscribe, and a new listener starts another', () => {
    const a = fakeActor(fake('awaitingInit', 'RINGING'));
    const w = watchCapabilities(a.actor);
    const one: string[] = [];
    const two: string[] = [];
    const stopOne = w.onCapabilitiesChange((list) => one.push(list.join(',')));
    const stopTwo = w.onCapabilitiesChange((list) => two.push(list.join(',')));
    expect(a.subscribed).toBe(1);
    a.set(fake('ready', 'RINGING'));
    expect(one).toEqual(['answer,release,dispose']);
    expect(two).toEqual(['answer,release,dispose']);
    stopOne();
    expect(a.unsubscribed).toBe(0);
    expect(a.listening).toBe(1);
    a.set(fake('ready', 'TALKING', []));
    expect(one).toHaveLength(1);
    expect(two).toEqual(['answer,release,dispose', 'answer,release,hold,retrieve,dispose']);
    stopTwo();
    expect(a.unsubscribed).toBe(1);
    expect(a.listening).toBe(0);
    // Unsubscribing twice is harmless.
    expect(() => stopTwo()).not.toThrow();
    expect(() => stopOne()).not.toThrow();
    expect(a.unsubscribed).toBe(1);
    // A new listener subscribes again, starting from the list as it is now.
    const three: string[] = [];
    w.onCapabilitiesChange((list) => three.push(list.join(',')));
    expect(a.subscribed).toBe(2);
    a.set(fake('ready', 'TALKING', []));
    expect(three).toEqual([]);
    a.set(fake('ready', 'HELD', []));
    expect(three).toEqual([]); // the same list in HELD for a core-only leg
    a.set(fake('ready', 'RELEASED', []));
    expect(three).toEqual(['release,dispose']);
    expect(two).toHaveLength(2);
  });

  it('a listener that throws does not stop the others, nor the next change', () => {
    const a = fakeActor(fake('awaitingInit', 'RINGING'));
    const w = watchCapabilities(a.actor);
    const heard: string[] = [];
    let thrown = 0;
    w.onCapabilitiesChange(() => {
      thrown += 1;
      throw new Error('a broken UI');
    });
    w.onCapabilitiesChange((list) => heard.push(list.join(',')));
    expect(() => a.set(fake('ready', 'RINGING'))).not.toThrow();
    expect(() => a.set(fake('ready', 'RELEASED'))).not.toThrow();
    expect(thrown).toBe(2);
    expect(heard).toEqual(['answer,release,dispose', 'release,dispose']);
  });

  it('a listener that unsubscribes another while being told does not stop that one hearing this change', () => {
    const a = fakeActor(fake('awaitingInit', 'RINGING'));
    const w = watchCapabilities(a.actor);
    const heard: string[] = [];
    let stopSecond: () => void = () => undefined;
    w.onCapabilitiesChange(() => stopSecond());
    stopSecond = w.onCapabilitiesChange((list) => heard.push(list.join(',')));
    a.set(fake('ready', 'RINGING'));
    expect(heard).toEqual(['answer,release,dispose']);
    a.set(fake('ready', 'RELEASED'));
    expect(heard).toHaveLength(1);
  });
});

describe('capabilities on a real destination', () => {
  it('follows the leg: awaiting init, ready in each call state, disposed', async () => {
    const leg = scriptedLeg({ id: 'leg-7', lacks: ['transfer', 'conference'] });
    const destination = createConversationDestination({ leg, send: () => undefined });
    const heard: string[] = [];
    const stop = destination.onCapabilitiesChange((list) => heard.push(list.join(',')));
    try {
      expect(destination.capabilities()).toEqual(['dispose']);
      expect(destination.can('answer')).toBe(false);
      expect(destination.can('dispose')).toBe(true);
      destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: 'PB1.G.leg-7', requestId: 'i1' }, body: {} });
      expect(destination.capabilities()).toEqual(['answer', 'release', 'dispose']);
      leg.emit({ type: 'talking' });
      await flush();
      expect(destination.capabilities()).toEqual(['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'removeparty', 'senddtmf', 'dispose']);
      expect(destination.can('conversation.request.transfer')).toBe(false);
      expect(destination.can('senddtmf')).toBe(true);
      destination.receive({ header: { type: 'cti.request', name: 'conversation.request.dispose', target: 'PB1.G.leg-7', requestId: 'd1' }, body: {} });
      await flush();
      expect(destination.capabilities()).toEqual([]);
      expect(destination.can('dispose')).toBe(false);
      expect(heard).toEqual([
        'answer,release,dispose',
        'answer,release,hold,retrieve,mute,unmute,removeparty,senddtmf,dispose',
        '',
      ]);
    } finally {
      stop();
      destination.stop();
    }
  });
});
