/**
 * Emits generated/builders.ts: one builder per query and request, by short name
 * (`buildInbound.hold(target, requestId)`), so code and tests never hand-build `{ header, body }`
 * frames and cast them. The header's constant fields come from the catalogue; a request with a body
 * takes it as its third argument, typed by the generated body type.
 */
import { quote } from './checks.js';
import { addBlocks, finish, newSourceFile } from './emit.js';
import type { CatalogueModel, MessageModel } from './model.js';

/** The last segment of a catalogue name: `conversation.request.hold` -> `hold`. */
export function shortOf(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const end = flat.search(/\.(\s|$)/);
  return (end === -1 ? flat : flat.slice(0, end + 1)).replace(/\*\//g, '* /');
}

function headerFields(message: MessageModel): string {
  const fields = message.header.properties.map((property) => {
    if (property.field.kind === 'const') return `${property.name}: ${quote(property.field.value)}`;
    if (property.name === 'target' || property.name === 'requestId') return property.name;
    if (property.optional) return undefined;
    throw new Error(`${message.id}: header field ${property.name} has no builder argument`);
  });
  return fields.filter((field) => field !== undefined).join(', ');
}

function builder(message: MessageModel): string {
  const hasBody = message.body.properties.length > 0;
  const bodyRequired = message.body.properties.some((property) => !property.optional);
  const bodyParam = hasBody ? `, body${bodyRequired ? '' : '?'}: ${message.typeName}['body']` : '';
  const bodyValue = hasBody ? (bodyRequired ? '{ ...body }' : '{ ...(body ?? {}) }') : '{}';
  return `  /** \`${message.name}\`: ${firstSentence(message.description)} */
  ${shortOf(message.name!)}: (target: string, requestId: string${bodyParam}): ${message.typeName} => ({
    header: { ${headerFields(message)} },
    body: ${bodyValue},
  }),`;
}

const pascal = (key: string): string => key.replace(/(^|[^A-Za-z0-9])([a-z])/g, (_m, _sep, letter: string) => letter.toUpperCase());

export function emitBuilders(catalogue: CatalogueModel, banner: string): string {
  const inbound = catalogue.messages.filter((message) => message.direction === 'inbound' && message.name !== undefined);
  const keys = catalogue.destinations.map((destination) => destination.key);
  const first = keys[0]!;
  const ofDestination = (key: string) => inbound.filter((message) => message.destination === key);
  for (const key of keys) {
    const shorts = ofDestination(key).map((message) => shortOf(message.name!));
    const repeated = shorts.find((name, index) => shorts.indexOf(name) !== index);
    if (repeated !== undefined) throw new Error(`two queries or requests of ${key} share the short name ${repeated}`);
  }
  const objects = keys.map(
    (key) => `/** Builders of the ${key} destination's queries and requests, by short name. */
export const build${pascal(key)} = {
${ofDestination(key).map(builder).join('\n')}
} as const;`,
  );
  const firstMessages = ofDestination(first);
  const file = newSourceFile(banner);
  addBlocks(file, [
    `
import type { ${inbound.map((message) => message.typeName).join(', ')} } from './types.js';
import type { InboundMessageName } from './catalogue.js';
import type { InboundOf } from './messages.js';

${objects.join('\n\n')}

/**
 * Builds each query and request of the ${first} destination from its short name (the last segment
 * of its catalogue name): \`buildInbound.${shortOf(firstMessages.find((m) => m.body.properties.length === 0)?.name ?? firstMessages[0]!.name!)}(target, requestId)\`; one with a body takes it
 * third. The result is typed as the catalogue's message; its body is a copy of the one given.
 * Builders check nothing at run time: pass the result to \`validateInbound\` when its parts come
 * from outside.
 */
export const buildInbound = build${pascal(first)};

/** Each query's and request's catalogue name by its short name (the ${first} destination). */
export const INBOUND_NAME_BY_SHORT_NAME = {
${firstMessages.map((message) => `  ${shortOf(message.name!)}: ${quote(message.name!)},`).join('\n')}
} as const;

/** A query's or request's short name in the ${first} destination. */
export type InboundShortName = keyof typeof INBOUND_NAME_BY_SHORT_NAME;
/** The catalogue name of the query or request with this short name. */
export type InboundNameOf<S extends InboundShortName> = (typeof INBOUND_NAME_BY_SHORT_NAME)[S];
/** The body a query or request with this short name carries (\`{}\` for most). */
export type InboundBodyOf<S extends InboundShortName> = InboundOf<InboundNameOf<S>>['body'];

/** Whether a string is the short name of a query or request of the ${first} destination. */
export function isInboundShortName(name: string): name is InboundShortName {
  return Object.prototype.hasOwnProperty.call(INBOUND_NAME_BY_SHORT_NAME, name);
}

const BUILDER_BY_NAME: Readonly<Record<InboundMessageName, (target: string, requestId: string, body: never) => unknown>> = {
${inbound.map((message) => `  ${quote(message.name!)}: build${pascal(message.destination!)}.${shortOf(message.name!)},`).join('\n')}
};

/** The message a catalogue name builds, for code that holds the name as a value. */
export function buildInboundMessage<N extends InboundMessageName>(name: N, target: string, requestId: string, body: InboundOf<N>['body']): InboundOf<N> {
  return BUILDER_BY_NAME[name](target, requestId, body as never) as InboundOf<N>;
}
`,
  ]);
  return finish(file);
}
