/**
 * docs/contract.md, "The adapter contract": an operation's AbortSignal is its own while it runs.
 * The destination hands a settled operation's signal to the next operation only when no abort
 * listener is left on it (a new AbortSignal costs Node 20 about a ninth of a request/response
 * pair), so a later abort can never reach a finished operation's listener.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { test } from '@fast-check/vitest';
import { SimulatedClock } from 'xstate';
import { createConversationDestination, SignalPool } from '../../src/destination/index.js';
import type { LegSnapshot, TelephonyLeg } from '../../src/phone/types.js';
import { flush, talkingHarness } from '../support/scripted-leg.js';

const TARGET = 'PB1.S-1.G-1.TEL.I-1.leg-1';

describe('the signal an operation is given', () => {
  it('a settled operation that left no abort listener hands its signal to the next one', async () => {
    const h = await talkingHarness();
    h.request('hold');
    await flush();
    h.request('mute');
    await flush();
    const [hold, mute] = h.leg.calls;
    expect(mute?.signal).toBe(hold?.signal);
    expect(mute?.signal?.aborted).toBe(false);
  });

  it('a signal still heard after its operation settled is not handed on, and a later abort does not reach it', async () => {
    const h = await talkingHarness();
    const heard: string[] = [];
    const realHold = h.leg.hold;
    h.leg.hold = (signal) => {
      signal.addEventListener('abort', () => heard.push('hold'));
      return realHold(signal);
    };
    h.leg.modes.mute = 'hang';
    h.request('hold');
    await flush();
    h.request('mute', {}, 'm');
    await flush();
    const [hold, mute] = h.leg.calls;
    expect(mute?.signal).not.toBe(hold?.signal);
    h.request('release');
    await flush();
    expect(mute?.signal?.aborted).toBe(true);
    expect(hold?.signal?.aborted).toBe(false);
    expect(heard).toEqual([]);
  });

  it('an aborted signal is never handed to a later operation', async () => {
    const h = await talkingHarness();
    h.leg.modes.hold = 'hang';
    h.request('hold', {}, 'h');
    await flush();
    h.clock.increment(60_000); // past the hold's deadline: the chart aborts it
    await flush();
    expect(h.outcome('h')).toMatch(/^FAILURE: hold: timed out/);
    h.request('mute');
    await flush();
    const [hold, mute] = h.leg.calls;
    expect(hold?.signal?.aborted).toBe(true);
    expect(mute?.signal).not.toBe(hold?.signal);
    expect(mute?.signal?.aborted).toBe(false);
  });
});

// ---- the property ---------------------------------------------------------------------------------

/** How the scripted leg treats one operation's signal, and how the operation ends. */
type Manner = 'quiet' | 'tidy' | 'leaves-listener' | 'rejects-tidy' | 'hangs';
type Step = { kind: 'request'; name: 'hold' | 'mute' | 'senddtmf' | 'release'; manner: Manner } | { kind: 'deadline' } | { kind: 'flush' };

interface Run {
  readonly signal: AbortSignal;
  settled: boolean;
}

const manner = fc.constantFrom<Manner>('quiet', 'tidy', 'leaves-listener', 'rejects-tidy', 'hangs');
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('request' as const), name: fc.constantFrom('hold' as const, 'mute' as const, 'senddtmf' as const, 'release' as const), manner }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'deadline' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'flush' as const }) },
);

/**
 * A TALKING leg whose every operation follows the manner given for it, and records its signal in
 * `runs` (shared between legs when they share a pool, so a signal running on one leg is seen).
 */
function recordingLeg(manners: Manner[], id = 'leg-1', runs: Run[] = [], violations: string[] = []) {
  const perform = (signal: AbortSignal): Promise<void> => {
    const run: Run = { signal, settled: false };
    const index = runs.push(run) - 1;
    if (signal.aborted) violations.push(`operation ${index} was handed an aborted signal`);
    if (runs.some((other, k) => k !== index && !other.settled && other.signal === signal)) {
      violations.push(`operation ${index} was handed the signal of an operation still running`);
    }
    const onAbort = () => {
      if (run.settled) violations.push(`operation ${index}'s abort listener fired after it settled`);
    };
    const how = manners.shift() ?? 'quiet';
    if (how !== 'quiet') signal.addEventListener('abort', onAbort);
    const end = (ok: boolean) => {
      if (how !== 'leaves-listener') signal.removeEventListener('abort', onAbort);
      run.settled = true;
      return ok ? Promise.resolve() : Promise.reject(new Error('refused'));
    };
    if (how === 'hangs') {
      return new Promise<void>((_, reject) =>
        signal.addEventListener('abort', () => {
          run.settled = true;
          reject(new Error('aborted'));
        }),
      );
    }
    return Promise.resolve().then(() => end(how !== 'rejects-tidy'));
  };
  const snapshot = (): LegSnapshot => ({ state: 'TALKING', parties: [{ number: '+15551230001' }], muted: false });
  const leg: TelephonyLeg = {
    id,
    snapshot,
    subscribe: () => () => undefined,
    answer: perform,
    release: perform,
    hold: perform,
    retrieve: perform,
    mute: perform,
    unmute: perform,
    sendDtmf: (_digits, signal) => perform(signal),
    dispose: async () => undefined,
  };
  return { leg, runs, violations };
}

