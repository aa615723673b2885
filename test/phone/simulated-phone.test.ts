import { describe, expect, it } from 'vitest';
import { SimulatedPhone, type SimulatedLeg } from '../../src/phone/simulated/index.js';
import { LEG_ID_PATTERN, type PhoneEvent } from '../../src/phone/types.js';
import { ManualClock, settle } from './manual-clock.js';

const caller = { number: '+15551230001', name: 'Pat Caller' };
const never = new AbortController().signal;

function record(leg: SimulatedLeg): PhoneEvent[] {
  const events: PhoneEvent[] = [];
  leg.subscribe((event) => events.push(event));
  return events;
}

/** A leg already TALKING, with its event log. */
async function talkingLeg(phone = new SimulatedPhone()): Promise<{ leg: SimulatedLeg; events: PhoneEvent[] }> {
  const leg = phone.ring(caller);
  await leg.answer(never);
  return { leg, events: record(leg) };
}

describe('SimulatedPhone: inbound calls', () => {
  it('rings a leg that onLeg listeners hear of and legs() lists', () => {
    const phone = new SimulatedPhone();
    const heard: string[] = [];
    phone.onLeg((leg) => heard.push(leg.id));
    const leg = phone.ring(caller);
    expect(leg.snapshot()).toEqual({ state: 'RINGING', parties: [caller], muted: false });
    expect(heard).toEqual([leg.id]);
    expect(phone.legs()).toEqual([leg]);
    expect(phone.leg(leg.id)).toBe(leg);
    expect(leg.id).toMatch(LEG_ID_PATTERN);
  });

  it('takes a chosen id and refuses ids that break the pattern or repeat', () => {
    const phone = new SimulatedPhone();
    expect(phone.ring(caller, { id: 'leg_A-1' }).id).toBe('leg_A-1');
    expect(() => phone.ring(caller, { id: 'has.dot' })).toThrow(/must match/);
    expect(() => phone.ring(caller, { id: 'x'.repeat(129) })).toThrow(/must match/);
    expect(() => phone.ring(caller, { id: 'leg_A-1' })).toThrow(/already in use/);
    expect(() => new SimulatedPhone({ idPrefix: 'a.b' })).toThrow(/idPrefix/);
  });

  it('answer emits talking before it resolves', async () => {
    const leg = new SimulatedPhone().ring(caller);
    const order: string[] = [];
    leg.subscribe((event) => order.push(`event ${event.type}`));
    await leg.answer(never).then(() => order.push('resolved'));
    expect(order).toEqual(['event talking', 'resolved']);
    expect(leg.snapshot().state).toBe('TALKING');
  });

  it('the far end hangs up a ringing call', () => {
    const leg = new SimulatedPhone().ring(caller);
    const events = record(leg);
    leg.far.hangUp('caller gave up');
    expect(events).toEqual([{ type: 'ended', reason: 'caller gave up' }]);
    expect(leg.snapshot().state).toBe('RELEASED');
    expect(() => leg.far.hangUp()).toThrow(/cannot hangUp a RELEASED call/);
  });
});

