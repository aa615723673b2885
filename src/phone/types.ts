/**
 * The adapter contract: what a phone hands the core. See docs/contract.md ("The adapter contract").
 *
 * A phone owns call legs; the core drives one leg per conversation destination through these
 * operations and learns of every change through the leg's events. State changes only when the
 * phone reports it, never because an operation resolved.
 */

/** The call states of the conversation destination (the seed's `conversation-state` enum). */
export type CallState = 'RINGING' | 'DIALING' | 'TALKING' | 'HELD' | 'RELEASED';

/** One party on a call. A SIP phone uses the user part of the peer's URI as the number. */
export interface Party {
  readonly number: string;
  readonly name?: string;
}

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

export type PhoneEventListener = (event: PhoneEvent) => void;

/** Leg ids end a dot-separated target, so they hold no dot. */
export const LEG_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * One call leg. Operations take a final AbortSignal (dispose excepted) and return a Promise that
 * resolves when the phone accepted the command (sendDtmf: when the tones have been played).
 * A leg emits the event an operation causes before resolving it whenever the phone's reply
 * already shows it, and acts on the phone's real state (mute on a muted call must not toggle it).
 */
export interface TelephonyLeg {
  readonly id: string;
  snapshot(): LegSnapshot;
  /** Returns a function that removes the listener. */
  subscribe(listener: PhoneEventListener): () => void;
  answer(signal: AbortSignal): Promise<void>;
  release(signal: AbortSignal): Promise<void>;
  hold(signal: AbortSignal): Promise<void>;
  retrieve(signal: AbortSignal): Promise<void>;
  mute?(signal: AbortSignal): Promise<void>;
  unmute?(signal: AbortSignal): Promise<void>;
  transfer?(destination: string, signal: AbortSignal): Promise<void>;
  conference?(destination: string, signal: AbortSignal): Promise<void>;
  removeParty?(number: string, signal: AbortSignal): Promise<void>;
  sendDtmf?(digits: string, signal: AbortSignal): Promise<void>;
  /** Frees what the adapter holds for this leg. Never ends the call. */
  dispose(): Promise<void>;
}

export type LegListener = (leg: TelephonyLeg) => void;

/** A phone: the source of call legs. */
export interface Phone {
  leg(id: string): TelephonyLeg | undefined;
  legs(): readonly TelephonyLeg[];
  /** Called for every new leg (inbound or dialled). Returns a function that removes the listener. */
  onLeg(listener: LegListener): () => void;
  /** Places an outbound call; resolves to the new leg once the phone has created it. */
  dial?(destination: string, signal: AbortSignal): Promise<TelephonyLeg>;
  close(): Promise<void>;
}

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

/** Every leg operation a request may call, in the contract's order. */
export const LEG_OPERATION_NAMES: readonly LegOperationName[] = [
  'answer',
  'release',
  'hold',
  'retrieve',
  'mute',
  'unmute',
  'transfer',
  'conference',
  'removeParty',
  'sendDtmf',
];

/** The operations a leg may lack; the destination answers "not supported by this phone". */
export const OPTIONAL_LEG_OPERATIONS: readonly LegOperationName[] = [
  'mute',
  'unmute',
  'transfer',
  'conference',
  'removeParty',
  'sendDtmf',
];
