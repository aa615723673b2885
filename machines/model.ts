/**
 * The destination's model of its call: what the bridge is told, folded from the phone's events.
 * Plain data, copied on change, so every machine snapshot keeps its own.
 */
import type { CallState, LegSnapshot, Party } from './types.js';

export interface CallModel {
  readonly state: CallState;
  /** Mute is a flag, not a region: measured cheaper, and it only matters in TALKING and HELD. */
  readonly muted: boolean;
  /** Never empty: the init body needs one party. */
  readonly parties: readonly Party[];
}

/** What this destination has already told the bridge, for the send-once rules. */
export interface SentFlags {
  /** An init response has been sent at least once (the first init has its own rules). */
  readonly initialized: boolean;
  readonly started: boolean;
  readonly ended: boolean;
}

// Catalogue limits (spec/conversation.yaml, ConversationParty and the reason fields).
const PARTY_TEXT_MAX = 256;
const REASON_MAX = 1024;
const CONTROL_CHARACTERS = /[\u0000-\u001F\u007F-\u009F]/g;

/** A phone may hand over anything; the bridge only ever sees a party within the catalogue's limits. */
export function cleanParty(party: Party): Party {
  const number = String(party.number ?? '').replace(CONTROL_CHARACTERS, '').slice(0, PARTY_TEXT_MAX);
  const cleaned: { number: string; name?: string } = { number: number === '' ? 'unknown' : number };
  if (typeof party.name === 'string' && party.name !== '') cleaned.name = party.name.slice(0, PARTY_TEXT_MAX);
  return cleaned;
}

export function cleanReason(reason: unknown): string {
  const text = typeof reason === 'string' ? reason.trim() : '';
  return text === '' ? 'no reason given' : text.slice(0, REASON_MAX);
}

const CALL_STATES: readonly CallState[] = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];

/** Reads a leg snapshot into a model; keeps `fallbackParties` if the phone lists none. */
export function modelFromSnapshot(snapshot: LegSnapshot, fallbackParties?: readonly Party[]): CallModel {
  const state = CALL_STATES.includes(snapshot.state) ? snapshot.state : 'RELEASED';
  const listed = Array.isArray(snapshot.parties) ? snapshot.parties.map(cleanParty) : [];
  const parties: Party[] = [];
  for (const party of listed) if (!parties.some((p) => p.number === party.number)) parties.push(party);
  return {
    state,
    muted: snapshot.muted === true,
    parties: parties.length > 0 ? parties : fallbackParties && fallbackParties.length > 0 ? fallbackParties : [{ number: 'unknown' }],
  };
}
