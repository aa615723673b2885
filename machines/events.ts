/**
 * The events a conversation machine takes. Each carries its kind in its type, so the chart's edges,
 * the diagram and the inspector's timeline name them: `query.init`, `request.hold`, `phone.held`,
 * `resync`, `operation.settled`... `requestEvent` and `phoneEventOf` turn a read frame and a phone
 * event into one (the destination and the tests use them).
 */
import { isPhoneEvent } from './phone-events.js';
import { isInitQuery, requestNameOf } from './requests.js';
import type { RequestHeader } from './messages.js';
import { REQUEST_NAMES, type RequestName } from './tables.js';
import { PHONE_EVENT_TYPES, type LegSnapshot, type PhoneEvent, type PhoneEventType } from './types.js';

export type RequestEventType = `request.${RequestName}`;
export type PhoneEventKind = `phone.${PhoneEventType}`;

/** A request of a name this destination knows. */
export interface KnownRequestEvent {
  readonly type: RequestEventType;
  readonly header: RequestHeader;
  readonly body: Readonly<Record<string, unknown>>;
  /** The first body problem found by the validator, e.g. `digits may hold only 0-9, * and #`. */
  readonly bodyError?: string;
}

export type ConversationEvent =
  | { readonly type: 'query.init'; readonly header: RequestHeader }
  | KnownRequestEvent
  /** A query or request of a name (or type) this destination does not know: "unsupported". */
  | { readonly type: 'request.unknown'; readonly header: RequestHeader }
  /** A header outside the catalogue's limits, e.g. `requestId must be 1 to 256 characters long`. */
  | { readonly type: 'request.malformed'; readonly header: RequestHeader; readonly headerError: string }
  | { readonly type: PhoneEventKind; readonly event: PhoneEvent }
  /** The leg reported something that is no phone event. */
  | { readonly type: 'phone.unknown'; readonly event: unknown }
  /** A phone event met a full pre-init queue: the destination re-read the leg (`snapshot`). */
  | { readonly type: 'resync'; readonly event: PhoneEvent; readonly snapshot: LegSnapshot }
  | { readonly type: 'operation.settled'; readonly opId: number; readonly ok: boolean; readonly reason?: string }
  | { readonly type: 'operation.deadline'; readonly opId: number }
  /** Raised by the machine itself: a dispose cut the operation in flight short. */
  | { readonly type: 'operation.cancelled'; readonly opId: number }
  | { readonly type: 'connection.lost' };

export type EventOfType<T extends ConversationEvent['type']> = Extract<ConversationEvent, { type: T }>;

// Each event type is made once: XState looks edges up by the type on every event, and a type built
// per frame would be a new string to hash and intern each time.
const REQUEST_EVENT_TYPE = Object.fromEntries(REQUEST_NAMES.map((name) => [name, `request.${name}`])) as Readonly<Record<RequestName, RequestEventType>>;
const REQUEST_OF_TYPE = Object.fromEntries(REQUEST_NAMES.map((name) => [REQUEST_EVENT_TYPE[name], name])) as Readonly<Record<RequestEventType, RequestName>>;
const PHONE_EVENT_KIND = Object.fromEntries(PHONE_EVENT_TYPES.map((type) => [type, `phone.${type}`])) as Readonly<Record<PhoneEventType, PhoneEventKind>>;

/** The request a known request event carries: `request.hold` → `hold`. */
export function requestOf(event: KnownRequestEvent): RequestName {
  return REQUEST_OF_TYPE[event.type];
}

/** The event a read frame is: an init, a known request, an unknown one, or a malformed one. */
export function requestEvent(
  header: RequestHeader,
  body: Readonly<Record<string, unknown>> = {},
  bodyError?: string,
  headerError?: string,
): ConversationEvent {
  if (headerError !== undefined) return { type: 'request.malformed', header, headerError };
  if (isInitQuery(header)) return { type: 'query.init', header };
  const name = requestNameOf(header);
  if (name === undefined) return { type: 'request.unknown', header };
  const type = REQUEST_EVENT_TYPE[name];
  return bodyError === undefined ? { type, header, body } : { type, header, body, bodyError };
}

/** The event a phone event is (`phone.held`), or `phone.unknown` for anything else. */
export function phoneEventOf(event: unknown): ConversationEvent {
  if (!isPhoneEvent(event)) return { type: 'phone.unknown', event };
  return { type: PHONE_EVENT_KIND[event.type], event } as ConversationEvent;
}
