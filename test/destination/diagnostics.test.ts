/**
 * The destination's diagnostics, exactly: each code and message createConversationDestination
 * reports when something around it fails (a tap hook, the leg's snapshot, subscribe or dispose,
 * send, onDisposed, onLetGo, a subscriber, a frame after stop), and what it does not report when
 * nothing failed. Also the edges of its own bookkeeping: an outcome after its deadline, phone
 * events after stop, the re-read of the leg while a dispose waits, a subscriber told only of change.
 */
import { describe, expect, it, vi } from 'vitest';
import { SimulatedClock } from 'xstate';
import type { OutboundMessage } from '../../generated/types.js';
import {
  createConversationDestination,
  type ConversationDestinationOptions,
  type DestinationDiagnostic,
} from '../../src/destination/index.js';
import type { PhoneEvent, PhoneEventListener } from '../../src/phone/types.js';
import { flush, scriptedLeg, type ScriptedLeg } from '../support/scripted-leg.js';

const T = 'PB1.G.leg-1';

function build(options: Partial<ConversationDestinationOptions> & { leg?: ScriptedLeg; withoutDiagnostics?: boolean } = {}) {
  const leg = options.leg ?? scriptedLeg();
  const clock = new SimulatedClock();
  const sent: OutboundMessage[] = [];
  const diagnostics: DestinationDiagnostic[] = [];
  const { withoutDiagnostics, ...rest } = options;
  const destination = createConversationDestination({
    send: (message) => void sent.push(message),
    clock,
    ...(withoutDiagnostics ? {} : { onDiagnostic: (d: DestinationDiagnostic) => void diagnostics.push(d) }),
    ...rest,
    leg,
  });
  const frame = (short: string, requestId: string, body: Record<string, unknown> = {}) => ({
    header: {
      type: short === 'init' ? 'cti.query' : 'cti.request',
      name: short === 'init' ? 'conversation.query.init' : `conversation.request.${short}`,
      target: T,
      requestId,
    },
    body,
  });
  const request = (short: string, requestId: string, body?: Record<string, unknown>) => destination.receive(frame(short, requestId, body));
  const outcome = (requestId: string): string => {
    const found = sent.filter((m) => m.header.type === 'cti.response' && (m.header as { requestId: string }).requestId === requestId);
    if (found.length !== 1) return `${found.length} responses`;
    const h = found[0]?.header as { result: string; errorMessage?: string };
    return h.result === 'SUCCESS' ? 'SUCCESS' : `FAILURE: ${h.errorMessage}`;
  };
  return { leg, clock, sent, diagnostics, destination, request, outcome };
}

/** A leg that keeps every listener, even after unsubscribe (a careless phone), so a test can still reach the destination. */
function stickyLeg(init: Parameters<typeof scriptedLeg>[0] = {}) {
  const leg = scriptedLeg(init);
  const listeners: PhoneEventListener[] = [];
  let snapshots = 0;
  const realSnapshot = leg.snapshot.bind(leg);
  leg.snapshot = () => {
    snapshots += 1;
    return realSnapshot();
  };
  leg.subscribe = (listener) => {
    listeners.push(listener);
    return () => undefined;
  };
  return {
    leg,
    tell: (event: PhoneEvent) => {
      for (const l of listeners) l(event);
    },
    get snapshots() {
      return snapshots;
    },
  };
}

describe('where a diagnostic says it comes from', () => {
  it('without a target (no option, no init yet) a diagnostic has no target key at all', () => {
    const sticky = stickyLeg();
    const b = build({ leg: sticky.leg });
    sticky.tell({ type: 'nonsense' } as unknown as PhoneEvent);
    expect(b.diagnostics).toHaveLength(1);
    expect(b.diagnostics[0]).toStrictEqual({ code: 'bad-phone-event', message: 'leg leg-1 reported an event of no known type; ignored' });
    expect(Object.keys(b.diagnostics[0] ?? {})).toEqual(['code', 'message']);
  });

  it('with a target option, every diagnostic names it; after an init, the target the init named', () => {
    const sticky = stickyLeg();
    const b = build({ leg: sticky.leg, target: 'PB1.opt.leg-1' });
    sticky.tell({ type: 'nonsense' } as unknown as PhoneEvent);
    expect(b.diagnostics).toStrictEqual([{ code: 'bad-phone-event', target: 'PB1.opt.leg-1', message: 'leg leg-1 reported an event of no known type; ignored' }]);
  });

  it('a destination without onDiagnostic still survives every fault', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.modes.dispose = 'throw';
    const b = build({
      leg,
      withoutDiagnostics: true,
      send: () => {
        throw new Error('wire down');
      },
    });
    b.request('init', 'i');
    b.request('dispose', 'd');
    await flush();
    expect(leg.operations(true)).toEqual(['dispose']);
  });
});