describe('signal reuse, over random operations', () => {
  test.prop([fc.array(step, { minLength: 1, maxLength: 40 })], { numRuns: 150 })(
    'every operation gets an unaborted signal no running operation holds, and no abort listener fires after its operation settled',
    async (steps) => {
      const manners = steps.flatMap((s) => (s.kind === 'request' ? [s.manner] : []));
      const { leg, runs, violations } = recordingLeg(manners);
      const clock = new SimulatedClock();
      let answers = 0;
      const destination = createConversationDestination({ leg, clock, target: TARGET, send: (m) => void (m.header.type === 'cti.response' && (answers += 1)) });
      destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: TARGET, requestId: 'init' }, body: {} });
      let requests = 1;
      for (const [index, s] of steps.entries()) {
        if (s.kind === 'flush') await flush();
        else if (s.kind === 'deadline') clock.increment(60_000);
        else {
          requests += 1;
          const body = s.name === 'senddtmf' ? { digits: '12' } : {};
          destination.receive({ header: { type: 'cti.request', name: `conversation.request.${s.name}`, target: TARGET, requestId: `r${index}` }, body });
        }
      }
      // Whatever still hangs meets its deadline, then the next waiting request runs.
      for (let i = 0; i <= steps.length; i += 1) {
        clock.increment(60_000);
        await flush();
      }
      destination.stop();
      expect(violations).toEqual([]);
      expect(answers).toBe(requests);
    },
  );
});

describe('one pool shared by two legs, over random operations', () => {
  const onLeg = fc.constantFrom(0, 1);
  const sharedStep = fc.tuple(step, onLeg);
  test.prop([fc.array(sharedStep, { minLength: 1, maxLength: 40 })], { numRuns: 150 })(
    'no operation on either leg gets an aborted signal or one running on the other leg, and no abort listener fires after its operation settled',
    async (steps) => {
      const runs: Run[] = [];
      const violations: string[] = [];
      const legs = [0, 1].map((k) => recordingLeg(steps.flatMap(([s, leg]) => (s.kind === 'request' && leg === k ? [s.manner] : [])), `leg-${k + 1}`, runs, violations));
      const clock = new SimulatedClock();
      const signalPool = new SignalPool();
      const targets = ['PB1.S-1.G-1.TEL.I-1.leg-1', 'PB1.S-1.G-1.TEL.I-1.leg-2'];
      let answers = 0;
      const destinations = legs.map(({ leg }, k) => {
        const target = targets[k]!;
        const destination = createConversationDestination({ leg, clock, target, signalPool, send: (m) => void (m.header.type === 'cti.response' && (answers += 1)) });
        destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target, requestId: 'init' }, body: {} });
        return destination;
      });
      let requests = 2;
      for (const [index, [s, k]] of steps.entries()) {
        if (s.kind === 'flush') await flush();
        else if (s.kind === 'deadline') clock.increment(60_000);
        else {
          requests += 1;
          const body = s.name === 'senddtmf' ? { digits: '12' } : {};
          destinations[k]!.receive({ header: { type: 'cti.request', name: `conversation.request.${s.name}`, target: targets[k]!, requestId: `r${index}` }, body });
        }
      }
      for (let i = 0; i <= steps.length; i += 1) {
        clock.increment(60_000);
        await flush();
      }
      for (const destination of destinations) destination.stop();
      expect(violations).toEqual([]);
      expect(answers).toBe(requests);
    },
  );

  it('a signal one leg settled with no listener left is the next one another leg is given', async () => {
    const runs: Run[] = [];
    const violations: string[] = [];
    const [a, b] = [recordingLeg([], 'leg-1', runs, violations), recordingLeg([], 'leg-2', runs, violations)];
    const signalPool = new SignalPool();
    const targets = ['PB1.S-1.G-1.TEL.I-1.leg-1', 'PB1.S-1.G-1.TEL.I-1.leg-2'];
    const destinations = [a!, b!].map(({ leg }, k) => {
      const destination = createConversationDestination({ leg, target: targets[k]!, signalPool, send: () => undefined });
      destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target: targets[k]!, requestId: 'init' }, body: {} });
      return destination;
    });
    destinations[0]!.receive({ header: { type: 'cti.request', name: 'conversation.request.hold', target: targets[0]!, requestId: 'h' }, body: {} });
    await flush();
    destinations[1]!.receive({ header: { type: 'cti.request', name: 'conversation.request.mute', target: targets[1]!, requestId: 'm' }, body: {} });
    await flush();
    expect(runs).toHaveLength(2);
    expect(runs[1]!.signal).toBe(runs[0]!.signal);
    expect(violations).toEqual([]);
    for (const destination of destinations) destination.stop();
  });
});
