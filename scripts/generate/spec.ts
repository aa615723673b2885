/**
 * Reads the YAML catalogue, checks its own structure (a typo in the spec must stop generation with
 * a clear message, not produce a quietly wrong validator) and normalises it into the model.
 */
import { parse } from 'yaml';
import type {
  CatalogueModel,
  DestinationModel,
  Direction,
  EnumField,
  Field,
  MessageKind,
  MessageModel,
  ObjectField,
  Property,
  StringField,
} from './model.js';

export class SpecError extends Error {
  constructor(where: string, problem: string) {
    super(`${where}: ${problem}`);
    this.name = 'SpecError';
  }
}

type Raw = Record<string, unknown>;

const KINDS: readonly MessageKind[] = ['query', 'request', 'response', 'event'];
const KIND_HEADER_KEYS = new Set(['type', 'name', 'result']);
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const MESSAGE_NAME = /^[a-z][a-z0-9-]*(?:\.[a-z][a-z0-9-]*)+$/;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, where: string): Raw {
  if (!isRecord(value)) throw new SpecError(where, 'must be a mapping');
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new SpecError(where, 'must be a non-empty string');
  return value.trim();
}

function count(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new SpecError(where, 'must be a whole number, 0 or more');
  }
  return value;
}

function onlyKeys(raw: Raw, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(raw)) {
    if (!allowed.includes(key)) throw new SpecError(`${where}.${key}`, `is not a known key (expected one of ${allowed.join(', ')})`);
  }
}

/** `conversation.request.transfer` -> `ConversationRequestTransfer`. */
export function pascalCase(name: string): string {
  return name
    .split(/[.\-_]/)
    .filter((part) => part !== '')
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join('');
}

interface FieldContext {
  readonly types: ReadonlyMap<string, EnumField | ObjectField>;
}

function readField(rawValue: unknown, where: string, context: FieldContext): { field: Field; optional: boolean } {
  const raw = record(rawValue, where);
  const optional = raw.optional === undefined ? false : raw.optional === true;
  if (raw.optional !== undefined && typeof raw.optional !== 'boolean') throw new SpecError(`${where}.optional`, 'must be true or false');
  const description = raw.description === undefined ? undefined : text(raw.description, `${where}.description`);
  if (raw.ref !== undefined) {
    onlyKeys(raw, ['ref', 'optional', 'description'], where);
    const name = text(raw.ref, `${where}.ref`);
    const shared = context.types.get(name);
    if (shared === undefined) throw new SpecError(`${where}.ref`, `names no type declared before it (${name})`);
    return { field: description === undefined ? shared : { ...shared, description }, optional };
  }
  if (raw.enum !== undefined) {
    onlyKeys(raw, ['enum', 'optional', 'description'], where);
    if (!Array.isArray(raw.enum) || raw.enum.length === 0) throw new SpecError(`${where}.enum`, 'must be a non-empty list');
    const values = raw.enum.map((value, index) => text(value, `${where}.enum[${index}]`));
    if (new Set(values).size !== values.length) throw new SpecError(`${where}.enum`, 'lists a value twice');
    return { field: { kind: 'enum', values, description }, optional };
  }
  switch (raw.type) {
    case 'string': {
      onlyKeys(raw, ['type', 'optional', 'description', 'minLength', 'maxLength', 'pattern', 'patternMessage'], where);
      const field: StringField = {
        kind: 'string',
        minLength: raw.minLength === undefined ? undefined : count(raw.minLength, `${where}.minLength`),
        maxLength: raw.maxLength === undefined ? undefined : count(raw.maxLength, `${where}.maxLength`),
        pattern: raw.pattern === undefined ? undefined : text(raw.pattern, `${where}.pattern`),
        patternMessage: raw.patternMessage === undefined ? undefined : text(raw.patternMessage, `${where}.patternMessage`),
        description,
      };
      if (field.pattern !== undefined) {
        try {
          new RegExp(field.pattern, 'u');
        } catch (error) {
          throw new SpecError(`${where}.pattern`, `is not a valid unicode regular expression (${(error as Error).message})`);
        }
        if (field.patternMessage === undefined) throw new SpecError(where, 'has a pattern but no patternMessage');
      }
      if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) {
        throw new SpecError(where, 'has minLength above maxLength');
      }
      return { field, optional };
    }
    case 'array': {
      onlyKeys(raw, ['type', 'optional', 'description', 'items', 'minItems', 'maxItems'], where);
      const items = readField(raw.items, `${where}.items`, context).field;
      return {
        field: {
          kind: 'array',
          items,
          minItems: raw.minItems === undefined ? undefined : count(raw.minItems, `${where}.minItems`),
          maxItems: raw.maxItems === undefined ? undefined : count(raw.maxItems, `${where}.maxItems`),
          description,
        },
        optional,
      };
    }
    case 'object': {
      onlyKeys(raw, ['type', 'optional', 'description', 'properties'], where);
      return { field: readObject(raw.properties ?? {}, `${where}.properties`, context, undefined, description), optional };
    }
    default:
      throw new SpecError(where, 'needs `type` (string, array or object), `enum` or `ref`');
  }
}

