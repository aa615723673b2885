/**
 * Model -> JSON Schema (draft-07, the dialect most tools in other languages read): one schema per
 * message, self-contained, and a bundle holding every message and the two direction unions.
 */
import type { CatalogueModel, EnumField, Field, MessageModel, ObjectField } from './model.js';

export type JsonSchema = { [key: string]: unknown };

export const SCHEMA_DIALECT = 'http://json-schema.org/draft-07/schema#';

/** Collects the named shared types a field refers to, so a per-message schema can carry them. */
function collectNamed(field: Field, found: Map<string, EnumField | ObjectField>): void {
  if ((field.kind === 'enum' || field.kind === 'object') && field.typeName !== undefined) {
    if (found.has(field.typeName)) return;
    found.set(field.typeName, field);
  }
  if (field.kind === 'object') for (const property of field.properties) collectNamed(property.field, found);
  if (field.kind === 'array') collectNamed(field.items, found);
}

function withDescription(schema: JsonSchema, description: string | undefined): JsonSchema {
  return description === undefined ? schema : { description, ...schema };
}

/** A field's schema. Named shared types become `$ref`s unless `inlineNamed` is this very type. */
export function fieldSchema(field: Field, inlineNamed?: string): JsonSchema {
  if ((field.kind === 'enum' || field.kind === 'object') && field.typeName !== undefined && field.typeName !== inlineNamed) {
    return { $ref: `#/definitions/${field.typeName}` };
  }
  switch (field.kind) {
    case 'string': {
      const schema: JsonSchema = { type: 'string' };
      if (field.minLength !== undefined) schema.minLength = field.minLength;
      if (field.maxLength !== undefined) schema.maxLength = field.maxLength;
      if (field.pattern !== undefined) schema.pattern = field.pattern;
      return withDescription(schema, field.description);
    }
    case 'const':
      return withDescription({ type: 'string', const: field.value }, field.description);
    case 'enum': {
      const schema: JsonSchema = { type: 'string', enum: [...field.values] };
      if (field.typeName !== undefined) schema.title = field.typeName;
      return withDescription(schema, field.description);
    }
    case 'array': {
      const schema: JsonSchema = { type: 'array', items: fieldSchema(field.items) };
      if (field.minItems !== undefined) schema.minItems = field.minItems;
      if (field.maxItems !== undefined) schema.maxItems = field.maxItems;
      return withDescription(schema, field.description);
    }
    case 'object': {
      const properties: JsonSchema = {};
      for (const property of field.properties) properties[property.name] = fieldSchema(property.field);
      const required = field.properties.filter((property) => !property.optional).map((property) => property.name);
      const schema: JsonSchema = { type: 'object' };
      if (field.typeName !== undefined) schema.title = field.typeName;
      schema.properties = properties;
      if (required.length > 0) schema.required = required;
      schema.additionalProperties = false;
      return withDescription(schema, field.description);
    }
  }
}

/** The schema of one message, without dialect or definitions (the bundle's entry). */
function messageEntry(message: MessageModel): JsonSchema {
  const shape = fieldSchema(message.shape);
  return { title: message.typeName, description: message.description, ...shape };
}

function sharedDefinitions(types: Iterable<EnumField | ObjectField>): JsonSchema {
  const definitions: JsonSchema = {};
  for (const type of types) definitions[type.typeName!] = fieldSchema(type, type.typeName);
  return definitions;
}

export function messageSchema(message: MessageModel, banner: string): JsonSchema {
  const named = new Map<string, EnumField | ObjectField>();
  collectNamed(message.shape, named);
  const schema: JsonSchema = { $comment: banner, $schema: SCHEMA_DIALECT, ...messageEntry(message) };
  if (named.size > 0) schema.definitions = sharedDefinitions(named.values());
  return schema;
}

export const INBOUND_TITLE = 'InboundMessage';
export const OUTBOUND_TITLE = 'OutboundMessage';

export function bundleSchema(catalogue: CatalogueModel, banner: string): JsonSchema {
  const definitions: JsonSchema = sharedDefinitions(catalogue.sharedTypes);
  for (const message of catalogue.messages) definitions[message.typeName] = messageEntry(message);
  const union = (direction: 'inbound' | 'outbound') =>
    catalogue.messages
      .filter((message) => message.direction === direction)
      .map((message) => ({ $ref: `#/definitions/${message.typeName}` }));
  definitions[INBOUND_TITLE] = {
    title: INBOUND_TITLE,
    description: 'Any message the bridge sends to the client: a query or a request.',
    oneOf: union('inbound'),
  };
  definitions[OUTBOUND_TITLE] = {
    title: OUTBOUND_TITLE,
    description: 'Any message the client sends to the bridge: a response or an event.',
    oneOf: union('outbound'),
  };
  return {
    $comment: banner,
    $schema: SCHEMA_DIALECT,
    title: 'CtiMessage',
    description: catalogue.envelopeDescription,
    oneOf: [{ $ref: `#/definitions/${INBOUND_TITLE}` }, { $ref: `#/definitions/${OUTBOUND_TITLE}` }],
    definitions,
  };
}

/** Stable JSON text: key order is insertion order, which follows the spec. */
export function jsonText(schema: JsonSchema): string {
  return `${JSON.stringify(schema, null, 2)}\n`;
}
