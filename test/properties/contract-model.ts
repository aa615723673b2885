/**
 * The property tests' model of a conversation destination, written straight from docs/contract.md and
 * nothing else: the phone-event × state table, the request × state table, and the bridge's fold
 * of the messages it received (invariant 3). Deliberately tiny and plain: no XState, no queue.
 */
import type { CallState, LegSnapshot, Party, PhoneEvent } from '../../src/phone/types.js';

export interface CallView {
  state: CallState;
  parties: Party[];
  muted: boolean;
}

export function viewOf(snapshot: LegSnapshot): CallView {
  return { state: snapshot.state, parties: snapshot.parties.map((party) => ({ ...party })), muted: snapshot.muted };
}

const listed = (view: CallView, number: string): boolean => view.parties.some((party) => party.number === number);

/** docs/contract.md "Phone events: what each does in each state"; only the model change, not the sends. */
export function applyPhoneEvent(view: CallView, event: PhoneEvent): void {
  if (view.state === 'RELEASED') return; // after RELEASED every phone event is ignored
  const connected = view.state === 'TALKING' || view.state === 'HELD';
  switch (event.type) {
    case 'talking':
      view.state = 'TALKING'; // from RINGING, DIALING and HELD; dup in TALKING
      return;
    case 'held':
      if (connected) view.state = 'HELD'; // diag in RINGING and DIALING
      return;
    case 'muted':
      if (connected) view.muted = true;
      return;
    case 'unmuted':
      if (connected) view.muted = false;
      return;
    case 'busy':
    case 'failed':
    case 'ended':
      view.state = 'RELEASED';
      return;
    case 'partyAdded':
      if (!listed(view, event.party.number)) view.parties.push({ ...event.party });
      return;
    case 'partyRemoved':
      if (listed(view, event.number) && view.parties.length > 1) {
        view.parties = view.parties.filter((party) => party.number !== event.number);
      }
      return;
    case 'ringing': // dup or diag
    case 'dialing': // dup or diag
    case 'started': // the started rule sends it; the model does not change
    case 'transferFailed':
    case 'conferenceFailed':
      return;
  }
}

/** The leg operation a request's `do` cell calls. */
export type OperationName =
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

/**
 * docs/contract.md "Requests: what each gets in each state", read from the leg's side: may the
 * destination call `operation` (with `args`) on a leg whose model is `view`? Only `do` cells call.
 */
export function operationAllowed(operation: OperationName, args: readonly string[], view: CallView): boolean {
  const connected = view.state === 'TALKING' || view.state === 'HELD';
  switch (operation) {
    case 'answer':
      return view.state === 'RINGING';
    case 'release':
      return view.state !== 'RELEASED';
    case 'hold':
      return view.state === 'TALKING';
    case 'retrieve':
      return view.state === 'HELD';
    case 'mute':
      return connected && !view.muted;
    case 'unmute':
      return connected && view.muted;
    case 'transfer':
    case 'conference':
      return connected;
    case 'removeParty':
      return connected && listed(view, args[0] ?? '');
    case 'sendDtmf':
      return view.state === 'TALKING';
  }
}

/** An outbound message as the tests see it (the validators check the exact shape separately). */
export interface Sent {
  readonly header: {
    readonly type: string;
    readonly name: string;
    readonly target: string;
    readonly requestId?: string;
    readonly result?: string;
    readonly errorMessage?: string;
  };
  readonly body: Record<string, unknown>;
}

/**
 * Invariant 3's fold: the init body, then the events after it (ringing→RINGING, dialing→DIALING,
 * talking→TALKING and unmuted, held→HELD, mute→muted, partyadded adds, partyremoved removes,
 * ended→RELEASED). Returns undefined when `messages` holds no init response.
 */
export function foldBridgeView(messages: readonly Sent[]): CallView | undefined {
  let view: CallView | undefined;
  for (const message of messages) {
    const { header, body } = message;
    if (header.type === 'cti.response' && header.name === 'conversation.query.init' && header.result === 'SUCCESS') {
      view = {
        state: body['conversation-state'] as CallState,
        parties: (body.parties as Party[]).map((party) => ({ ...party })),
        muted: false,
      };
      continue;
    }
    if (!view || header.type !== 'cti.event') continue;
    switch (header.name) {
      case 'conversation.ringing':
        view.state = 'RINGING';
        break;
      case 'conversation.dialing':
        view.state = 'DIALING';
        break;
      case 'conversation.talking':
        view.state = 'TALKING';
        view.muted = false;
        break;
      case 'conversation.held':
        view.state = 'HELD';
        break;
      case 'conversation.mute':
        view.muted = true;
        break;
      case 'conversation.partyadded': {
        const party = body as unknown as Party;
        if (!listed(view, party.number)) view.parties.push({ ...party });
        break;
      }
      case 'conversation.partyremoved':
        view.parties = view.parties.filter((party) => party.number !== body.number);
        break;
      case 'conversation.ended':
        view.state = 'RELEASED';
        break;
    }
  }
  return view;
}

/** Parties compared as a set of numbers with their names. */
export function sameParties(a: readonly Party[], b: readonly Party[]): boolean {
  const key = (parties: readonly Party[]): string =>
    JSON.stringify([...parties].map((party) => [party.number, party.name ?? null]).sort());
  return key(a) === key(b);
}
