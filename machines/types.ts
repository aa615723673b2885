/**
 * The types the conversation core and the phones share: the call state, parties, leg snapshots,
 * phone events and leg operation names. They live here so that machines/ never reaches into src/;
 * src/phone/types.ts re-exports them for adapter authors. See docs/contract.md, "The adapter contract".
 */
import type { ConversationParty, ConversationState } from '../generated/types.js';

/** The call states of the conversation destination: the catalogue's `conversation-state` values. */
export type CallState = ConversationState;

/** One party on a call. A SIP phone uses the user part of the peer's URI as the number. */
export type Party = Readonly<ConversationParty>;

/** What a leg looks like now; it reflects every event the leg has already delivered. */
export interface LegSnapshot {
  readonly state: CallState;
  /** At least one party: an inbound leg lists the caller, an outbound leg the dialled number. */
  readonly parties: readonly Party[];
  readonly muted: boolean;
}

/** Events a leg reports about its call. */
export type PhoneEvent =
  | { readonly type: 'ringing' }
  | { readonly type: 'dialing' }
  | { readonly type: 'started' }
  | { readonly type: 'talking' }
  | { readonly type: 'held' }
  | { readonly type: 'muted' }
  | { readonly type: 'unmuted' }
  | { readonly type: 'busy' }
  | { readonly type: 'failed'; readonly reason: string }
  | { readonly type: 'ended'; readonly reason?: string }
  | { readonly type: 'partyAdded'; readonly party: Party }
  | { readonly type: 'partyRemoved'; readonly number: string }
  | { readonly type: 'transferFailed'; readonly reason: string }
  | { readonly type: 'conferenceFailed'; readonly reason: string };

export type PhoneEventType = PhoneEvent['type'];

/** Every phone event type, in the order the contract lists them. */
export const PHONE_EVENT_TYPES: readonly PhoneEventType[] = [
  'ringing',
  'dialing',
  'started',
  'talking',
  'held',
  'muted',
  'unmuted',
  'busy',
  'failed',
  'ended',
  'partyAdded',
  'partyRemoved',
  'transferFailed',
  'conferenceFailed',
];

/** Names of the leg operations a request may call. */
export type LegOperationName =
  | 'answer'
  | 'release'
  | 'hold'
  | 'retrieve'
  | 'mute'
  | 'unmute'
  | 'transfer'
  | 'conference'
  | 'removeParty'
  | 'sendDtmf';

/** The operations every leg has (docs/contract.md, "The adapter contract"). */
export const CORE_LEG_OPERATIONS: readonly LegOperationName[] = ['answer', 'release', 'hold', 'retrieve'];

/** The operations a leg may lack; the destination answers "not supported by this phone". */
export const OPTIONAL_LEG_OPERATIONS: readonly LegOperationName[] = ['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'];

/** Every leg operation a request may call, in the contract's order. */
export const LEG_OPERATION_NAMES: readonly LegOperationName[] = [...CORE_LEG_OPERATIONS, ...OPTIONAL_LEG_OPERATIONS];
