/** docs/contract.md, "The sequences that follow, after the first init response". */
import { describe, expect, it } from 'vitest';
import type { CallState, Party, PhoneEvent } from '../../src/phone/types.js';
import { CALLER, harness, scriptedLeg } from '../support/scripted-leg.js';

function play(state: CallState, events: PhoneEvent[], parties: Party[] = [CALLER], muted = false): string[] {
  const leg = scriptedLeg({ state, parties, muted });
  const h = harness({ leg });
  h.init();
  for (const event of events) leg.emit(event);
  return h.events();
}

describe('event sequences', () => {
  it('inbound answered: ringing, started, partyadded..., talking', () => {
    expect(play('RINGING', [{ type: 'talking' }], [CALLER, { number: '2001' }])).toEqual(['ringing', 'started', 'partyadded', 'partyadded', 'talking']);
  });

  it('inbound abandoned (caller hangs up while ringing): ringing, started, ended', () => {
    expect(play('RINGING', [{ type: 'ended', reason: 'caller hung up' }])).toEqual(['ringing', 'started', 'ended']);
  });

  it('outbound answered: dialing, started, partyadded..., talking', () => {
    expect(play('DIALING', [{ type: 'talking' }], [{ number: '2001' }])).toEqual(['dialing', 'started', 'partyadded', 'talking']);
  });

  it('outbound busy: dialing, busy, started, ended; a later phone ended is a dup', () => {
    expect(play('DIALING', [{ type: 'busy' }, { type: 'ended' }], [{ number: '2001' }])).toEqual(['dialing', 'busy', 'started', 'ended']);
  });

  it('outbound failed: dialing, failed, started, ended', () => {
    expect(play('DIALING', [{ type: 'failed', reason: 'invalid number' }, { type: 'ended' }], [{ number: '2001' }])).toEqual([
      'dialing',
      'failed',
      'started',
      'ended',
    ]);
  });

  it('init while TALKING, then a hold: started, held', () => {
    expect(play('TALKING', [{ type: 'held' }])).toEqual(['started', 'held']);
  });

  it('init while HELD, then a retrieve: started, talking', () => {
    expect(play('HELD', [{ type: 'talking' }])).toEqual(['started', 'talking']);
  });

  it('init while HELD and muted, then a retrieve: started, talking, mute', () => {
    expect(play('HELD', [{ type: 'talking' }], [CALLER], true)).toEqual(['started', 'talking', 'mute']);
  });

  it('init while RELEASED: nothing, and nothing after', () => {
    expect(play('RELEASED', [{ type: 'talking' }, { type: 'ended' }])).toEqual([]);
  });

  it('started is sent once, before the first talking, held or ended; a phone started sends nothing', () => {
    expect(play('RINGING', [{ type: 'started' }, { type: 'talking' }, { type: 'held' }, { type: 'talking' }, { type: 'ended' }])).toEqual([
      'ringing',
      'started',
      'partyadded',
      'talking',
      'held',
      'talking',
      'ended',
    ]);
  });

  it('mute only while TALKING; unmute while TALKING says talking', () => {
    expect(
      play('TALKING', [{ type: 'muted' }, { type: 'held' }, { type: 'unmuted' }, { type: 'muted' }, { type: 'talking' }, { type: 'unmuted' }]),
    ).toEqual(['started', 'mute', 'held', 'talking', 'mute', 'talking']);
  });
});