describe('faults around the destination, each reported with its own code and message', () => {
  it('send throwing: send-failed, and the destination keeps answering', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    let calls = 0;
    const b = build({
      leg,
      send: () => {
        calls += 1;
        throw new Error('wire down');
      },
    });
    b.request('init', 'i');
    b.request('hold', 'h');
    await flush();
    expect(calls).toBeGreaterThanOrEqual(3); // init response, started, hold response...
    expect(b.diagnostics[0]).toStrictEqual({ code: 'send-failed', target: T, message: 'send threw: wire down' });
    expect(b.diagnostics.every((d) => d.code === 'send-failed' && d.message === 'send threw: wire down')).toBe(true);
    expect(leg.operations()).toEqual(['hold']);
  });

  it('subscribe throwing: subscribe-failed; a later dispose still disposes the leg and calls onDisposed, with nothing else reported', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.subscribe = () => {
      throw new Error('no events here');
    };
    let disposed = 0;
    const b = build({ leg, onDisposed: () => void (disposed += 1) });
    expect(b.diagnostics).toStrictEqual([{ code: 'subscribe-failed', message: 'leg leg-1: subscribe() threw: no events here' }]);
    b.request('init', 'i');
    b.request('dispose', 'd');
    await flush();
    expect(b.outcome('d')).toBe('SUCCESS');
    expect(leg.operations(true)).toEqual(['dispose']);
    expect(disposed).toBe(1);
    expect(b.diagnostics.map((d) => d.code)).toEqual(['subscribe-failed']);
  });

  it('dispose() throwing and rejecting: dispose-failed, with the way it failed', async () => {
    const thrower = scriptedLeg({ state: 'TALKING' });
    thrower.modes.dispose = 'throw';
    const a = build({ leg: thrower });
    a.request('init', 'i');
    a.request('dispose', 'd');
    await flush();
    expect(a.outcome('d')).toBe('SUCCESS');
    expect(a.diagnostics).toStrictEqual([{ code: 'dispose-failed', target: T, message: 'leg leg-1: dispose() threw: dispose threw in the scripted phone' }]);
    const rejecter = scriptedLeg({ state: 'TALKING' });
    rejecter.modes.dispose = 'reject';
    const b = build({ leg: rejecter });
    b.request('init', 'i');
    b.request('dispose', 'd');
    await flush();
    expect(b.diagnostics).toStrictEqual([{ code: 'dispose-failed', target: T, message: 'leg leg-1: dispose() failed: dispose refused by the scripted phone' }]);
  });

  it('onDisposed throwing: on-disposed-failed; no onDisposed at all: nothing reported', async () => {
    const a = build({
      leg: scriptedLeg({ state: 'TALKING' }),
      onDisposed: () => {
        throw new Error('owner gone');
      },
    });
    a.request('init', 'i');
    a.request('dispose', 'd');
    await flush();
    expect(a.diagnostics).toStrictEqual([{ code: 'on-disposed-failed', target: T, message: 'onDisposed threw: owner gone' }]);
    const b = build({ leg: scriptedLeg({ state: 'TALKING' }) });
    b.request('init', 'i');
    b.request('dispose', 'd');
    await flush();
    expect(b.outcome('d')).toBe('SUCCESS');
    expect(b.diagnostics).toEqual([]);
  });

  it('onLetGo throwing: on-let-go-failed; no onLetGo at all: the let-go reports nothing', async () => {
    const a = build({
      leg: scriptedLeg({ state: 'TALKING' }),
      letGoAfterMs: 10,
      onLetGo: () => {
        throw new Error('owner gone');
      },
    });
    a.request('init', 'i');
    a.leg.emit({ type: 'ended' });
    await flush();
    a.clock.increment(10);
    expect(a.diagnostics).toStrictEqual([{ code: 'on-let-go-failed', target: T, message: 'onLetGo threw: owner gone' }]);
    const b = build({ leg: scriptedLeg({ state: 'TALKING' }), letGoAfterMs: 10 });
    b.request('init', 'i');
    b.leg.emit({ type: 'ended' });
    await flush();
    b.clock.increment(10);
    expect(b.diagnostics).toEqual([]);
  });

  it('tap hooks that throw: tap-failed naming the hook, and everything still happens', async () => {
    const boom = (hook: string) => () => {
      throw new Error(`${hook} broke`);
    };
    const leg = scriptedLeg({ state: 'TALKING' });
    const b = build({
      leg,
      tap: { operationStarted: boom('started'), operationSettled: boom('settled'), phoneEvent: boom('event'), outbound: boom('out') },
    });
    b.request('init', 'i');
    b.request('hold', 'h');
    await flush();
    leg.emit({ type: 'held' });
    const messages = b.diagnostics.map((d) => `${d.code}: ${d.message}`);
    expect(new Set(messages)).toEqual(
      new Set([
        "tap-failed: the tap's outbound threw: out broke",
        "tap-failed: the tap's operationStarted threw: started broke",
        "tap-failed: the tap's operationSettled threw: settled broke",
        "tap-failed: the tap's phoneEvent threw: event broke",
      ]),
    );
    expect(b.outcome('h')).toBe('SUCCESS');
    expect(b.sent.map((m) => m.header.name)).toContain('conversation.held');
  });

  it('a subscriber that throws: subscriber-failed with its message', () => {
    const b = build({ leg: scriptedLeg({ state: 'TALKING' }) });
    b.destination.subscribe(() => {
      throw new Error('render failed');
    });
    b.request('init', 'i');
    expect(b.diagnostics[0]).toStrictEqual({ code: 'subscriber-failed', target: T, message: 'a subscriber threw: render failed' });
  });

  it('a frame whose header getter throws, and a phone event whose type getter throws: internal-error with the reason', () => {
    const sticky = stickyLeg();
    const b = build({ leg: sticky.leg });
    b.destination.receive({
      get header(): unknown {
        throw new Error('boom');
      },
    });
    sticky.tell({
      get type(): string {
        throw new Error('hostile');
      },
    } as unknown as PhoneEvent);
    expect(b.diagnostics).toStrictEqual([
      { code: 'internal-error', message: 'a frame could not be handled: boom' },
      { code: 'internal-error', message: 'a phone event could not be handled: hostile' },
    ]);
  });

  it('a leg whose operation cannot even be read: internal-error naming the effect, and the request still ends at its deadline', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    Object.defineProperty(leg, 'hold', {
      get() {
        throw new Error('getter broke');
      },
    });
    const b = build({ leg, operationTimeoutMs: 50 });
    b.request('init', 'i');
    b.request('hold', 'h');
    await flush();
    expect(b.diagnostics).toStrictEqual([{ code: 'internal-error', target: T, message: 'an effect failed: getter broke' }]);
    expect(b.outcome('h')).toBe('0 responses');
    b.clock.increment(50);
    expect(b.outcome('h')).toBe('FAILURE: hold: timed out after 50 ms waiting for the phone');
  });

  it('a frame after stop: stopped, and dropped', () => {
    const b = build({ leg: scriptedLeg({ state: 'TALKING' }) });
    b.destination.stop();
    b.request('init', 'i');
    expect(b.sent).toEqual([]);
    expect(b.diagnostics).toStrictEqual([{ code: 'stopped', message: 'a frame reached a stopped destination and was dropped' }]);
    b.destination.connectionLost();
    b.destination.stop();
    expect(b.diagnostics).toHaveLength(1);
  });
});

