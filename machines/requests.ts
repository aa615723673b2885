/**
 * Requests as the machine sees them: which leg operation each calls, its short name, and the
 * errorMessage sentences. Each sentence holds the contract's phrase verbatim ("disposed",
 * "not initialized", "busy", ...) and never echoes a value from the body (digits can be card numbers).
 * See docs/contract.md, "How a request is handled".
 */
import { QUERY_NAMES } from '../generated/catalogue.js';
import { CORE_LEG_OPERATIONS, type CallState, type LegOperationName } from './types.js';
import { REQUEST_NAMES, type RequestName } from './tables.js';
import type { RequestHeader } from './messages.js';

export const INIT_QUERY = QUERY_NAMES[0];
const REQUEST_PREFIX = 'conversation.request.';
const CONVERSATION_PREFIX = 'conversation.';

/** The leg operation a request calls, and the body key that holds its argument. */
export const OPERATIONS: Readonly<Record<Exclude<RequestName, 'dispose'>, { operation: LegOperationName; argument?: string }>> = {
  answer: { operation: 'answer' },
  release: { operation: 'release' },
  hold: { operation: 'hold' },
  retrieve: { operation: 'retrieve' },
  mute: { operation: 'mute' },
  unmute: { operation: 'unmute' },
  transfer: { operation: 'transfer', argument: 'destination' },
  conference: { operation: 'conference', argument: 'destination' },
  removeparty: { operation: 'removeParty', argument: 'number' },
  senddtmf: { operation: 'sendDtmf', argument: 'digits' },
};

/** The operations every leg has; the others may be missing (docs/contract.md, "The adapter contract"). */
export function isCoreOperation(operation: LegOperationName): boolean {
  return CORE_LEG_OPERATIONS.includes(operation);
}

export function isInitQuery(header: RequestHeader): boolean {
  return header.type === 'cti.query' && header.name === INIT_QUERY;
}

/** Each request's full name to its short name: one lookup per frame. */
const REQUEST_BY_NAME: ReadonlyMap<string, RequestName> = new Map(REQUEST_NAMES.map((name) => [`${REQUEST_PREFIX}${name}`, name]));

/** The request a header names, or undefined for a name (or type) this destination does not know. */
export function requestNameOf(header: RequestHeader): RequestName | undefined {
  return header.type === 'cti.request' ? REQUEST_BY_NAME.get(header.name) : undefined;
}

/**
 * How a person reads a message name, everywhere in this project (errorMessages, the client's own
 * answers, transcripts): `conversation.request.hold` → `hold`, `conversation.query.init` → `init`,
 * `interaction.request.accept` → `accept`, `conversation.transfer.failed` → `transfer.failed`;
 * any other name stays whole.
 */
export function shortName(name: string): string {
  const verb = /^[^.]+\.(?:request|query)\.(.+)$/.exec(name);
  if (verb !== null) return verb[1];
  if (name.startsWith(CONVERSATION_PREFIX) && name.length > CONVERSATION_PREFIX.length) return name.slice(CONVERSATION_PREFIX.length);
  return name;
}

export const say = {
  disposed: (request: string) => `${request}: the conversation was disposed; nothing more can be done on it`,
  notInitialized: (request: string) => `${request}: not initialized; the bridge must send ${INIT_QUERY} first`,
  unsupported: (name: string) => `${name}: unsupported by this conversation destination`,
  notSupportedByPhone: (request: string) => `${request}: not supported by this phone`,
  cancelled: (request: string, by: 'release' | 'dispose') => `${request}: cancelled by ${by} before the phone finished`,
  timedOut: (request: string, ms: number) => `${request}: timed out after ${ms} ms waiting for the phone`,
  moved: (request: string) => `${request}: this conversation moved to another target`,
  notInState: (request: string, state: CallState) => `${request}: not possible while the call is ${state}`,
  notListed: (request: string) => `${request}: that number is not a party on this call`,
  phoneFailed: (request: string, reason: string) => `${request}: the phone could not do it: ${reason}`,
  badBody: (request: string, problem: string) => `${request}: ${problem}`,
  busy: (request: string) => `${request}: busy: too many requests are waiting on this conversation; try again later`,
};
