import { describe, expect, it } from 'vitest';
import { mutedAfter, stateAfter } from '../../src/phone/leg-view.js';
import { PHONE_EVENT_TYPES, type CallState, type PhoneEvent, type PhoneEventType } from '../../src/phone/types.js';

const STATES: readonly CallState[] = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];

/** One event of each type, with the fields its type needs. */
function eventOf(type: PhoneEventType): PhoneEvent {
  switch (type) {
    case 'failed':
    case 'transferFailed':
    case 'conferenceFailed':
      return { type, reason: 'why' };
    case 'partyAdded':
      return { type, party: { number: '1001' } };
    case 'partyRemoved':
      return { type, number: '1001' };
    default:
      return { type } as PhoneEvent;
  }
}

const STATE_OF: Partial<Record<PhoneEventType, CallState>> = {
  ringing: 'RINGING',
  dialing: 'DIALING',
  talking: 'TALKING',
  held: 'HELD',
  busy: 'RELEASED',
  failed: 'RELEASED',
  ended: 'RELEASED',
};

describe('leg-view: a leg snapshot after a phone event', () => {
  it.each(PHONE_EVENT_TYPES)('%s sets the state it names and keeps it otherwise', (type) => {
    for (const state of STATES) {
      expect(stateAfter(state, eventOf(type))).toBe(STATE_OF[type] ?? state);
    }
  });

  it('only muted and unmuted change the mute flag', () => {
    for (const type of PHONE_EVENT_TYPES) {
      for (const muted of [false, true]) {
        const expected = type === 'muted' ? true : type === 'unmuted' ? false : muted;
        expect(mutedAfter(muted, eventOf(type)), `${type} on muted=${muted}`).toBe(expected);
      }
    }
  });

  it('mute events leave the call state alone', () => {
    expect(stateAfter('HELD', { type: 'muted' })).toBe('HELD');
    expect(stateAfter('TALKING', { type: 'unmuted' })).toBe('TALKING');
  });
});