function readObject(
  rawValue: unknown,
  where: string,
  context: FieldContext,
  typeName: string | undefined,
  description: string | undefined,
): ObjectField {
  const raw = record(rawValue, where);
  const properties: Property[] = Object.entries(raw).map(([name, value]) => {
    const { field, optional } = readField(value, `${where}.${name}`, context);
    return { name, optional, field };
  });
  return { kind: 'object', properties, typeName, description };
}

function readSharedTypes(rawValue: unknown, where: string, known: Map<string, EnumField | ObjectField>): (EnumField | ObjectField)[] {
  if (rawValue === undefined) return [];
  const raw = record(rawValue, where);
  const declared: (EnumField | ObjectField)[] = [];
  for (const [typeName, value] of Object.entries(raw)) {
    const at = `${where}.${typeName}`;
    if (!TYPE_NAME.test(typeName)) throw new SpecError(at, 'a type name must be PascalCase');
    if (known.has(typeName)) throw new SpecError(at, 'is declared twice');
    const { field, optional } = readField(value, at, { types: known });
    if (optional) throw new SpecError(`${at}.optional`, 'does not apply to a type');
    let named: EnumField | ObjectField;
    if (field.kind === 'enum' || field.kind === 'object') named = { ...field, typeName };
    else throw new SpecError(at, 'a shared type must be an enum or an object');
    known.set(typeName, named);
    declared.push(named);
  }
  return declared;
}

interface KindSpec {
  readonly type: string;
  readonly direction: Direction;
  readonly header: readonly string[];
  readonly description: string;
}

function constant(value: string, description?: string): Field {
  return { kind: 'const', value, description };
}

function anyString(description?: string): StringField {
  return { kind: 'string', description };
}

function objectOf(properties: Property[], description?: string): ObjectField {
  return { kind: 'object', properties, description };
}

function headerFor(
  kind: KindSpec,
  name: string,
  result: 'SUCCESS' | undefined,
  fields: ReadonlyMap<string, StringField>,
): ObjectField {
  const properties: Property[] = kind.header.map((key) => {
    if (key === 'type') return { name: key, optional: false, field: constant(kind.type, 'The message kind.') };
    if (key === 'name') return { name: key, optional: false, field: constant(name, 'The message name.') };
    if (key === 'result') return { name: key, optional: false, field: constant(result ?? 'SUCCESS', 'The outcome.') };
    return { name: key, optional: false, field: fields.get(key)! };
  });
  return objectOf(properties);
}

function message(parts: Omit<MessageModel, 'shape'>): MessageModel {
  const shape = objectOf([
    { name: 'header', optional: false, field: parts.header },
    { name: 'body', optional: false, field: parts.body },
  ]);
  return { ...parts, shape };
}

