/**
 * A delay longer than setTimeout takes (2^31 − 1 ms, about 24.8 days) makes Node fire the timer
 * after 1 ms. Every timer length a user can set is capped there, so a generous setting can never
 * time out every operation at once (docs/contract.md, "Bounds").
 */
import { describe, expect, it } from 'vitest';
import { deadlineMs, delayMs, initialContext, MAX_DELAY_MS } from '../../machines/context.js';
import { reconnectDelay } from '../../src/client/backoff.js';
import { createConversationDestination, type Clock } from '../../src/destination/index.js';
import { resolveOptions as baresipOptions } from '../../src/adapters/baresip/options.js';
import { resolveOptions as linphoneOptions } from '../../src/adapters/linphone/options.js';
import { delayOption } from '../../src/phone/option-count.js';
import { wallClockSchedule } from '../../src/phone/simulated/timer.js';
import { flush, scriptedLeg } from '../support/scripted-leg.js';

const HUGE = 3_000_000_000;

describe('timer lengths are capped at what setTimeout takes', () => {
  it('delayMs: the value as given up to MAX_DELAY_MS, the fallback for a bad one', () => {
    expect(MAX_DELAY_MS).toBe(2 ** 31 - 1);
    expect(delayMs(1500.7, 9)).toBe(1500);
    expect(delayMs(MAX_DELAY_MS, 9)).toBe(MAX_DELAY_MS);
    expect(delayMs(HUGE, 9)).toBe(MAX_DELAY_MS);
    expect(delayMs(-1, 9)).toBe(9);
    expect(delayMs(undefined, 9)).toBe(9);
  });

  it("the chart's operation deadline, DTMF time and let-go grace are capped", () => {
    const context = initialContext({ snapshot: { state: 'TALKING', parties: [{ number: '+15551230001' }], muted: false }, operationTimeoutMs: HUGE, dtmfMsPerDigit: HUGE, letGoAfterMs: HUGE });
    expect(context.settings.operationTimeoutMs).toBe(MAX_DELAY_MS);
    expect(context.settings.dtmfMsPerDigit).toBe(MAX_DELAY_MS);
    expect(context.letGoAfterMs).toBe(MAX_DELAY_MS);
    expect(deadlineMs({ operationTimeoutMs: 10_000, dtmfMsPerDigit: 1_000_000_000 }, { operation: 'sendDtmf', args: ['123'] })).toBe(MAX_DELAY_MS);
    expect(deadlineMs({ operationTimeoutMs: 10_000, dtmfMsPerDigit: 500 }, { operation: 'sendDtmf', args: ['123'] })).toBe(11_500);
  });

  it('a destination given a huge operationTimeoutMs arms its deadline at the cap, and does not answer a hanging operation', async () => {
    const delays: number[] = [];
    const clock: Clock = {
      setTimeout: (fn: (...args: unknown[]) => void, ms: number) => {
        delays.push(ms);
        return setTimeout(fn, Math.min(ms, MAX_DELAY_MS));
      },
      clearTimeout: (id: unknown) => clearTimeout(id as NodeJS.Timeout),
    } as Clock;
    const leg = scriptedLeg({ state: 'TALKING' });
    leg.modes.hold = 'hang';
    const target = 'PB1.S-1.G-1.TEL.I-1.leg-1';
    const answers: string[] = [];
    const destination = createConversationDestination({ leg, target, clock, operationTimeoutMs: HUGE, send: (m) => void (m.header.type === 'cti.response' && answers.push(m.header.requestId)) });
    destination.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target, requestId: 'init' }, body: {} });
    destination.receive({ header: { type: 'cti.request', name: 'conversation.request.hold', target, requestId: 'h' }, body: {} });
    await flush();
    expect(delays).toContain(MAX_DELAY_MS);
    expect(delays.every((ms) => ms <= MAX_DELAY_MS)).toBe(true);
    expect(answers).toEqual(['init']);
    destination.stop();
  });

  it("the client's reconnect delay never passes the cap", () => {
    expect(reconnectDelay(60, { initialDelayMs: 1000, maxDelayMs: HUGE, jitter: 0 })).toBe(MAX_DELAY_MS);
    expect(reconnectDelay(0, { initialDelayMs: HUGE, jitter: 0 })).toBe(MAX_DELAY_MS);
    expect(reconnectDelay(3, { initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0 })).toBe(8000);
  });

  it("the phones' timer options are capped, and still refuse a bad one", () => {
    expect(delayOption('SomePhone', HUGE, 5, 'waitMs')).toBe(MAX_DELAY_MS);
    expect(delayOption('SomePhone', 7, 5, 'waitMs')).toBe(7);
    expect(() => delayOption('SomePhone', -1, 5, 'waitMs')).toThrow(new RangeError('SomePhone: waitMs must be a number of 0 or more'));
    const baresip = baresipOptions({ port: 4444, commandTimeoutMs: HUGE, dialClaimMs: HUGE, dtmfMsPerDigit: HUGE });
    expect([baresip.commandTimeoutMs, baresip.dialClaimMs, baresip.dtmfMsPerDigit]).toEqual([MAX_DELAY_MS, MAX_DELAY_MS, MAX_DELAY_MS]);
    const linphone = linphoneOptions({ socket: '/tmp/none.sock', conferenceJoinTimeoutMs: HUGE, consultAnswerTimeoutMs: HUGE, commandTimeoutMs: HUGE, registerTimeoutMs: HUGE });
    expect([linphone.conferenceJoinTimeoutMs, linphone.consultAnswerTimeoutMs, linphone.commandTimeoutMs, linphone.registerTimeoutMs]).toEqual([MAX_DELAY_MS, MAX_DELAY_MS, MAX_DELAY_MS, MAX_DELAY_MS]);
  });

  it("SimulatedPhone's wall-clock latency waits at most the cap (a longer one would fire at once)", async () => {
    const original = globalThis.setTimeout;
    const seen: number[] = [];
    globalThis.setTimeout = ((fn: () => void, ms: number) => {
      seen.push(ms);
      return original(fn, 0);
    }) as typeof setTimeout;
    try {
      const cancel = wallClockSchedule(() => undefined, HUGE);
      cancel();
    } finally {
      globalThis.setTimeout = original;
    }
    expect(seen).toEqual([MAX_DELAY_MS]);
  });
});
