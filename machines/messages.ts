/**
 * The outbound messages the machine asks the destination to send. Shapes follow the catalogue
 * (spec/conversation.yaml); the destination checks each one with the generated validateOutbound.
 */
import type { CallModel } from './model.js';

/** The header of a query or request, as far as the machine needs it (rule 1 already held). */
export interface RequestHeader {
  readonly type: string;
  readonly name: string;
  readonly target: string;
  readonly requestId: string;
}

export interface ResponseMessage {
  readonly header: {
    readonly type: 'cti.response';
    readonly name: string;
    readonly target: string;
    readonly requestId: string;
    readonly result: 'SUCCESS' | 'FAILURE';
    readonly errorMessage?: string;
  };
  readonly body: Readonly<Record<string, unknown>>;
}

export interface EventMessage {
  readonly header: { readonly type: 'cti.event'; readonly name: string; readonly target: string };
  readonly body: Readonly<Record<string, unknown>>;
}

export type Outgoing = ResponseMessage | EventMessage;

/** The answer to one request, before it is addressed to a header (a shared outcome has many). */
export type Outcome = { readonly ok: true; readonly body?: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly errorMessage: string };

const ERROR_MESSAGE_MAX = 2048;

export function respond(header: RequestHeader, outcome: Outcome): ResponseMessage {
  const base = { type: 'cti.response' as const, name: header.name, target: header.target, requestId: header.requestId };
  if (outcome.ok) return { header: { ...base, result: 'SUCCESS' }, body: outcome.body ?? {} };
  return { header: { ...base, result: 'FAILURE', errorMessage: outcome.errorMessage.slice(0, ERROR_MESSAGE_MAX) }, body: {} };
}

/** The init response body: the model as the events applied so far leave it. */
export function initBody(model: CallModel): Record<string, unknown> {
  return { 'conversation-state': model.state, parties: model.parties.map((p) => ({ ...p })) };
}

/** Event words without the `conversation.` prefix. */
export type EventWord =
  | 'ringing'
  | 'dialing'
  | 'busy'
  | 'failed'
  | 'held'
  | 'mute'
  | 'talking'
  | 'partyadded'
  | 'partyremoved'
  | 'started'
  | 'ended'
  | 'transfer.failed'
  | 'conference.failed';

export function eventMessage(target: string, word: EventWord, body: Readonly<Record<string, unknown>> = {}): EventMessage {
  return { header: { type: 'cti.event', name: `conversation.${word}`, target }, body };
}
