/**
 * One valid example of every message the catalogue defines, typed with the generated types.
 * It doubles as the type-level test: a field renamed or removed in the spec, once regenerated,
 * stops this file compiling (`npm run typecheck`), and the mapped types below make a message
 * added to the spec without an example a compile error too.
 */
import type {
  ConversationConferenceFailedEvent,
  ConversationFailedEvent,
  ConversationPartyaddedEvent,
  ConversationPartyremovedEvent,
  ConversationQueryInit,
  ConversationQueryInitResponse,
  ConversationRequestConference,
  ConversationRequestRemoveparty,
  ConversationRequestSenddtmf,
  ConversationRequestTransfer,
  ConversationTransferFailedEvent,
  EventName,
  EventOf,
  FailureResponse,
  InboundMessageName,
  InboundOf,
  SuccessResponseOf,
} from '../../src/index.js';

export const TARGET = 'PB1.S-1001.G-1.TEL.I-5521.leg-7';

function request<N extends InboundMessageName, K extends 'cti.query' | 'cti.request'>(name: N, kind: K, requestId: string) {
  return { type: kind, name, target: TARGET, requestId } as const;
}

function success<N extends InboundMessageName>(name: N, requestId: string) {
  return { type: 'cti.response', name, target: TARGET, requestId, result: 'SUCCESS' } as const;
}

function event<N extends EventName>(name: N) {
  return { type: 'cti.event', name, target: TARGET } as const;
}

const init: ConversationQueryInit = { header: request('conversation.query.init', 'cti.query', 'r-1'), body: {} };
const removeparty: ConversationRequestRemoveparty = {
  header: request('conversation.request.removeparty', 'cti.request', 'r-4'),
  body: { number: '+15551230002' },
};
const transfer: ConversationRequestTransfer = {
  header: request('conversation.request.transfer', 'cti.request', 'r-9'),
  body: { destination: '+15551234567' },
};
const conference: ConversationRequestConference = {
  header: request('conversation.request.conference', 'cti.request', 'r-10'),
  body: { destination: 'sip:carol@example.test' },
};
const senddtmf: ConversationRequestSenddtmf = {
  header: request('conversation.request.senddtmf', 'cti.request', 'r-11'),
  body: { digits: '1234#*' },
};

/** Every query and request, keyed by name. */
export const INBOUND_EXAMPLES: { readonly [N in InboundMessageName]: InboundOf<N> } = {
  'conversation.query.init': init,
  'conversation.request.answer': { header: request('conversation.request.answer', 'cti.request', 'r-2'), body: {} },
  'conversation.request.release': { header: request('conversation.request.release', 'cti.request', 'r-3'), body: {} },
  'conversation.request.removeparty': removeparty,
  'conversation.request.hold': { header: request('conversation.request.hold', 'cti.request', 'r-5'), body: {} },
  'conversation.request.retrieve': { header: request('conversation.request.retrieve', 'cti.request', 'r-6'), body: {} },
  'conversation.request.mute': { header: request('conversation.request.mute', 'cti.request', 'r-7'), body: {} },
  'conversation.request.unmute': { header: request('conversation.request.unmute', 'cti.request', 'r-8'), body: {} },
  'conversation.request.transfer': transfer,
  'conversation.request.conference': conference,
  'conversation.request.senddtmf': senddtmf,
  'conversation.request.dispose': { header: request('conversation.request.dispose', 'cti.request', 'r-12'), body: {} },
};

const initResponse: ConversationQueryInitResponse = {
  header: success('conversation.query.init', 'r-1'),
  body: {
    'conversation-state': 'TALKING',
    parties: [{ number: '+15551230001', name: 'Pat Caller' }, { number: '1002' }],
  },
};

/** The SUCCESS answer to every query and request, keyed by the name it answers. */
export const SUCCESS_EXAMPLES: { readonly [N in InboundMessageName]: SuccessResponseOf<N> } = {
  'conversation.query.init': initResponse,
  'conversation.request.answer': { header: success('conversation.request.answer', 'r-2'), body: {} },
  'conversation.request.release': { header: success('conversation.request.release', 'r-3'), body: {} },
  'conversation.request.removeparty': { header: success('conversation.request.removeparty', 'r-4'), body: {} },
  'conversation.request.hold': { header: success('conversation.request.hold', 'r-5'), body: {} },
  'conversation.request.retrieve': { header: success('conversation.request.retrieve', 'r-6'), body: {} },
  'conversation.request.mute': { header: success('conversation.request.mute', 'r-7'), body: {} },
  'conversation.request.unmute': { header: success('conversation.request.unmute', 'r-8'), body: {} },
  'conversation.request.transfer': { header: success('conversation.request.transfer', 'r-9'), body: {} },
  'conversation.request.conference': { header: success('conversation.request.conference', 'r-10'), body: {} },
  'conversation.request.senddtmf': { header: success('conversation.request.senddtmf', 'r-11'), body: {} },
  'conversation.request.dispose': { header: success('conversation.request.dispose', 'r-12'), body: {} },
};

/** The generic FAILURE response: any name, errorMessage required, empty body. */
export const FAILURE_EXAMPLE: FailureResponse = {
  header: {
    type: 'cti.response',
    name: 'conversation.request.teleport',
    target: TARGET,
    requestId: 'r-13',
    result: 'FAILURE',
    errorMessage: 'teleport: unsupported request',
  },
  body: {},
};

const failed: ConversationFailedEvent = { header: event('conversation.failed'), body: { reason: 'number not in service' } };
const partyadded: ConversationPartyaddedEvent = {
  header: event('conversation.partyadded'),
  body: { number: '+15551230002', name: 'Sam Consult' },
};
const partyremoved: ConversationPartyremovedEvent = { header: event('conversation.partyremoved'), body: { number: '+15551230002' } };
const transferFailed: ConversationTransferFailedEvent = { header: event('conversation.transfer.failed'), body: { reason: 'no answer' } };
const conferenceFailed: ConversationConferenceFailedEvent = {
  header: event('conversation.conference.failed'),
  body: { reason: 'declined' },
};

/** Every event, keyed by name. */
export const EVENT_EXAMPLES: { readonly [N in EventName]: EventOf<N> } = {
  'conversation.ringing': { header: event('conversation.ringing'), body: {} },
  'conversation.dialing': { header: event('conversation.dialing'), body: {} },
  'conversation.busy': { header: event('conversation.busy'), body: {} },
  'conversation.failed': failed,
  'conversation.held': { header: event('conversation.held'), body: {} },
  'conversation.mute': { header: event('conversation.mute'), body: {} },
  'conversation.talking': { header: event('conversation.talking'), body: {} },
  'conversation.partyadded': partyadded,
  'conversation.partyremoved': partyremoved,
  'conversation.started': { header: event('conversation.started'), body: {} },
  'conversation.ended': { header: event('conversation.ended'), body: {} },
  'conversation.transfer.failed': transferFailed,
  'conversation.conference.failed': conferenceFailed,
};

/** A deep copy, so a test can mutate an example freely. */
export function copy<T>(value: T): T {
  return structuredClone(value);
}
