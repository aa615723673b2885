/**
 * The two tables of the behaviour contract (docs/contract.md), kept as data. The machine decides from
 * them; `requestTableMarkdown` and `phoneEventTableMarkdown` print them, and a test checks the
 * print against docs/contract.md so the docs and the code cannot drift apart.
 */
import { CONVERSATION_STATE_VALUES, type RequestName as CatalogueRequestName } from '../generated/catalogue.js';
import type { CallState, PhoneEventType } from './types.js';

/**
 * The short request names: the last segment of each catalogue name, `conversation.request.<name>`
 * (spec/conversation.yaml), so a request renamed or added in the spec breaks the tables at compile
 * time.
 */
export type RequestName = CatalogueRequestName extends `conversation.request.${infer Name}` ? Name : never;

/** Every request, in the contract's order (the request table's rows). */
export const REQUEST_NAMES: readonly RequestName[] = [
  'answer',
  'release',
  'hold',
  'retrieve',
  'mute',
  'unmute',
  'transfer',
  'conference',
  'removeparty',
  'senddtmf',
  'dispose',
];

/** What a request gets in one call state. */
export type RequestCell =
  | 'call' //               call the leg's operation; its outcome is the answer
  | 'ok' //                 SUCCESS without calling the phone
  | 'no' //                 FAILURE naming the request and the state
  | 'call-unless-muted' //  mute: ok when already muted
  | 'call-if-muted' //      unmute: ok when not muted
  | 'call-if-listed' //     removeparty: no when the number is not a listed party
  | 'call-tones' //         senddtmf: SUCCESS only once the tones were played
  | 'detach'; //            dispose: SUCCESS, then let go of the leg

export const REQUEST_CELL_WORDS: Readonly<Record<RequestCell, string>> = {
  call: 'call',
  ok: 'ok',
  no: 'no',
  'call-unless-muted': 'call; ok if already muted',
  'call-if-muted': 'call if muted; else ok',
  'call-if-listed': 'call if the number is listed; else no',
  'call-tones': 'call; SUCCESS once the tones are played',
  detach: 'detach',
};

/** The call states in the catalogue's order, which is the order of the tables' columns. */
export const CALL_STATES: readonly CallState[] = CONVERSATION_STATE_VALUES;

type Row<C> = readonly [C, C, C, C, C];
const row = <C>(...cells: Row<C>): Row<C> => cells;

/** Cells in CALL_STATES order. */
export const REQUEST_TABLE: Readonly<Record<RequestName, Row<RequestCell>>> = {
  answer: row('call', 'no', 'ok', 'ok', 'no'),
  release: row('call', 'call', 'call', 'call', 'ok'),
  hold: row('no', 'no', 'call', 'ok', 'no'),
  retrieve: row('no', 'no', 'ok', 'call', 'no'),
  mute: row('no', 'no', 'call-unless-muted', 'call-unless-muted', 'no'),
  unmute: row('no', 'no', 'call-if-muted', 'call-if-muted', 'no'),
  transfer: row('no', 'no', 'call', 'call', 'no'),
  conference: row('no', 'no', 'call', 'call', 'no'),
  removeparty: row('no', 'no', 'call-if-listed', 'call-if-listed', 'no'),
  senddtmf: row('no', 'no', 'call-tones', 'no', 'no'),
  dispose: row('detach', 'detach', 'detach', 'detach', 'detach'),
};

export function requestCell(request: RequestName, state: CallState): RequestCell {
  return REQUEST_TABLE[request][CALL_STATES.indexOf(state)];
}

/** What a phone event does in one call state (after RELEASED every event is ignored). */
export type PhoneEventCell =
  | 'dup' //               nothing: already so
  | 'diag' //              nothing sent; reported to the diagnostics hook
  | 'nothing' //           nothing; the started rule sends `started` itself
  | 'answered' //          enter TALKING for the first time: `partyadded` for each party, `talking`
  | 'retrieved' //         enter TALKING from HELD: `talking`, then `mute` if muted
  | 'to-held' //           enter HELD and tell the bridge
  | 'mute-tell' //         set muted, send `mute` (dup if muted)
  | 'mute-quiet' //        set muted, send nothing yet (dup if muted)
  | 'unmute-tell' //       clear muted, send `talking` (dup if not muted)
  | 'unmute-quiet' //      clear muted, send nothing (dup if not muted)
  | 'busy-word' //         send `busy`, then enter RELEASED
  | 'failed-word' //       send `failed`, then enter RELEASED
  | 'end' //               enter RELEASED
  | 'end-diag' //          enter RELEASED and report the odd word to the diagnostics hook
  | 'party-add' //         list the party once; send `partyadded` when new
  | 'party-remove' //      unlist a listed party that is not the only one; send `partyremoved`
  | 'transfer-failed' //   send `transfer.failed`
  | 'conference-failed'; // send `conference.failed`

