/**
 * The normalised catalogue: what scripts/generate/spec.ts reads out of the YAML and every emitter
 * works from. Field shapes mirror the JSON Schema subset the catalogue uses.
 */

export type Direction = 'inbound' | 'outbound';
export type MessageKind = 'query' | 'request' | 'response' | 'event';

export interface StringField {
  readonly kind: 'string';
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  /** The phrase shown when the value does not match `pattern`, e.g. "may hold only 0-9, * and #". */
  readonly patternMessage?: string;
  readonly description?: string;
}

export interface ConstField {
  readonly kind: 'const';
  readonly value: string;
  readonly description?: string;
}

export interface EnumField {
  readonly kind: 'enum';
  readonly values: readonly string[];
  /** Set when the enum is a named shared type (it becomes its own TypeScript type). */
  readonly typeName?: string;
  readonly description?: string;
}

export interface ArrayField {
  readonly kind: 'array';
  readonly items: Field;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly description?: string;
}

export interface Property {
  readonly name: string;
  readonly optional: boolean;
  readonly field: Field;
}

export interface ObjectField {
  readonly kind: 'object';
  readonly properties: readonly Property[];
  /** Set when the object is a named shared type. */
  readonly typeName?: string;
  readonly description?: string;
}

export type Field = StringField | ConstField | EnumField | ArrayField | ObjectField;

export interface MessageModel {
  /** Unique key among all messages; also the schema file name: `conversation.request.hold`,
   * `conversation.request.hold.success`, `failure`. */
  readonly id: string;
  /** header.name, or undefined for the generic FAILURE response (any name). */
  readonly name: string | undefined;
  readonly destination: string | undefined;
  readonly kind: MessageKind;
  readonly direction: Direction;
  /** header.result for responses. */
  readonly result?: 'SUCCESS' | 'FAILURE';
  /** For a SUCCESS response: the name of the query or request it answers. */
  readonly answers?: string;
  /** The TypeScript type name, e.g. ConversationRequestTransfer. */
  readonly typeName: string;
  readonly description: string;
  /** The whole message: `{ header, body }`. */
  readonly shape: ObjectField;
  /** Convenience views of shape. */
  readonly header: ObjectField;
  readonly body: ObjectField;
}

export interface DestinationModel {
  readonly key: string;
  readonly description: string;
  /** Names of its messages (queries, requests, events) in spec order. */
  readonly messageNames: readonly string[];
}

export interface CatalogueModel {
  /** The spec path as the banners print it. */
  readonly source: string;
  readonly envelopeDescription: string;
  readonly kindDescriptions: Readonly<Record<MessageKind, string>>;
  readonly failureDescription: string;
  readonly destinations: readonly DestinationModel[];
  /** Every message, inbound ones first, then outbound ones, each in spec order. */
  readonly messages: readonly MessageModel[];
  /** Named shared types in spec order (emitted once in the bundle's definitions). */
  readonly sharedTypes: readonly (EnumField | ObjectField)[];
  /** How long a `header.name` the bridge sends may be (envelope.fields.name), when the spec says. */
  readonly nameLimit?: { readonly minLength: number; readonly maxLength: number; readonly description?: string };
}
