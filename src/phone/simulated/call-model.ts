/**
 * The call a simulated leg holds, and how a phone event changes it. The snapshot a leg returns is
 * this model, so it reflects every event the leg has delivered.
 */
import { mutedAfter, stateAfter } from '../leg-view.js';
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
  call.state = stateAfter(call.state, event);
  call.muted = mutedAfter(call.muted, event);
  switch (event.type) {
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
    default:
      return;
  }
}
