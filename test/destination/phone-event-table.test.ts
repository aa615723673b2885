/**
 * One test per cell of the phone-event x state table of docs/contract.md, plus RELEASED (every event
 * ignored). The leg starts in the state, the init is answered (its own events are cleared), the
 * event is reported, and the events sent, the model and the diagnostics are checked against
 * literals written from docs/contract.md.
 */
import { internalActor } from '../../src/destination/internal.js';
import { describe, expect, it } from 'vitest';
import type { CallState, PhoneEvent } from '../../src/phone/types.js';
import { CALLER, flush, harness, scriptedLeg } from '../support/scripted-leg.js';

const SUPERVISOR = { number: '2001', name: 'Supervisor' };

interface Expect {
  events: string[];
  state: CallState;
  diag?: boolean;
  muted?: boolean;
}

async function report(state: CallState, event: PhoneEvent, setup: { muted?: boolean; parties?: typeof CALLER[] } = {}) {
  const leg = scriptedLeg({ state, muted: setup.muted ?? false, parties: setup.parties ?? [CALLER, SUPERVISOR] });
  const h = harness({ leg });
  h.init();
  await flush();
  h.take();
  h.diagnostics.length = 0;
  leg.emit(event);
  await flush();
  const context = internalActor(h.destination).getSnapshot().context;
  return { h, events: h.events(), model: context.model, diagnostics: h.diagnostics.slice() };
}

const ev = {
  ringing: { type: 'ringing' },
  dialing: { type: 'dialing' },
  started: { type: 'started' },
  talking: { type: 'talking' },
  held: { type: 'held' },
  muted: { type: 'muted' },
  unmuted: { type: 'unmuted' },
  busy: { type: 'busy' },
  failed: { type: 'failed', reason: 'Number unreachable' },
  ended: { type: 'ended', reason: 'far end hung up' },
  partyAdded: { type: 'partyAdded', party: { number: '3003', name: 'Expert' } },
  partyRemoved: { type: 'partyRemoved', number: '2001' },
  transferFailed: { type: 'transferFailed', reason: 'Destination did not answer' },
  conferenceFailed: { type: 'conferenceFailed', reason: 'Destination busy' },
} satisfies Record<string, PhoneEvent>;

