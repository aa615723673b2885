/**
 * A leg's id is its SIP Call-ID when that can end a target (baresip's own Call-IDs are 16 hex
 * digits), otherwise the base64url of the Call-ID's SHA-256, so anyone can compute it.
 */
import { createHash } from 'node:crypto';
import { LEG_ID_PATTERN } from '../../phone/types.js';

/**
 * The leg id BaresipPhone gives the call with this SIP Call-ID: the Call-ID itself when it is a
 * valid leg id, else its SHA-256 in base64url; the same Call-ID always gives the same id.
 */
export function legIdForCallId(callId: string): string {
  if (LEG_ID_PATTERN.test(callId)) return callId;
  return createHash('sha256').update(callId, 'utf8').digest('base64url');
}
