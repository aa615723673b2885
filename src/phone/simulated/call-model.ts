/**
 * The call a simulated leg holds, and how a phone event changes it. The snapshot a leg returns is
 * this model, so it reflects every event the leg has delivered.
 */
import type { CallState, LegSnapshot, Party, PhoneEvent } from '../types.js';

export interface CallModel {
  state: CallState;
  parties: Party[];
  muted: boolean;
}

export function snapshotOf(call: CallModel): LegSnapshot {
  return { state: call.state, parties: call.parties.map((party) => ({ ...party })), muted: call.muted };
}

/**
 * Applies `event` as the contract reads it. A released call stays released (a phone that reports
 * more after the end is not believed), and the party list never becomes empty.
 */
export function applyEvent(call: CallModel, event: PhoneEvent): void {
  // far.emit may be handed anything by a test of odd phones; the call model only takes sound events.
  if (typeof event !== 'object' || event === null || call.state === 'RELEASED') return;
  switch (event.type) {
    case 'ringing':
      call.state = 'RINGING';
      return;
    case 'dialing':
      call.state = 'DIALING';
      return;
    case 'talking':
      call.state = 'TALKING';
      return;
    case 'held':
      call.state = 'HELD';
      return;
    case 'muted':
      call.muted = true;
      return;
    case 'unmuted':
      call.muted = false;
      return;
    case 'busy':
    case 'failed':
    case 'ended':
      call.state = 'RELEASED';
      return;
    case 'partyAdded':
      if (typeof event.party !== 'object' || event.party === null || typeof event.party.number !== 'string') return;
      if (!call.parties.some((party) => party.number === event.party.number)) {
        call.parties.push({ ...event.party });
      }
      return;
    case 'partyRemoved':
      if (call.parties.length > 1 && typeof event.number === 'string') {
        // Numbers are listed once, so this leaves at least one party.
        call.parties = call.parties.filter((party) => party.number !== event.number);
      }
      return;
    case 'started':
    case 'transferFailed':
    case 'conferenceFailed':
      return;
  }
}
