/**
 * The client's own answers for frames no destination can take. Like every outbound message they
 * pass the generated validator: the errorMessage is fitted to the catalogue's limit before the
 * check, and a message that still fails is replaced by one that cannot.
 */
import { validateOutbound } from '../../generated/validators.js';
import type { FailureResponse } from '../../generated/types.js';
import { HEADER_NAME_LIMIT } from '../../generated/catalogue.js';
import { showText } from '../log/index.js';
import { checkHeader } from '../destination/read-frame.js';
import { shortName } from '../../machines/requests.js';

export interface RoutableHeader {
  readonly type: 'cti.query' | 'cti.request';
  readonly name: string;
  readonly target: string;
  readonly requestId: string;
}

/** The catalogue's errorMessage limit (envelope.fields.errorMessage). */
export const ERROR_MESSAGE_MAX_CHARACTERS = 2048;

/** At most `max` UTF-16 units, never ending in half a surrogate pair; at least one character. */
function fit(text: string, max: number): string {
  if (text.length === 0) return 'failed';
  if (text.length <= max) return text;
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * A FAILURE response echoing name, target and requestId as received (docs/contract.md,
 * "Envelope"), checked by the generated outbound validator.
 */
export function failureResponse(header: RoutableHeader, errorMessage: string): FailureResponse {
  const message = {
    header: {
      type: 'cti.response' as const,
      name: header.name,
      target: header.target,
      requestId: header.requestId,
      result: 'FAILURE' as const,
      errorMessage: fit(errorMessage, ERROR_MESSAGE_MAX_CHARACTERS),
    },
    body: {},
  };
  const checked = validateOutbound(message);
  if (checked.ok) return checked.message as FailureResponse;
  // Unreachable with string header fields; kept so that nothing unchecked can ever leave.
  /* v8 ignore next 2 */
  return { ...message, header: { ...message.header, errorMessage: 'the client could not answer this frame' } };
}

/** The request's short name (the machine's one `shortName`), cut and escaped for an errorMessage. */
export function requestLabel(name: string): string {
  return showText(shortName(name));
}

/** Whether a name is within the catalogue's limit, counted in characters as the validators count them. */
export function nameWithinLimit(name: string): boolean {
  const { minLength, maxLength } = HEADER_NAME_LIMIT;
  if (name.length < minLength) return false;
  if (name.length <= maxLength) return true;
  if (name.length > 2 * maxLength) return false;
  let points = 0;
  for (const _ of name) if (++points > maxLength) return false;
  return true;
}

/** The header of a frame the client can route, or a reason why not (the destination's one check, worded for the client). */
export function routableHeader(message: Record<string, unknown>): RoutableHeader | string {
  const checked = checkHeader(message);
  if (checked.ok) return checked.header;
  if (checked.problem === 'no-header') return 'the frame has no header object';
  if (checked.problem === 'not-a-string') return `the frame's header lacks a string ${checked.key}`;
  return `a client accepts only cti.query and cti.request frames, not "${showText(checked.type, 40)}"`;
}