// event, state, muted before, expectation — straight from the table in docs/contract.md and its rules.
const CELLS: [keyof typeof ev, CallState, boolean, Expect][] = [
  ['ringing', 'RINGING', false, { events: [], state: 'RINGING' }],
  ['ringing', 'DIALING', false, { events: [], state: 'DIALING', diag: true }],
  ['ringing', 'TALKING', false, { events: [], state: 'TALKING', diag: true }],
  ['ringing', 'HELD', false, { events: [], state: 'HELD', diag: true }],
  ['dialing', 'RINGING', false, { events: [], state: 'RINGING', diag: true }],
  ['dialing', 'DIALING', false, { events: [], state: 'DIALING' }],
  ['dialing', 'TALKING', false, { events: [], state: 'TALKING', diag: true }],
  ['dialing', 'HELD', false, { events: [], state: 'HELD', diag: true }],
  ['started', 'RINGING', false, { events: [], state: 'RINGING' }],
  ['started', 'DIALING', false, { events: [], state: 'DIALING' }],
  ['started', 'TALKING', false, { events: [], state: 'TALKING' }],
  ['started', 'HELD', false, { events: [], state: 'HELD' }],
  ['talking', 'RINGING', false, { events: ['started', 'partyadded', 'partyadded', 'talking'], state: 'TALKING' }],
  ['talking', 'DIALING', false, { events: ['started', 'partyadded', 'partyadded', 'talking'], state: 'TALKING' }],
  ['talking', 'TALKING', false, { events: [], state: 'TALKING' }],
  ['talking', 'HELD', false, { events: ['talking'], state: 'TALKING' }],
  ['held', 'RINGING', false, { events: [], state: 'RINGING', diag: true }],
  ['held', 'DIALING', false, { events: [], state: 'DIALING', diag: true }],
  ['held', 'TALKING', false, { events: ['held'], state: 'HELD' }],
  ['held', 'HELD', false, { events: [], state: 'HELD' }],
  ['muted', 'RINGING', false, { events: [], state: 'RINGING', diag: true, muted: false }],
  ['muted', 'DIALING', false, { events: [], state: 'DIALING', diag: true, muted: false }],
  ['muted', 'TALKING', false, { events: ['mute'], state: 'TALKING', muted: true }],
  ['muted', 'TALKING', true, { events: [], state: 'TALKING', muted: true }],
  ['muted', 'HELD', false, { events: [], state: 'HELD', muted: true }],
  ['muted', 'HELD', true, { events: [], state: 'HELD', muted: true }],
  ['unmuted', 'RINGING', false, { events: [], state: 'RINGING', diag: true }],
  ['unmuted', 'DIALING', false, { events: [], state: 'DIALING', diag: true }],
  ['unmuted', 'TALKING', true, { events: ['talking'], state: 'TALKING', muted: false }],
  ['unmuted', 'TALKING', false, { events: [], state: 'TALKING', muted: false }],
  ['unmuted', 'HELD', true, { events: [], state: 'HELD', muted: false }],
  ['unmuted', 'HELD', false, { events: [], state: 'HELD', muted: false }],
  ['busy', 'RINGING', false, { events: ['started', 'ended'], state: 'RELEASED', diag: true }],
  ['busy', 'DIALING', false, { events: ['busy', 'started', 'ended'], state: 'RELEASED' }],
  ['busy', 'TALKING', false, { events: ['ended'], state: 'RELEASED', diag: true }],
  ['busy', 'HELD', false, { events: ['ended'], state: 'RELEASED', diag: true }],
  ['failed', 'RINGING', false, { events: ['started', 'ended'], state: 'RELEASED', diag: true }],
  ['failed', 'DIALING', false, { events: ['failed', 'started', 'ended'], state: 'RELEASED' }],
  ['failed', 'TALKING', false, { events: ['ended'], state: 'RELEASED', diag: true }],
  ['failed', 'HELD', false, { events: ['ended'], state: 'RELEASED', diag: true }],
  ['ended', 'RINGING', false, { events: ['started', 'ended'], state: 'RELEASED' }],
  ['ended', 'DIALING', false, { events: ['started', 'ended'], state: 'RELEASED' }],
  ['ended', 'TALKING', false, { events: ['ended'], state: 'RELEASED' }],
  ['ended', 'HELD', false, { events: ['ended'], state: 'RELEASED' }],
  ['partyAdded', 'RINGING', false, { events: ['partyadded'], state: 'RINGING' }],
  ['partyAdded', 'DIALING', false, { events: ['partyadded'], state: 'DIALING' }],
  ['partyAdded', 'TALKING', false, { events: ['partyadded'], state: 'TALKING' }],
  ['partyAdded', 'HELD', false, { events: ['partyadded'], state: 'HELD' }],
  ['partyRemoved', 'RINGING', false, { events: ['partyremoved'], state: 'RINGING' }],
  ['partyRemoved', 'DIALING', false, { events: ['partyremoved'], state: 'DIALING' }],
  ['partyRemoved', 'TALKING', false, { events: ['partyremoved'], state: 'TALKING' }],
  ['partyRemoved', 'HELD', false, { events: ['partyremoved'], state: 'HELD' }],
  ['transferFailed', 'RINGING', false, { events: [], state: 'RINGING', diag: true }],
  ['transferFailed', 'DIALING', false, { events: [], state: 'DIALING', diag: true }],
  ['transferFailed', 'TALKING', false, { events: ['transfer.failed'], state: 'TALKING' }],
  ['transferFailed', 'HELD', false, { events: ['transfer.failed'], state: 'HELD' }],
  ['conferenceFailed', 'RINGING', false, { events: [], state: 'RINGING', diag: true }],
  ['conferenceFailed', 'DIALING', false, { events: [], state: 'DIALING', diag: true }],
  ['conferenceFailed', 'TALKING', false, { events: ['conference.failed'], state: 'TALKING' }],
  ['conferenceFailed', 'HELD', false, { events: ['conference.failed'], state: 'HELD' }],
];