describe('SimulatedPhone: operations act on the real state', () => {
  it('hold on a held call and retrieve on a talking call are harmless', async () => {
    const { leg, events } = await talkingLeg();
    await leg.retrieve(never);
    await leg.hold(never);
    await leg.hold(never);
    await leg.retrieve(never);
    expect(events.map((event) => event.type)).toEqual(['held', 'talking']);
  });

  it('mute on a muted call does not toggle it, unmute on an unmuted call sends nothing', async () => {
    const { leg, events } = await talkingLeg();
    await leg.unmute!(never);
    await leg.mute!(never);
    await leg.mute!(never);
    expect(leg.snapshot().muted).toBe(true);
    await leg.hold(never);
    expect(leg.snapshot()).toMatchObject({ state: 'HELD', muted: true });
    await leg.unmute!(never);
    expect(events.map((event) => event.type)).toEqual(['muted', 'held', 'unmuted']);
  });

  it('refuses operations the state does not allow, without changing it', async () => {
    const leg = new SimulatedPhone().ring(caller);
    await expect(leg.hold(never)).rejects.toThrow(/hold: not possible while the call is RINGING/);
    await expect(leg.retrieve(never)).rejects.toThrow(/RINGING/);
    await expect(leg.mute!(never)).rejects.toThrow(/RINGING/);
    await expect(leg.transfer!('2001', never)).rejects.toThrow(/RINGING/);
    await expect(leg.sendDtmf!('1', never)).rejects.toThrow(/RINGING/);
    expect(leg.snapshot().state).toBe('RINGING');
  });

  it('release ends the call once; releasing a released call resolves quietly', async () => {
    const { leg, events } = await talkingLeg();
    await leg.release(never);
    await leg.release(never);
    expect(events).toEqual([{ type: 'ended', reason: 'released by the agent' }]);
    await expect(leg.answer(never)).rejects.toThrow(/RELEASED/);
  });

  it('removeParty removes a listed party, refuses an unlisted one and the only one', async () => {
    const { leg, events } = await talkingLeg();
    leg.far.join({ number: '2001', name: 'Supervisor' });
    await leg.removeParty!('2001', never);
    await expect(leg.removeParty!('2001', never)).rejects.toThrow(/not a party/);
    await expect(leg.removeParty!(caller.number, never)).rejects.toThrow(/only party/);
    expect(events.map((event) => event.type)).toEqual(['partyAdded', 'partyRemoved']);
    expect(leg.snapshot().parties).toEqual([caller]);
  });

  it('records every operation called, with its arguments', async () => {
    const { leg } = await talkingLeg();
    await leg.sendDtmf!('12#', never);
    await leg.hold(never);
    expect(leg.calls).toEqual([
      { operation: 'answer', args: [] },
      { operation: 'sendDtmf', args: ['12#'] },
      { operation: 'hold', args: [] },
    ]);
  });

  it('legs may leave out optional operations', () => {
    const leg = new SimulatedPhone({ omitOperations: ['mute', 'sendDtmf'] }).ring(caller);
    expect(leg.mute).toBeUndefined();
    expect('sendDtmf' in leg && leg.sendDtmf !== undefined).toBe(false);
    expect(typeof leg.unmute).toBe('function');
  });
});

