/**
 * Emits generated/messages.ts. TypeScript does not narrow a union on a nested key such as
 * header.name, so this file supplies the narrowing: MessageOf<Name>, the isMessage guard, typed
 * handler maps and dispatch functions that switch on the name.
 */
import { quote } from './checks.js';
import { addBlocks, finish, newSourceFile } from './emit.js';
import type { CatalogueModel, MessageModel } from './model.js';

function dispatchFunction(
  functionName: string,
  messageType: string,
  handlersType: string,
  ofType: string,
  messages: readonly MessageModel[],
  what: string,
): string {
  const cases = messages.map(
    (message) => `case ${quote(message.name!)}:\n  return handlers[${quote(message.name!)}](message as ${ofType}<${quote(message.name!)}>);`,
  );
  return `
/**
 * Calls the handler for the ${what}'s name and returns what it returns. Pass a validated message;
 * anything else (a type error at the call site: another name, no header, not an object) goes to
 * \`otherwise\` when given, and otherwise the call returns undefined. It never throws on its own
 * account: a bridge's message is data, and a lookup must not become an exception.
 */
export function ${functionName}<R>(message: ${messageType}, handlers: ${handlersType}<R>): R | undefined;
export function ${functionName}<R>(message: ${messageType}, handlers: ${handlersType}<R>, otherwise: (message: unknown) => R): R;
export function ${functionName}<R>(message: ${messageType}, handlers: ${handlersType}<R>, otherwise?: (message: unknown) => R): R | undefined {
  switch (nameOf(message)) {
    ${cases.join('\n')}
    default:
      return otherwise === undefined ? undefined : otherwise(message);
  }
}`;
}

export function emitMessages(catalogue: CatalogueModel, banner: string): string {
  const inbound = catalogue.messages.filter((message) => message.direction === 'inbound');
  const events = catalogue.messages.filter((message) => message.kind === 'event');
  const file = newSourceFile(banner);
  const blocks: string[] = [];
  blocks.push(`
import type { FailureResponse, InboundMessage, OutboundMessage } from './types.js';
import type { EventName, InboundMessageName, MessageName } from './catalogue.js';
import { isMessageName, CATALOGUE } from './catalogue.js';
import { validateInbound, validateOutbound } from './validators.js';

/** Any message of the catalogue, either direction. */
export type AnyMessage = InboundMessage | OutboundMessage;
/** The query or request with this name. */
export type InboundOf<N extends InboundMessageName> = Extract<InboundMessage, { header: { name: N } }>;
/** Every event the client may send. */
export type EventMessage = Extract<OutboundMessage, { header: { type: ${quote(eventType(events))} } }>;
/** The event with this name. */
export type EventOf<N extends EventName> = Extract<EventMessage, { header: { name: N } }>;
/** The query, request or event with this name (names are unique across kinds). */
export type MessageOf<N extends MessageName> = N extends InboundMessageName ? InboundOf<N> : N extends EventName ? EventOf<N> : never;
/** The SUCCESS response that answers the query or request with this name. */
export type SuccessResponseOf<N extends InboundMessageName> = Extract<OutboundMessage, { header: { name: N; result: 'SUCCESS' } }>;
/** Either answer to the query or request with this name. */
export type ResponseOf<N extends InboundMessageName> = SuccessResponseOf<N> | FailureResponse;
/** The body of a SUCCESS answer to this query or request ({} for every request). */
export type ResponseBodyOf<N extends InboundMessageName> = SuccessResponseOf<N>['body'];

/**
 * Whether a value is a valid message with this name: queries and requests are checked as
 * validateInbound does (unknown keys tolerated) but must carry a body; events as validateOutbound does.
 */
export function isMessage<N extends MessageName>(value: unknown, name: N): value is MessageOf<N> {
  if (!isMessageName(name)) return false;
  if (CATALOGUE[name].direction === 'inbound') {
    const result = validateInbound(value);
    return result.ok && result.message === value && result.message.header.name === name;
  }
  const result = validateOutbound(value);
  return result.ok && result.message.header.name === name && result.message.header.type === ${quote(eventType(events))};
}

/** One handler per query and request: adding one to the catalogue breaks every incomplete map. */
export type InboundHandlers<R> = { readonly [N in InboundMessageName]: (message: InboundOf<N>) => R };
/** One handler per event. */
export type EventHandlers<R> = { readonly [N in EventName]: (message: EventOf<N>) => R };

/** header.name when the value has one; undefined for anything else, a throwing getter included. */
function nameOf(message: unknown): unknown {
  try {
    if (typeof message !== 'object' || message === null) return undefined;
    const header: unknown = (message as { header?: unknown }).header;
    return typeof header === 'object' && header !== null ? (header as { name?: unknown }).name : undefined;
  } catch {
    return undefined;
  }
}
`);
  blocks.push(dispatchFunction('dispatchInbound', 'InboundMessage', 'InboundHandlers', 'InboundOf', inbound, 'query or request'));
  blocks.push(dispatchFunction('dispatchEvent', 'EventMessage', 'EventHandlers', 'EventOf', events, 'event'));
  blocks.push(`
/** dispatchInbound under its short name: the bridge's messages are what a client dispatches. */
export const dispatch = dispatchInbound;
`);
  addBlocks(file, blocks);
  return finish(file);
}

function eventType(events: readonly MessageModel[]): string {
  const first = events[0];
  if (first === undefined) return 'cti.event';
  const type = first.header.properties.find((property) => property.name === 'type')!.field;
  return type.kind === 'const' ? type.value : 'cti.event';
}
