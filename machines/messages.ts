/**
 * The outbound messages the machine asks the destination to send. Their shapes are the generated
 * catalogue types (spec/conversation.yaml), so a field renamed in the spec breaks the core at compile
 * time; the destination still checks each one with the generated validateOutbound.
 */
import type { EventName } from '../generated/catalogue.js';
import type { EventMessage as CatalogueEvent } from '../generated/messages.js';
import type { FailureResponse, InboundMessage } from '../generated/types.js';
import type { CallModel } from './model.js';

/**
 * The header of a query or request as the machine reads it. The catalogue's own header type, but
 * with `name` (and `type`) widened to any string: a bridge may send a name this destination does
 * not know, and it is still owed an answer (docs/contract.md, "How a request is handled").
 */
export type RequestHeader = Readonly<Omit<InboundMessage['header'], 'type' | 'name'> & { type: string; name: string }>;

type FailureHeader = FailureResponse['header'];

/** A response: the catalogue's FailureResponse, or a SUCCESS with the same copied header fields. */
export type ResponseMessage =
  | { readonly header: Readonly<FailureHeader>; readonly body: Readonly<Record<string, never>> }
  | {
      readonly header: Readonly<Omit<FailureHeader, 'result' | 'errorMessage'> & { result: 'SUCCESS' }>;
      readonly body: Readonly<Record<string, unknown>>;
    };

/** An event as the catalogue types it. */
export type EventMessage = CatalogueEvent;

export type Outgoing = ResponseMessage | EventMessage;

/** The answer to one request, before it is addressed to a header (a shared outcome has many). */
export type Outcome = { readonly ok: true; readonly body?: Readonly<Record<string, unknown>> } | { readonly ok: false; readonly errorMessage: string };

/** The catalogue's errorMessage limit (FailureResponse). */
const ERROR_MESSAGE_MAX = 2048;

// Each header is written out whole: spreading a shared base into it cost a copy and an object per
// answer (BENCHMARKS.md, "Machine: what the figures say").
export function respond(header: RequestHeader, outcome: Outcome): ResponseMessage {
  const { name, target, requestId } = header;
  if (outcome.ok) return { header: { type: 'cti.response', name, target, requestId, result: 'SUCCESS' }, body: outcome.body ?? {} };
  const errorMessage = outcome.errorMessage.slice(0, ERROR_MESSAGE_MAX);
  return { header: { type: 'cti.response', name, target, requestId, result: 'FAILURE', errorMessage }, body: {} };
}

/** The init response body: the model as the events applied so far leave it. */
export function initBody(model: CallModel): Record<string, unknown> {
  return { 'conversation-state': model.state, parties: model.parties.map((p) => ({ ...p })) };
}

/** Event words without the `conversation.` prefix, from the catalogue's event names. */
export type EventWord = EventName extends `conversation.${infer W}` ? W : never;

export function eventMessage(target: string, word: EventWord, body: Readonly<Record<string, unknown>> = {}): EventMessage {
  return { header: { type: 'cti.event', name: `conversation.${word}`, target }, body } as EventMessage;
}