describe('SimulatedPhone: time, latency and abort', () => {
  it('sendDtmf resolves only after the tones were played', async () => {
    const clock = new ManualClock();
    const phone = new SimulatedPhone({ schedule: clock.schedule, latencyMs: 10, dtmfMsPerDigit: 100 });
    const leg = phone.ring(caller);
    const answered = leg.answer(never);
    await clock.advance(10);
    await answered;
    let done = false;
    void leg.sendDtmf!('123', never).then(() => (done = true));
    await clock.advance(309);
    expect(done).toBe(false);
    expect(leg.far.tones).toBe('');
    await clock.advance(1);
    expect(done).toBe(true);
    expect(leg.far.tones).toBe('123');
  });

  it('at zero latency on the wall clock an operation settles before a timer set earlier fires (a microtask, not setTimeout)', async () => {
    const leg = new SimulatedPhone().ring(caller);
    let timerFired = false;
    const timer = setTimeout(() => (timerFired = true), 0);
    let settledSync = false;
    const answered = leg.answer(never).then(() => (settledSync = true));
    expect(settledSync).toBe(false);
    await answered;
    expect([timerFired, leg.snapshot().state]).toEqual([false, 'TALKING']);
    await leg.hold(never);
    await leg.retrieve(never);
    await leg.sendDtmf!('12', never);
    expect([timerFired, leg.snapshot().state, leg.far.tones]).toEqual([false, 'TALKING', '12']);
    clearTimeout(timer);
  });

  it('a zero-latency operation aborted in the same turn rejects and changes nothing', async () => {
    const leg = new SimulatedPhone().ring(caller);
    const controller = new AbortController();
    const outcome = leg.answer(controller.signal).then(() => 'resolved', (error: Error) => `rejected: ${error.message}`);
    controller.abort();
    expect(await outcome).toMatch(/^rejected: .*aborted/);
    expect(leg.snapshot().state).toBe('RINGING');
  });

  it('a zero-latency operation cancelled by close() never settles, as a timer would not', async () => {
    const phone = new SimulatedPhone();
    const leg = phone.ring(caller);
    let outcome = 'pending';
    leg.answer(never).then(
      () => (outcome = 'resolved'),
      () => (outcome = 'rejected'),
    );
    await phone.close();
    await settle();
    expect([outcome, leg.snapshot().state]).toEqual(['pending', 'RELEASED']);
  });

  it('a custom schedule is still asked for a zero latency', async () => {
    const clock = new ManualClock();
    const leg = new SimulatedPhone({ schedule: clock.schedule }).ring(caller);
    let done = false;
    void leg.answer(never).then(() => (done = true));
    await settle();
    expect(done).toBe(false);
    await clock.advance(0);
    expect(done).toBe(true);
  });

  it('an operation settles only after its latency', async () => {
    const clock = new ManualClock();
    const leg = new SimulatedPhone({ schedule: clock.schedule, latencyMs: (op) => (op === 'answer' ? 50 : 5) }).ring(caller);
    let done = false;
    void leg.answer(never).then(() => (done = true));
    await clock.advance(49);
    expect([done, leg.snapshot().state]).toEqual([false, 'RINGING']);
    await clock.advance(1);
    expect([done, leg.snapshot().state]).toEqual([true, 'TALKING']);
  });

  it.each(['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'] as const)(
    '%s rejects as soon as its signal aborts, and changes nothing',
    async (operation) => {
      const clock = new ManualClock();
      const phone = new SimulatedPhone({ schedule: clock.schedule, latencyMs: 1000 });
      const leg = phone.ring(caller);
      if (operation !== 'answer' && operation !== 'release') {
        leg.far.emit({ type: 'talking' });
        leg.far.join({ number: '2001' });
      }
      const before = leg.snapshot();
      const controller = new AbortController();
      const args = operation === 'removeParty' ? ['2001'] : ['transfer', 'conference', 'sendDtmf'].includes(operation) ? ['1'] : [];
      const call = (leg[operation] as (...a: unknown[]) => Promise<void>)(...args, controller.signal);
      const outcome = call.then(() => 'resolved', (error: Error) => `rejected: ${error.message}`);
      await settle();
      controller.abort();
      expect(await outcome).toMatch(/^rejected: .*aborted/);
      expect(leg.snapshot()).toEqual(before);
      expect(clock.pending).toBe(0);
    },
  );

  it('an operation given an aborted signal rejects at once with the signal reason', async () => {
    const leg = new SimulatedPhone().ring(caller);
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(leg.answer(controller.signal)).rejects.toThrow('gone');
    expect(leg.snapshot().state).toBe('RINGING');
  });
});

describe('SimulatedPhone: faults', () => {
  it('reject fails the next call only, by default', async () => {
    const leg = new SimulatedPhone().ring(caller);
    leg.inject('answer', 'reject');
    await expect(leg.answer(never)).rejects.toThrow(/simulated fault: answer failed/);
    expect(leg.snapshot().state).toBe('RINGING');
    await leg.answer(never);
    expect(leg.snapshot().state).toBe('TALKING');
  });

  it('hang never settles until the signal aborts', async () => {
    const clock = new ManualClock();
    const leg = new SimulatedPhone({ schedule: clock.schedule }).ring(caller);
    leg.inject('answer', 'hang');
    const controller = new AbortController();
    let outcome = 'pending';
    leg.answer(controller.signal).then(
      () => (outcome = 'resolved'),
      () => (outcome = 'rejected'),
    );
    await clock.advance(1_000_000);
    expect(outcome).toBe('pending');
    controller.abort();
    await settle();
    expect(outcome).toBe('rejected');
  });

  it('throw throws synchronously, times counts calls, faultPlan decides the rest', async () => {
    const plan: string[] = [];
    const phone = new SimulatedPhone({
      faultPlan: (call) => {
        plan.push(`${call.legId}:${call.operation}`);
        return call.operation === 'hold' ? 'reject' : undefined;
      },
    });
    const leg = phone.ring(caller, { id: 'a' });
    leg.inject('answer', 'throw', { times: 2 });
    expect(() => leg.answer(never)).toThrow(/simulated fault: answer threw/);
    expect(() => leg.answer(never)).toThrow(/threw/);
    await leg.answer(never);
    await expect(leg.hold(never)).rejects.toThrow(/hold failed/);
    expect(plan).toEqual(['a:answer', 'a:hold']);
    expect(() => leg.inject('hold', 'reject', { times: 0 })).toThrow(/positive/);
  });

  it('dispose can be made to throw, reject or hang, and then does not free the leg', async () => {
    const phone = new SimulatedPhone();
    const leg = phone.ring(caller);
    leg.inject('dispose', 'throw');
    leg.inject('dispose', 'reject');
    expect(() => leg.dispose()).toThrow(/dispose threw/);
    await expect(leg.dispose()).rejects.toThrow(/dispose failed/);
    expect(phone.legs()).toEqual([leg]);
  });
});

