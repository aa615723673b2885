/** linphone-daemon's `pop-event` replies, and what its call states mean for a CTI leg. */
import type { CallState } from '../../phone/types.js';
import type { DaemonReply } from './reply.js';

/**
 * One event from linphone-daemon's queue, as parsePoppedEvent reads it: a call's state changed
 * (`call-state`: the daemon's call id, its state such as `LinphoneCallIncomingReceived`, and the
 * SIP From as the daemon gives it), a tone received (`tone`), or any other event (`other`, its
 * type cut to 64 characters).
 */
export type DaemonEvent =
  | { readonly kind: 'call-state'; readonly id: number; readonly state: string; readonly from: string }
  | { readonly kind: 'tone'; readonly id: number; readonly tone: string }
  | { readonly kind: 'other'; readonly type: string };

export interface PoppedEvent {
  /** Undefined when the queue was empty. */
  readonly event: DaemonEvent | undefined;
  /** Events still queued after this one (the daemon's `Size:`). */
  readonly remaining: number;
}

const ID = /^[0-9]{1,9}$/;

/**
 * Reads a reply to `pop-event`: the event, undefined when the queue was empty (no `Event-type`),
 * and how many events are still queued (the daemon's `Size:`; 0 when missing or not a positive
 * whole number). A call-state or tone event without a valid `Id` (1-9 digits) comes back as
 * `other`. Never throws.
 *
 * @example
 * parsePoppedEvent(parseReply('Status: Ok\n\nSize: 0\nEvent-type: call-state-changed\nEvent: LinphoneCallIncomingReceived\nFrom: <sip:1001@pbx.example.org>\nId: 1\n')!);
 * // { event: { kind: 'call-state', id: 1, state: 'LinphoneCallIncomingReceived', from: '<sip:1001@pbx.example.org>' }, remaining: 0 }
 */
export function parsePoppedEvent(reply: DaemonReply): PoppedEvent {
  const size = Number(reply.fields.get('Size') ?? '0');
  const remaining = Number.isSafeInteger(size) && size > 0 ? size : 0;
  const type = reply.fields.get('Event-type');
  if (!type) return { event: undefined, remaining };
  const idText = reply.fields.get('Id') ?? '';
  const id = ID.test(idText) ? Number(idText) : undefined;
  if (type === 'call-state-changed' && id !== undefined) {
    const state = reply.fields.get('Event') ?? '';
    return { event: { kind: 'call-state', id, state, from: reply.fields.get('From') ?? '' }, remaining };
  }
  if (type === 'receiving-tone' && id !== undefined) {
    return { event: { kind: 'tone', id, tone: reply.fields.get('Tone') ?? '' }, remaining };
  }
  return { event: { kind: 'other', type: type.slice(0, 64) }, remaining };
}

/** A daemon call state as a CTI call state, for calls read with `call-status` (adoption). */
export function callStateOfDaemonState(state: string): CallState | undefined {
  switch (state) {
    case 'LinphoneCallIncomingReceived':
    case 'LinphoneCallIncomingEarlyMedia':
      return 'RINGING';
    case 'LinphoneCallOutgoingInit':
    case 'LinphoneCallOutgoingProgress':
    case 'LinphoneCallOutgoingRinging':
    case 'LinphoneCallOutgoingEarlyMedia':
      return 'DIALING';
    case 'LinphoneCallConnected':
    case 'LinphoneCallStreamsRunning':
    case 'LinphoneCallPausedByRemote':
    case 'LinphoneCallUpdating':
    case 'LinphoneCallUpdatedByRemote':
    case 'LinphoneCallResuming':
      return 'TALKING';
    case 'LinphoneCallPausing':
    case 'LinphoneCallPaused':
      return 'HELD';
    case 'LinphoneCallEnd':
    case 'LinphoneCallError':
    case 'LinphoneCallReleased':
      return 'RELEASED';
    default:
      return undefined;
  }
}

export const ENDING_STATES = new Set(['LinphoneCallEnd', 'LinphoneCallError', 'LinphoneCallReleased']);