describe('phone event x state table', () => {
  for (const [event, state, muted, expected] of CELLS) {
    it(`${event} in ${state}${muted ? ' (muted)' : ''}: ${expected.events.join(', ') || (expected.diag ? 'diag' : 'nothing')}`, async () => {
      const result = await report(state, ev[event], { muted });
      expect(result.events).toEqual(expected.events);
      expect(result.model.state).toBe(expected.state);
      if (expected.muted !== undefined) expect(result.model.muted).toBe(expected.muted);
      expect(result.diagnostics.length > 0).toBe(expected.diag ?? false);
    });
  }

  for (const event of Object.keys(ev) as (keyof typeof ev)[]) {
    it(`${event} in RELEASED: ignored`, async () => {
      const result = await report('RELEASED', ev[event]);
      expect(result.events).toEqual([]);
      expect(result.model.state).toBe('RELEASED');
      expect(result.diagnostics).toEqual([]);
    });
  }

  it('partyadded carries the number and name; a listed party is not added twice', async () => {
    const { h } = await report('TALKING', ev.partyAdded);
    expect(h.sent.map((m) => m.body)).toEqual([{ number: '3003', name: 'Expert' }]);
    h.leg.emit(ev.partyAdded);
    h.leg.emit({ type: 'partyAdded', party: { number: '2001' } });
    expect(h.events()).toEqual(['partyadded']);
    expect(internalActor(h.destination).getSnapshot().context.model.parties.map((p) => p.number)).toEqual(['+15551230001', '2001', '3003']);
  });

  it('a removed party leaves the model and the next init body', async () => {
    const { h, model } = await report('HELD', ev.partyRemoved);
    expect(model.parties).toEqual([CALLER]);
    h.init();
    expect(h.sent.at(-1)?.body).toEqual({ 'conversation-state': 'HELD', parties: [CALLER] });
  });

  it('the only party is kept listed when the phone removes it (diag)', async () => {
    const { events, model, diagnostics } = await report('TALKING', { type: 'partyRemoved', number: CALLER.number }, { parties: [CALLER] });
    expect(events).toEqual([]);
    expect(model.parties).toEqual([CALLER]);
    expect(diagnostics.map((d) => d.code)).toEqual(['only-party-kept']);
  });

  it('removing a party that is not listed sends nothing (diag)', async () => {
    const { events, diagnostics } = await report('TALKING', { type: 'partyRemoved', number: '7777' });
    expect(events).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['party-not-listed']);
  });

  it('failed, transfer.failed and conference.failed carry the reason', async () => {
    const failed = await report('DIALING', ev.failed);
    expect(failed.h.sent[0].body).toEqual({ reason: 'Number unreachable' });
    const transfer = await report('TALKING', ev.transferFailed);
    expect(transfer.h.sent[0].body).toEqual({ reason: 'Destination did not answer' });
    const conference = await report('HELD', { type: 'conferenceFailed', reason: '' });
    expect(conference.h.sent[0].body).toEqual({ reason: 'no reason given' });
  });

  it('a call muted while HELD says so when retrieved: talking, then mute', async () => {
    const { h } = await report('HELD', ev.muted);
    h.leg.emit(ev.talking);
    expect(h.events()).toEqual(['talking', 'mute']);
  });

  it('an event of no known type is dropped with a diagnostic', async () => {
    const { events, diagnostics } = await report('TALKING', { type: 'exploded' } as unknown as PhoneEvent);
    expect(events).toEqual([]);
    expect(diagnostics.map((d) => d.code)).toEqual(['bad-phone-event']);
  });
});