export const PHONE_EVENT_CELL_WORDS: Readonly<Record<PhoneEventCell, string>> = {
  dup: 'dup',
  diag: 'diag',
  nothing: 'nothing (the started rule sends `started`)',
  answered: 'to TALKING (answered): `partyadded` for each party, then `talking`',
  retrieved: 'to TALKING (retrieved): `talking`, then `mute` if muted',
  'to-held': 'to HELD: `held`',
  'mute-tell': 'muted; send `mute` (dup if muted)',
  'mute-quiet': 'muted; send nothing yet (dup if muted)',
  'unmute-tell': 'unmuted; send `talking` (dup if not muted)',
  'unmute-quiet': 'unmuted; send nothing (dup if not muted)',
  'busy-word': 'send `busy`; to RELEASED: `ended`',
  'failed-word': 'send `failed`; to RELEASED: `ended`',
  end: 'to RELEASED: `ended`',
  'end-diag': 'to RELEASED: `ended`; diag',
  'party-add': 'list once; send `partyadded` when new',
  'party-remove': 'if listed and not the only party: unlist, send `partyremoved`; else diag',
  'transfer-failed': 'send `transfer.failed`',
  'conference-failed': 'send `conference.failed`',
};

/** The states a phone event can act in; RELEASED ignores everything. */
export type LiveCallState = Exclude<CallState, 'RELEASED'>;
export const LIVE_CALL_STATES: readonly LiveCallState[] = ['RINGING', 'DIALING', 'TALKING', 'HELD'];

type LiveRow = readonly [PhoneEventCell, PhoneEventCell, PhoneEventCell, PhoneEventCell];
const live = (...cells: LiveRow): LiveRow => cells;

/** Cells in LIVE_CALL_STATES order. */
export const PHONE_EVENT_TABLE: Readonly<Record<PhoneEventType, LiveRow>> = {
  ringing: live('dup', 'diag', 'diag', 'diag'),
  dialing: live('diag', 'dup', 'diag', 'diag'),
  started: live('nothing', 'nothing', 'nothing', 'nothing'),
  talking: live('answered', 'answered', 'dup', 'retrieved'),
  held: live('diag', 'diag', 'to-held', 'dup'),
  muted: live('diag', 'diag', 'mute-tell', 'mute-quiet'),
  unmuted: live('diag', 'diag', 'unmute-tell', 'unmute-quiet'),
  busy: live('end-diag', 'busy-word', 'end-diag', 'end-diag'),
  failed: live('end-diag', 'failed-word', 'end-diag', 'end-diag'),
  ended: live('end', 'end', 'end', 'end'),
  partyAdded: live('party-add', 'party-add', 'party-add', 'party-add'),
  partyRemoved: live('party-remove', 'party-remove', 'party-remove', 'party-remove'),
  transferFailed: live('diag', 'diag', 'transfer-failed', 'transfer-failed'),
  conferenceFailed: live('diag', 'diag', 'conference-failed', 'conference-failed'),
};

export function phoneEventCell(type: PhoneEventType, state: LiveCallState): PhoneEventCell {
  return PHONE_EVENT_TABLE[type][LIVE_CALL_STATES.indexOf(state)];
}

function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

export function requestTableMarkdown(): string {
  return markdownTable(
    ['request', ...CALL_STATES],
    REQUEST_NAMES.map((name) => [name, ...REQUEST_TABLE[name].map((cell) => REQUEST_CELL_WORDS[cell])]),
  );
}

export function phoneEventTableMarkdown(): string {
  return markdownTable(
    ['phone event', ...LIVE_CALL_STATES],
    (Object.keys(PHONE_EVENT_TABLE) as PhoneEventType[]).map((type) => [
      type,
      ...PHONE_EVENT_TABLE[type].map((cell) => PHONE_EVENT_CELL_WORDS[cell]),
    ]),
  );
}