describe('SimulatedPhone: outbound calls', () => {
  it.each([
    ['answer', ['talking'], 'TALKING'],
    ['busy', ['busy'], 'RELEASED'],
    ['fail', ['failed'], 'RELEASED'],
    ['noAnswer', [], 'DIALING'],
  ] as const)('a dial the plan says %s', async (outcome, expected, state) => {
    const clock = new ManualClock();
    const phone = new SimulatedPhone({ schedule: clock.schedule, dialPlan: () => ({ outcome, afterMs: 100 }) });
    const dialled = phone.dial('+15550002', never);
    await clock.advance(0);
    const leg = await dialled;
    expect(leg.snapshot()).toEqual({ state: 'DIALING', parties: [{ number: '+15550002' }], muted: false });
    const events = record(leg);
    await clock.advance(100);
    expect(events.map((event) => event.type)).toEqual(expected);
    expect(leg.snapshot().state).toBe(state);
  });

  it('a dial rejects when its signal aborts before the leg exists', async () => {
    const clock = new ManualClock();
    const phone = new SimulatedPhone({ schedule: clock.schedule, latencyMs: 100 });
    const controller = new AbortController();
    const dialled = phone.dial('2001', controller.signal);
    controller.abort();
    await expect(dialled).rejects.toThrow(/aborted/);
    expect(phone.legs()).toEqual([]);
  });

  it('a failed dial carries its reason, a named far end its name', async () => {
    const phone = new SimulatedPhone({
      dialPlan: (number) => (number === '1' ? { outcome: 'fail', reason: 'no route' } : { outcome: 'answer', name: 'Desk' }),
    });
    const failing = await phone.dial('1', never);
    const failed = new Promise<PhoneEvent>((resolve) => failing.subscribe(resolve));
    expect(await failed).toEqual({ type: 'failed', reason: 'no route' });
    const answered = await phone.dial('2', never);
    expect(answered.snapshot().parties).toEqual([{ number: '2', name: 'Desk' }]);
  });
});

