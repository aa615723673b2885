/**
 * Emits generated/catalogue.ts: the name lists and unions per kind, and CATALOGUE, one entry per
 * query, request and event (kind, direction, destination, body keys, response body keys).
 */
import { quote } from './checks.js';
import { addBlocks, finish, newSourceFile } from './emit.js';
import type { CatalogueModel, MessageModel } from './model.js';

function list(values: readonly string[]): string {
  return `[${values.map(quote).join(', ')}]`;
}

/** `ConversationState` -> `CONVERSATION_STATE_VALUES`. */
export function valuesConstant(typeName: string): string {
  return `${typeName.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_VALUES`;
}

function entry(message: MessageModel, response: MessageModel | undefined): string {
  const body = message.body.properties;
  const fields = [
    `name: ${quote(message.name!)}`,
    `kind: ${quote(message.kind)}`,
    `direction: ${quote(message.direction)}`,
    `destination: ${quote(message.destination!)}`,
    `description: ${quote(message.description)}`,
    `bodyKeys: ${list(body.map((property) => property.name))}`,
    `requiredBodyKeys: ${list(body.filter((property) => !property.optional).map((property) => property.name))}`,
    `responseBodyKeys: ${response === undefined ? 'undefined' : list(response.body.properties.map((property) => property.name))}`,
  ];
  return `${quote(message.name!)}: { ${fields.join(', ')} }`;
}

export function emitCatalogue(catalogue: CatalogueModel, banner: string): string {
  const named = catalogue.messages.filter((message) => message.name !== undefined && message.kind !== 'response');
  const names = (kind: string) => named.filter((message) => message.kind === kind).map((message) => message.name!);
  const file = newSourceFile(banner);
  const blocks: string[] = [];
  blocks.push(`
/** What a message is: the bridge's query or request, the client's response to one, or an event. */
export type MessageKind = 'query' | 'request' | 'response' | 'event';
/** inbound: bridge to client (queries, requests); outbound: client to bridge (responses, events). */
export type MessageDirection = 'inbound' | 'outbound';

/** The destinations the catalogue describes (the first part of every message name). */
export const DESTINATION_KEYS = ${list(catalogue.destinations.map((destination) => destination.key))} as const;
/** One of DESTINATION_KEYS. */
export type DestinationKey = (typeof DESTINATION_KEYS)[number];

/** The queries the bridge may send, in catalogue order. */
export const QUERY_NAMES = ${list(names('query'))} as const;
/** The requests the bridge may send, in catalogue order. */
export const REQUEST_NAMES = ${list(names('request'))} as const;
/** The events the client may send, in catalogue order. */
export const EVENT_NAMES = ${list(names('event'))} as const;

/** A query's catalogue name, one of QUERY_NAMES. */
export type QueryName = (typeof QUERY_NAMES)[number];
/**
 * A request's full catalogue name, one of REQUEST_NAMES (the package also exports it as
 * \`CatalogueRequestName\`; the statechart's short name, the last segment, is \`ShortRequestName\`).
 */
export type RequestName = (typeof REQUEST_NAMES)[number];
/** An event's catalogue name, one of EVENT_NAMES. */
export type EventName = (typeof EVENT_NAMES)[number];
/** The name of anything the bridge sends; a response repeats one of these. */
export type InboundMessageName = QueryName | RequestName;
/** The name of every query, request and event. */
export type MessageName = InboundMessageName | EventName;
`);
  if (catalogue.nameLimit !== undefined) {
    blocks.push(
      `/** How long a header.name from the bridge may be, in characters; a longer one is answered FAILURE. */\nexport const HEADER_NAME_LIMIT = { minLength: ${catalogue.nameLimit.minLength}, maxLength: ${catalogue.nameLimit.maxLength} } as const;`,
    );
  }
  for (const type of catalogue.sharedTypes) {
    if (type.kind !== 'enum') continue;
    blocks.push(`/** Every value of ${type.typeName}, in catalogue order. */\nexport const ${valuesConstant(type.typeName!)} = ${list(type.values)} as const;`);
  }
  const responses = new Map(catalogue.messages.filter((message) => message.answers !== undefined).map((message) => [message.answers!, message]));
  blocks.push(`
/** What the catalogue says about one query, request or event. */
export interface CatalogueEntry<N extends MessageName = MessageName> {
  readonly name: N;
  readonly kind: N extends QueryName ? 'query' : N extends RequestName ? 'request' : 'event';
  readonly direction: N extends InboundMessageName ? 'inbound' : 'outbound';
  readonly destination: DestinationKey;
  readonly description: string;
  /** Every key its body may hold, in catalogue order. */
  readonly bodyKeys: readonly string[];
  readonly requiredBodyKeys: readonly string[];
  /** The body keys of its SUCCESS response (queries and requests); undefined for events. */
  readonly responseBodyKeys: readonly string[] | undefined;
}

/**
 * Every query, request and event by name. It has no prototype, so looking up an outside string
 * such as "toString" finds nothing; catalogueEntry() is the checked way in.
 */
export const CATALOGUE: { readonly [N in MessageName]: CatalogueEntry<N> } = Object.freeze(
  Object.assign(Object.create(null) as object, {
    ${named.map((message) => entry(message, responses.get(message.name!))).join(',\n')}
  } as const),
);

/** Whether a value is the name of a query, request or event in the catalogue. */
export function isMessageName(value: unknown): value is MessageName {
  return typeof value === 'string' && Object.hasOwn(CATALOGUE, value);
}

/** The catalogue entry of a name, or undefined for a name the catalogue lacks. */
export function catalogueEntry(name: string): CatalogueEntry | undefined {
  return isMessageName(name) ? (CATALOGUE[name] as CatalogueEntry) : undefined;
}
`);
  addBlocks(file, blocks);
  return finish(file);
}
