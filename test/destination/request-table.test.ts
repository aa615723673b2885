/**
 * One test per cell of the request x state table of docs/contract.md. Expectations are literals written from
 * docs/contract.md: `do` calls the leg and answers its outcome, `ok` answers SUCCESS without the phone,
 * `no` answers FAILURE naming the request and the state, `detach` answers SUCCESS then disposes.
 */
import { describe, expect, it } from 'vitest';
import type { CallState } from '../../src/phone/types.js';
import { CALLER, flush, harness, scriptedLeg } from '../support/scripted-leg.js';

const SUPERVISOR = { number: '2001', name: 'Supervisor' };
const BODIES: Record<string, Record<string, unknown>> = {
  transfer: { destination: '2099' },
  conference: { destination: '2001' },
  removeparty: { number: '2001' },
  senddtmf: { digits: '1234#' },
};

async function inState(state: CallState, muted = false) {
  const leg = scriptedLeg({ state, muted, parties: [CALLER, SUPERVISOR] });
  const h = harness({ leg });
  h.init();
  await flush();
  h.take();
  return h;
}

async function ask(state: CallState, request: string, muted = false, body = BODIES[request]) {
  const h = await inState(state, muted);
  const id = h.request(request, body);
  await flush();
  return { h, outcome: h.outcome(id), calls: h.leg.operations(true) };
}

type Expect = { calls: string[]; outcome: string };
const call = (operation: string): Expect => ({ calls: [operation], outcome: 'SUCCESS' });
const ok: Expect = { calls: [], outcome: 'SUCCESS' };
const no = (request: string, state: string): Expect => ({ calls: [], outcome: `FAILURE: ${request}: not possible while the call is ${state}` });

// request, state, muted, expectation — straight from the table in docs/contract.md.
const CELLS: [string, CallState, boolean, Expect][] = [
  ['answer', 'RINGING', false, call('answer')],
  ['answer', 'DIALING', false, no('answer', 'DIALING')],
  ['answer', 'TALKING', false, ok],
  ['answer', 'HELD', false, ok],
  ['answer', 'RELEASED', false, no('answer', 'RELEASED')],
  ['release', 'RINGING', false, call('release')],
  ['release', 'DIALING', false, call('release')],
  ['release', 'TALKING', false, call('release')],
  ['release', 'HELD', false, call('release')],
  ['release', 'RELEASED', false, ok],
  ['hold', 'RINGING', false, no('hold', 'RINGING')],
  ['hold', 'DIALING', false, no('hold', 'DIALING')],
  ['hold', 'TALKING', false, call('hold')],
  ['hold', 'HELD', false, ok],
  ['hold', 'RELEASED', false, no('hold', 'RELEASED')],
  ['retrieve', 'RINGING', false, no('retrieve', 'RINGING')],
  ['retrieve', 'DIALING', false, no('retrieve', 'DIALING')],
  ['retrieve', 'TALKING', false, ok],
  ['retrieve', 'HELD', false, call('retrieve')],
  ['retrieve', 'RELEASED', false, no('retrieve', 'RELEASED')],
  ['mute', 'RINGING', false, no('mute', 'RINGING')],
  ['mute', 'DIALING', false, no('mute', 'DIALING')],
  ['mute', 'TALKING', false, call('mute')],
  ['mute', 'TALKING', true, ok],
  ['mute', 'HELD', false, call('mute')],
  ['mute', 'HELD', true, ok],
  ['mute', 'RELEASED', false, no('mute', 'RELEASED')],
  ['unmute', 'RINGING', false, no('unmute', 'RINGING')],
  ['unmute', 'DIALING', false, no('unmute', 'DIALING')],
  ['unmute', 'TALKING', true, call('unmute')],
  ['unmute', 'TALKING', false, ok],
  ['unmute', 'HELD', true, call('unmute')],
  ['unmute', 'HELD', false, ok],
  ['unmute', 'RELEASED', false, no('unmute', 'RELEASED')],
  ['transfer', 'RINGING', false, no('transfer', 'RINGING')],
  ['transfer', 'DIALING', false, no('transfer', 'DIALING')],
  ['transfer', 'TALKING', false, call('transfer')],
  ['transfer', 'HELD', false, call('transfer')],
  ['transfer', 'RELEASED', false, no('transfer', 'RELEASED')],
  ['conference', 'RINGING', false, no('conference', 'RINGING')],
  ['conference', 'DIALING', false, no('conference', 'DIALING')],
  ['conference', 'TALKING', false, call('conference')],
  ['conference', 'HELD', false, call('conference')],
  ['conference', 'RELEASED', false, no('conference', 'RELEASED')],
  ['removeparty', 'RINGING', false, no('removeparty', 'RINGING')],
  ['removeparty', 'DIALING', false, no('removeparty', 'DIALING')],
  ['removeparty', 'TALKING', false, call('removeParty')],
  ['removeparty', 'HELD', false, call('removeParty')],
  ['removeparty', 'RELEASED', false, no('removeparty', 'RELEASED')],
  ['senddtmf', 'RINGING', false, no('senddtmf', 'RINGING')],
  ['senddtmf', 'DIALING', false, no('senddtmf', 'DIALING')],
  ['senddtmf', 'TALKING', false, call('sendDtmf')],
  ['senddtmf', 'HELD', false, no('senddtmf', 'HELD')],
  ['senddtmf', 'RELEASED', false, no('senddtmf', 'RELEASED')],
];