describe('SimulatedPhone: transfer and conference', () => {
  it('a transfer resolves, then the leg ends with reason transferred', async () => {
    const { leg, events } = await talkingLeg();
    const order: string[] = [];
    leg.subscribe((event) => order.push(event.type));
    await leg.transfer!('2099', never).then(() => order.push('resolved'));
    await new Promise<void>((resolve) => leg.subscribe(() => resolve()));
    expect(order).toEqual(['resolved', 'ended']);
    expect(events).toEqual([{ type: 'ended', reason: 'transferred' }]);
  });

  it('transferFailed and conferenceFailed come later when the plans say fail', async () => {
    const clock = new ManualClock();
    const phone = new SimulatedPhone({
      schedule: clock.schedule,
      transferPlan: () => ({ outcome: 'fail', reason: 'no answer', afterMs: 500 }),
      conferencePlan: () => ({ outcome: 'fail', reason: 'rejected', afterMs: 500 }),
    });
    const leg = phone.ring(caller);
    const answered = leg.answer(never);
    await clock.advance(0);
    await answered;
    const events = record(leg);
    const transferred = leg.transfer!('2099', never);
    const conferenced = leg.conference!('2001', never);
    await clock.advance(0);
    await Promise.all([transferred, conferenced]);
    expect(events).toEqual([]);
    await clock.advance(500);
    expect(events).toEqual([
      { type: 'transferFailed', reason: 'no answer' },
      { type: 'conferenceFailed', reason: 'rejected' },
    ]);
    expect(leg.snapshot().state).toBe('TALKING');
  });

  it('a conference adds the destination as a party', async () => {
    const phone = new SimulatedPhone({ conferencePlan: () => ({ outcome: 'join', name: 'Supervisor' }) });
    const { leg, events } = await talkingLeg(phone);
    await leg.conference!('2001', never);
    await new Promise<void>((resolve) => leg.subscribe(() => resolve()));
    expect(events).toEqual([{ type: 'partyAdded', party: { number: '2001', name: 'Supervisor' } }]);
    expect(leg.snapshot().parties).toEqual([caller, { number: '2001', name: 'Supervisor' }]);
  });
});