describe("the destination's own bookkeeping", () => {
  it('an outcome arriving after its deadline reaches nobody: no tap report, no second answer', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.modes.hold = 'manual';
    const settled: number[] = [];
    const b = build({ leg, operationTimeoutMs: 100, tap: { operationSettled: (opId) => void settled.push(opId) } });
    b.request('init', 'i');
    b.request('hold', 'h');
    await flush();
    b.clock.increment(100);
    expect(b.outcome('h')).toBe('FAILURE: hold: timed out after 100 ms waiting for the phone');
    expect(leg.calls[0]?.signal?.aborted).toBe(true);
    leg.settle('hold');
    await flush();
    expect(settled).toEqual([]);
    expect(b.outcome('h')).toBe('FAILURE: hold: timed out after 100 ms waiting for the phone');
  });

  it('an outcome arriving after stop reaches nobody', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.modes.hold = 'manual';
    const settled: number[] = [];
    const b = build({ leg, tap: { operationSettled: (opId) => void settled.push(opId) } });
    b.request('init', 'i');
    b.request('hold', 'h');
    await flush();
    b.destination.stop();
    expect(leg.calls[0]?.signal?.aborted).toBe(true);
    leg.settle('hold');
    await flush();
    expect(settled).toEqual([]);
    expect(b.outcome('h')).toBe('0 responses');
  });

  it('phone events after stop are seen by the tap only: the leg is not re-read', () => {
    const sticky = stickyLeg();
    const seen: string[] = [];
    const b = build({ leg: sticky.leg, limits: { preInitEvents: 1 }, tap: { phoneEvent: (e) => void seen.push(e.type) } });
    const read = sticky.snapshots;
    sticky.tell({ type: 'talking' });
    b.destination.stop();
    sticky.tell({ type: 'held' });
    sticky.tell({ type: 'nonsense' } as unknown as PhoneEvent);
    expect(seen).toEqual(['talking', 'held', 'nonsense']);
    expect(sticky.snapshots).toBe(read);
    expect(b.diagnostics).toEqual([]);
  });

  it('a full pre-init queue while a dispose waits for a release re-reads the leg', async () => {
    const sticky = stickyLeg({ state: 'TALKING' });
    sticky.leg.modes.release = 'manual';
    const b = build({ leg: sticky.leg, limits: { preInitEvents: 1 } });
    b.request('init', 'i');
    b.request('release', 'r');
    await flush();
    b.request('dispose', 'd');
    b.destination.connectionLost();
    const read = sticky.snapshots;
    sticky.tell({ type: 'held' });
    expect(sticky.snapshots).toBe(read);
    sticky.tell({ type: 'talking' });
    expect(sticky.snapshots).toBe(read + 1);
  });

  it('with a pre-init queue of 0, a phone event on a ready leg is applied, not re-read', () => {
    const sticky = stickyLeg({ state: 'TALKING' });
    const b = build({ leg: sticky.leg, limits: { preInitEvents: 0 } });
    b.request('init', 'i');
    const read = sticky.snapshots;
    sticky.tell({ type: 'held' });
    expect(sticky.snapshots).toBe(read);
    expect(b.sent.at(-1)?.header.name).toBe('conversation.held');
    b.destination.connectionLost();
    sticky.tell({ type: 'talking' });
    expect(sticky.snapshots).toBe(read + 1);
  });

  it('with a pre-init queue of 0, a phone event while a dispose waits on a ready leg is applied, not re-read', async () => {
    const sticky = stickyLeg({ state: 'TALKING' });
    sticky.leg.modes.release = 'manual';
    const b = build({ leg: sticky.leg, limits: { preInitEvents: 0 } });
    b.request('init', 'i');
    b.request('release', 'r');
    await flush();
    b.request('dispose', 'd');
    const read = sticky.snapshots;
    sticky.tell({ type: 'held' });
    expect(sticky.snapshots).toBe(read);
    expect(b.sent.at(-1)?.header.name).toBe('conversation.held');
  });

  it('connectionLost and stop after stop do nothing, and XState is not asked to (no warning)', () => {
    // XState warns about an event sent to a stopped actor only in its development build, which is
    // what vitest loads here; under a production build this test could not tell the difference.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      const b = build({ leg: scriptedLeg({ state: 'TALKING' }) });
      b.request('init', 'i');
      b.destination.stop();
      b.destination.connectionLost();
      b.destination.stop();
      expect(warn).not.toHaveBeenCalled();
      expect(b.diagnostics).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  });

  it('a subscriber hears the view only when it changed', async () => {
    const b = build({ leg: scriptedLeg({ state: 'TALKING' }) });
    const views: unknown[] = [];
    const stop = b.destination.subscribe((view) => views.push(view));
    b.request('init', 'i');
    expect(views).toHaveLength(1);
    expect(views[0]).toBe(b.destination.getSnapshot());
    expect(b.destination.getSnapshot()).toBe(b.destination.getSnapshot());
    b.leg.emit({ type: 'talking' }); // already so: the same snapshot again
    expect(views).toHaveLength(1);
    b.leg.emit({ type: 'held' });
    expect(views).toHaveLength(2);
    stop();
    b.leg.emit({ type: 'talking' });
    expect(views).toHaveLength(2);
  });
});
