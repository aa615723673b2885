/**
 * What a leg's own snapshot shows after a phone event: its call state and its mute flag. Every
 * phone of this package (the baresip and linphone legs, SimulatedPhone's call model) reads events
 * this way, so a snapshot already shows each event it delivers (docs/contract.md, "The adapter
 * contract"). Parties are each phone's own business and are not handled here.
 */
import type { CallState, PhoneEvent } from './types.js';

/** The call state after `event`; an event that says nothing of the state leaves `state` as it is. */
export function stateAfter(state: CallState, event: PhoneEvent): CallState {
  switch (event.type) {
    case 'ringing':
      return 'RINGING';
    case 'dialing':
      return 'DIALING';
    case 'talking':
      return 'TALKING';
    case 'held':
      return 'HELD';
    case 'busy':
    case 'failed':
    case 'ended':
      return 'RELEASED';
    default:
      return state;
  }
}

/** The mute flag after `event`; only `muted` and `unmuted` change it. */
export function mutedAfter(muted: boolean, event: PhoneEvent): boolean {
  if (event.type === 'muted') return true;
  if (event.type === 'unmuted') return false;
  return muted;
}