describe('request x state table', () => {
  for (const [request, state, muted, expected] of CELLS) {
    it(`${request} in ${state}${muted ? ' (muted)' : ''}: ${expected.calls.length > 0 ? 'do' : expected.outcome === 'SUCCESS' ? 'ok' : 'no'}`, async () => {
      const { outcome, calls } = await ask(state, request, muted);
      expect(calls).toEqual(expected.calls);
      expect(outcome).toBe(expected.outcome);
    });
  }

  for (const state of ['TALKING', 'HELD'] as const) {
    it(`removeparty in ${state} for a number that is not a listed party: no`, async () => {
      const { outcome, calls } = await ask(state, 'removeparty', false, { number: '9999' });
      expect(calls).toEqual([]);
      expect(outcome).toBe('FAILURE: removeparty: that number is not a party on this call');
    });
  }

  for (const state of ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'] as const) {
    it(`dispose in ${state}: detach (SUCCESS, then leg.dispose, nothing else called)`, async () => {
      const h = await inState(state);
      const id = h.request('dispose');
      await flush();
      expect(h.outcome(id)).toBe('SUCCESS');
      expect(h.leg.operations(true)).toEqual(['dispose']);
      expect(h.order.slice(-2)).toEqual(['cti.response conversation.request.dispose', 'leg.dispose']);
      expect(h.leg.listenerCount).toBe(0);
      expect(h.disposedCallbacks).toBe(1);
    });
  }

  it('senddtmf in TALKING answers SUCCESS only after the tones were played', async () => {
    const h = await inState('TALKING');
    h.leg.modes.sendDtmf = 'manual';
    const id = h.request('senddtmf', { digits: '1234#' });
    await flush();
    expect(h.leg.calls.map((c) => [c.operation, c.args])).toEqual([['sendDtmf', ['1234#']]]);
    expect(h.responses(id)).toEqual([]);
    h.leg.settle('sendDtmf');
    await flush();
    expect(h.outcome(id)).toBe('SUCCESS');
  });

  it('a do cell whose operation rejects answers FAILURE with the reason', async () => {
    const h = await inState('TALKING');
    h.leg.modes.hold = 'reject';
    const id = h.request('hold');
    await flush();
    expect(h.outcome(id)).toBe('FAILURE: hold: the phone could not do it: hold refused by the scripted phone');
  });

  it('transfer, conference, removeparty and senddtmf pass their argument to the leg', async () => {
    const h = await inState('TALKING');
    h.request('transfer', { destination: 'sip:2099@pbx.example' });
    h.request('conference', { destination: '+2001' });
    h.request('removeparty', { number: '2001' });
    h.request('senddtmf', { digits: '*9#' });
    await flush();
    expect(h.leg.calls.map((c) => [c.operation, ...c.args])).toEqual([
      ['transfer', 'sip:2099@pbx.example'],
      ['conference', '+2001'],
      ['removeParty', '2001'],
      ['sendDtmf', '*9#'],
    ]);
    for (const c of h.leg.calls) expect(c.signal).toBeInstanceOf(AbortSignal);
  });
});
