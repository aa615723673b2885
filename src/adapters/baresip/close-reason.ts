/**
 * What a baresip `CALL_CLOSED` means for the leg (telephony lab notes, "Suggested event → CTI
 * state mapping"): an outbound call closed before it was answered is busy on 486/600 and failed
 * on any other SIP status or errno text; every other close, and any close of an inbound leg,
 * ends the call.
 */
import type { PhoneEvent } from '../../phone/types.js';

export type CallDirection = 'incoming' | 'outgoing';

/** baresip 1.0.0 says this (sic) when a blind transfer completed. */
const TRANSFERRED = /^Call transfer+ed$/i;
/** Our own hang-up, or our cancel of an outbound call. */
const RESET_BY_USER = /^Connection reset by user$/i;

export function closeEventFor(direction: CallDirection, answered: boolean, reason: string): PhoneEvent {
  const text = reason.trim();
  if (TRANSFERRED.test(text)) return { type: 'ended', reason: 'transferred' };
  if (direction === 'incoming' || answered || RESET_BY_USER.test(text)) {
    return text ? { type: 'ended', reason: text } : { type: 'ended' };
  }
  if (/^(486|600)\b/.test(text)) return { type: 'busy' };
  return { type: 'failed', reason: text || 'the call failed' };
}