describe('SimulatedPhone: snapshot, listeners, dispose and close', () => {
  it('the snapshot follows every delivered event and always lists a party', () => {
    const leg = new SimulatedPhone().ring(caller);
    leg.far.emit({ type: 'talking' });
    leg.far.emit({ type: 'muted' });
    leg.far.emit({ type: 'held' });
    leg.far.join({ number: '2001' });
    leg.far.join({ number: '2001' });
    expect(leg.snapshot()).toEqual({ state: 'HELD', parties: [caller, { number: '2001' }], muted: true });
    leg.far.leave(caller.number);
    expect(() => leg.far.leave('2001')).toThrow(/only party/);
    leg.far.emit({ type: 'partyRemoved', number: '2001' });
    expect(leg.snapshot().parties).toEqual([{ number: '2001' }]);
    leg.far.emit({ type: 'ended' });
    leg.far.emit({ type: 'talking' });
    expect(leg.snapshot().state).toBe('RELEASED');
  });

  it('far.emit hands odd events to listeners as they are without breaking the snapshot', () => {
    const leg = new SimulatedPhone().ring(caller);
    const seen: unknown[] = [];
    leg.subscribe((event) => seen.push(event));
    const odd = [null, { type: 'bogus' }, { type: 'partyAdded' }, { type: 'partyAdded', party: { number: 5 } }, { type: 'partyRemoved' }];
    for (const event of odd) leg.far.emit(event as never);
    expect(seen).toEqual(odd);
    expect(leg.snapshot()).toEqual({ state: 'RINGING', parties: [caller], muted: false });
  });

  it('the snapshot is a copy the caller cannot use to change the call', () => {
    const leg = new SimulatedPhone().ring(caller);
    (leg.snapshot().parties as { number: string }[]).push({ number: 'x' });
    expect(leg.snapshot().parties).toEqual([caller]);
  });

  it('unsubscribe stops delivery; a throwing listener does not stop the others and is reported', () => {
    const reported: string[] = [];
    const leg = new SimulatedPhone({
      onListenerError: (error, legId) => reported.push(`${legId}: ${(error as Error).message}`),
    }).ring(caller, { id: 'L1' });
    const seen: string[] = [];
    leg.subscribe(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = leg.subscribe((event) => seen.push(event.type));
    leg.far.emit({ type: 'talking' });
    unsubscribe();
    unsubscribe();
    leg.far.emit({ type: 'held' });
    expect(seen).toEqual(['talking']);
    expect(reported).toEqual(['L1: listener bug', 'L1: listener bug']);
    expect(leg.listenerCount).toBe(1);
  });

  it('dispose frees the leg but never ends the call', async () => {
    const phone = new SimulatedPhone();
    const { leg, events } = await talkingLeg(phone);
    await leg.dispose();
    expect(leg.disposed).toBe(true);
    expect(phone.legs()).toEqual([]);
    expect(phone.leg(leg.id)).toBeUndefined();
    expect(leg.snapshot().state).toBe('TALKING');
    expect(leg.listenerCount).toBe(0);
    leg.far.hangUp();
    expect(events).toEqual([]);
    await expect(leg.hold(never)).rejects.toThrow(/disposed/);
    await leg.dispose();
  });

  it('close ends every call, frees every leg and refuses new calls', async () => {
    const phone = new SimulatedPhone();
    const ringing = phone.ring(caller);
    const { leg: talking, events } = await talkingLeg(phone);
    const ringingEvents = record(ringing);
    await phone.close();
    expect(events).toEqual([{ type: 'ended', reason: 'the phone closed' }]);
    expect(ringingEvents).toEqual([{ type: 'ended', reason: 'the phone closed' }]);
    expect([ringing.snapshot().state, talking.snapshot().state]).toEqual(['RELEASED', 'RELEASED']);
    expect(phone.legs()).toEqual([]);
    expect(() => phone.ring(caller)).toThrow(/closed/);
    await expect(phone.dial('1', never)).rejects.toThrow(/closed/);
  });

  it('close cancels far-end reactions still pending', async () => {
    const clock = new ManualClock();
    const phone = new SimulatedPhone({ schedule: clock.schedule, dialPlan: () => ({ outcome: 'answer', afterMs: 100 }) });
    const dialled = phone.dial('1', never);
    await clock.advance(0);
    await dialled;
    expect(clock.pending).toBe(1);
    await phone.close();
    expect(clock.pending).toBe(0);
  });
});

describe('SimulatedPhone: a leg keeps a bounded record', () => {
  it('keeps the latest history.calls operation calls and the latest history.tones digits, and counts them all', async () => {
    const { leg } = await talkingLeg(new SimulatedPhone({ history: { calls: 3, tones: 4 } }));
    for (const digits of ['12', '34', '56', '7', '89']) await leg.sendDtmf!(digits, never);
    expect(leg.calls).toEqual([
      { operation: 'sendDtmf', args: ['56'] },
      { operation: 'sendDtmf', args: ['7'] },
      { operation: 'sendDtmf', args: ['89'] },
    ]);
    expect(leg.operationCount).toBe(6);
    expect(leg.far.tones).toBe('6789');
    expect(leg.far.tonesHeard).toBe(9);
  });

  it('by default keeps 1,000 calls and 1,000 digits of a busy leg: its memory stops growing', async () => {
    const { leg } = await talkingLeg();
    for (let i = 0; i < 2_500; i += 1) await leg.sendDtmf!(String(i % 10), never);
    expect(leg.calls).toHaveLength(1_000);
    expect(leg.calls.at(-1)).toEqual({ operation: 'sendDtmf', args: ['9'] });
    expect(leg.operationCount).toBe(2_501);
    expect(leg.far.tones).toHaveLength(1_000);
    expect(leg.far.tones.endsWith('56789')).toBe(true);
    expect(leg.far.tonesHeard).toBe(2_500);
  });

  it('keeps everything with Infinity, nothing with 0, and refuses a bound that is not a whole number ≥ 0', async () => {
    const all = (await talkingLeg(new SimulatedPhone({ history: { calls: Infinity, tones: Infinity } }))).leg;
    const none = (await talkingLeg(new SimulatedPhone({ history: { calls: 0, tones: 0 } }))).leg;
    for (let i = 0; i < 2_100; i += 1) {
      await all.sendDtmf!('1', never);
      await none.sendDtmf!('1', never);
    }
    expect([all.calls.length, all.far.tones.length]).toEqual([2_101, 2_100]);
    expect([none.calls.length, none.far.tones, none.operationCount, none.far.tonesHeard]).toEqual([0, '', 2_101, 2_100]);
    expect(() => new SimulatedPhone({ history: { calls: -1 } })).toThrow(/whole numbers ≥ 0 or Infinity, not -1/);
    expect(() => new SimulatedPhone({ history: { tones: 1.5 } })).toThrow(RangeError);
  });
});