/** Parses and normalises a catalogue. `source` is the path printed in generated banners. */
export function readCatalogue(yamlText: string, source: string): CatalogueModel {
  let document: unknown;
  try {
    document = parse(yamlText);
  } catch (error) {
    throw new SpecError(source, `is not valid YAML (${(error as Error).message})`);
  }
  const root = record(document, source);
  onlyKeys(root, ['format', 'envelope', 'destinations'], source);
  if (root.format !== 1) throw new SpecError(`${source}: format`, 'must be 1');

  const envelope = record(root.envelope, 'envelope');
  onlyKeys(envelope, ['description', 'fields', 'kinds', 'failure'], 'envelope');
  const fields = new Map<string, StringField>();
  let nameLimit: StringField | undefined;
  for (const [key, value] of Object.entries(record(envelope.fields, 'envelope.fields'))) {
    if (key === 'name') {
      // The one kind-set key the spec may bound: every message name is a constant, but a bridge
      // can send any name, and the limit says how long a name may be before it is refused.
      const { field, optional } = readField(value, 'envelope.fields.name', { types: new Map() });
      if (field.kind !== 'string' || optional || field.maxLength === undefined || field.pattern !== undefined) {
        throw new SpecError('envelope.fields.name', 'the name limit must be a required string with a maxLength and no pattern');
      }
      nameLimit = field;
      continue;
    }
    if (KIND_HEADER_KEYS.has(key)) throw new SpecError(`envelope.fields.${key}`, 'is set by the kind, not declared here');
    const { field, optional } = readField(value, `envelope.fields.${key}`, { types: new Map() });
    if (field.kind !== 'string' || optional) throw new SpecError(`envelope.fields.${key}`, 'a header field must be a required string');
    fields.set(key, field);
  }
  for (const needed of ['target', 'requestId', 'errorMessage']) {
    if (!fields.has(needed)) throw new SpecError('envelope.fields', `must declare ${needed}`);
  }

  const kindsRaw = record(envelope.kinds, 'envelope.kinds');
  onlyKeys(kindsRaw, KINDS, 'envelope.kinds');
  const kinds = {} as Record<MessageKind, KindSpec>;
  for (const kind of KINDS) {
    const where = `envelope.kinds.${kind}`;
    const raw = record(kindsRaw[kind], where);
    onlyKeys(raw, ['type', 'direction', 'header', 'description'], where);
    const direction = raw.direction;
    if (direction !== 'inbound' && direction !== 'outbound') throw new SpecError(`${where}.direction`, 'must be inbound or outbound');
    if (!Array.isArray(raw.header)) throw new SpecError(`${where}.header`, 'must be a list of header keys');
    const header = raw.header.map((key, index) => text(key, `${where}.header[${index}]`));
    for (const key of header) {
      if (!KIND_HEADER_KEYS.has(key) && !fields.has(key)) throw new SpecError(`${where}.header`, `names an undeclared field (${key})`);
    }
    for (const key of ['type', 'name']) if (!header.includes(key)) throw new SpecError(`${where}.header`, `must include ${key}`);
    if ((kind === 'response') !== header.includes('result')) throw new SpecError(`${where}.header`, 'only a response has a result');
    kinds[kind] = { type: text(raw.type, `${where}.type`), direction, header, description: text(raw.description, `${where}.description`) };
  }
  if (kinds.query.direction !== 'inbound' || kinds.request.direction !== 'inbound') {
    throw new SpecError('envelope.kinds', 'queries and requests come from the bridge (inbound)');
  }
  if (kinds.response.direction !== 'outbound' || kinds.event.direction !== 'outbound') {
    throw new SpecError('envelope.kinds', 'responses and events go to the bridge (outbound)');
  }
  const failure = record(envelope.failure, 'envelope.failure');
  onlyKeys(failure, ['description'], 'envelope.failure');
  const failureDescription = text(failure.description, 'envelope.failure.description');

  const destinations: DestinationModel[] = [];
  const inbound: MessageModel[] = [];
  const responses: MessageModel[] = [];
  const events: MessageModel[] = [];
  const sharedTypes: (EnumField | ObjectField)[] = [];
  const typeNames = new Map<string, EnumField | ObjectField>();
  const messageNames = new Set<string>();
  const messageTypeNames = new Set<string>(['FailureResponse']);

  for (const [key, value] of Object.entries(record(root.destinations, 'destinations'))) {
    const where = `destinations.${key}`;
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new SpecError(where, 'a destination key must be lower case');
    const raw = record(value, where);
    onlyKeys(raw, ['description', 'types', 'messages'], where);
    const ownTypes = new Map(typeNames);
    const declared = readSharedTypes(raw.types, `${where}.types`, ownTypes);
    for (const type of declared) {
      if (typeNames.has(type.typeName!)) throw new SpecError(`${where}.types.${type.typeName}`, 'is already declared by another destination');
      typeNames.set(type.typeName!, type);
      sharedTypes.push(type);
    }
    const context: FieldContext = { types: ownTypes };
    const names: string[] = [];
    for (const [name, rawMessage] of Object.entries(record(raw.messages, `${where}.messages`))) {
      const at = `${where}.messages.${name}`;
      if (!MESSAGE_NAME.test(name)) throw new SpecError(at, 'a message name is dot-separated lower-case words');
      if (!name.startsWith(`${key}.`)) throw new SpecError(at, `a message name starts with its destination (${key}.)`);
      if (messageNames.has(name)) throw new SpecError(at, 'is declared twice');
      messageNames.add(name);
      names.push(name);
      const spec = record(rawMessage, at);
      onlyKeys(spec, ['kind', 'direction', 'description', 'body', 'response'], at);
      const kind = spec.kind;
      if (kind !== 'query' && kind !== 'request' && kind !== 'event') throw new SpecError(`${at}.kind`, 'must be query, request or event');
      const kindSpec = kinds[kind];
      if (spec.direction !== kindSpec.direction) {
        throw new SpecError(`${at}.direction`, `must be ${kindSpec.direction}, the direction of every ${kind}`);
      }
      const typeName = pascalCase(name) + (kind === 'event' ? 'Event' : '');
      if (messageTypeNames.has(typeName)) throw new SpecError(at, `gives the type name ${typeName} twice`);
      messageTypeNames.add(typeName);
      const body = readObject(spec.body ?? {}, `${at}.body`, context, undefined, undefined);
      const built = message({
        id: name,
        name,
        destination: key,
        kind,
        direction: kindSpec.direction,
        typeName,
        description: text(spec.description, `${at}.description`),
        header: headerFor(kindSpec, name, undefined, fields),
        body,
      });
      if (kind === 'event') {
        if (spec.response !== undefined) throw new SpecError(`${at}.response`, 'an event gets no response');
        events.push(built);
        continue;
      }
      inbound.push(built);
      const response = spec.response === undefined ? {} : record(spec.response, `${at}.response`);
      onlyKeys(response, ['description', 'body'], `${at}.response`);
      const responseTypeName = `${typeName}Response`;
      if (messageTypeNames.has(responseTypeName)) throw new SpecError(at, `gives the type name ${responseTypeName} twice`);
      messageTypeNames.add(responseTypeName);
      responses.push(
        message({
          id: `${name}.success`,
          name,
          destination: key,
          kind: 'response',
          direction: kinds.response.direction,
          result: 'SUCCESS',
          answers: name,
          typeName: responseTypeName,
          description:
            response.description === undefined
              ? 'SUCCESS: the request was carried out. The body is empty.'
              : text(response.description, `${at}.response.description`),
          header: headerFor(kinds.response, name, 'SUCCESS', fields),
          body: readObject(response.body ?? {}, `${at}.response.body`, context, undefined, undefined),
        }),
      );
    }
    destinations.push({ key, description: text(raw.description, `${where}.description`), messageNames: names });
  }
  if (destinations.length === 0) throw new SpecError('destinations', 'must declare at least one destination');
  if (nameLimit !== undefined) {
    for (const name of messageNames) {
      if (name.length > nameLimit.maxLength! || name.length < (nameLimit.minLength ?? 0)) {
        throw new SpecError(`messages.${name}`, 'does not fit envelope.fields.name');
      }
    }
  }

  const failureResponse = message({
    id: 'failure',
    name: undefined,
    destination: undefined,
    kind: 'response',
    direction: kinds.response.direction,
    result: 'FAILURE',
    typeName: 'FailureResponse',
    description: failureDescription,
    header: objectOf([
      { name: 'type', optional: false, field: constant(kinds.response.type, 'The message kind.') },
      { name: 'name', optional: false, field: anyString('The name of the query or request this answers, copied.') },
      { name: 'target', optional: false, field: anyString('The target of the query or request this answers, copied.') },
      { name: 'requestId', optional: false, field: anyString('The requestId of the query or request this answers, copied.') },
      { name: 'result', optional: false, field: constant('FAILURE', 'The outcome.') },
      { name: 'errorMessage', optional: false, field: fields.get('errorMessage')! },
    ]),
    body: objectOf([]),
  });

  const kindDescriptions = Object.fromEntries(KINDS.map((kind) => [kind, kinds[kind].description])) as Record<MessageKind, string>;
  return {
    source,
    envelopeDescription: text(envelope.description, 'envelope.description'),
    kindDescriptions,
    failureDescription,
    destinations,
    messages: [...inbound, ...responses, failureResponse, ...events],
    sharedTypes,
    ...(nameLimit !== undefined && { nameLimit: { minLength: nameLimit.minLength ?? 1, maxLength: nameLimit.maxLength!, description: nameLimit.description } }),
  };
}
