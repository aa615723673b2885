/**
 * Reading the calls baresip 1.0.0 already has, for calls that began before our control
 * connection (or while it was down): `listcalls` gives each call's line, state and whether we hold
 * it; `line <n>` then `callstat` gives its Call-ID and direction. 1.0.0 has no other way to list
 * Call-IDs. The mute state cannot be read back (a new call starts unmuted).
 */
import type { CallState } from '../../phone/types.js';
import type { CallDirection } from './close-reason.js';

export interface ListedCall {
  readonly line: number;
  readonly state: string;
  readonly onHold: boolean;
  readonly peerUri: string;
}

export interface CallDetails {
  readonly callId: string;
  readonly direction: CallDirection;
  readonly state: string;
  readonly peerUri?: string;
  readonly peerName?: string;
}

/** `> [line 1]  0:00:01  ESTABLISHED  (on hold)  sip:bob@127.0.0.1:5070` */
const LIST_LINE = /\[line (\d+)\]\s+\S+\s+([A-Z_]+)\s+(\(on hold\)\s+)?(\S+)\s*$/;

export function parseCallList(data: string): ListedCall[] {
  const calls: ListedCall[] = [];
  for (const line of data.split('\n')) {
    const match = LIST_LINE.exec(line);
    if (match) calls.push({ line: Number(match[1]), state: match[2], onHold: match[3] !== undefined, peerUri: match[4] });
  }
  return calls;
}

export function parseCallStat(data: string): CallDetails | undefined {
  const id = /\bid=(\S+)/.exec(data)?.[1];
  const direction = /direction:\s*(Incoming|Outgoing)/i.exec(data)?.[1]?.toLowerCase();
  const state = /Call debug \(([A-Z_]+)\)/.exec(data)?.[1];
  if (!id || !direction || !state) return undefined;
  // ` peer_uri:  Demo Caller <sip:5551230001@127.0.0.1:5090>` (the display name only when sent)
  const peer = /peer_uri:[ \t]*([^\n]*)/.exec(data)?.[1]?.trim() ?? '';
  const bracketed = /^(.*?)<([^>]+)>\s*$/.exec(peer);
  const peerUri = bracketed ? bracketed[2] : peer.split(/\s+/)[0] || undefined;
  const peerName = bracketed?.[1]?.trim().replace(/^"(.*)"$/, '$1') || undefined;
  return { callId: id, direction: direction as CallDirection, state, peerUri, peerName };
}

/** The call state a listed call has, or undefined for one that is already ending. */
export function callStateOf(direction: CallDirection, state: string, onHold: boolean): CallState | undefined {
  if (state === 'ESTABLISHED') return onHold ? 'HELD' : 'TALKING';
  if (state === 'TERMINATED') return undefined;
  return direction === 'incoming' ? 'RINGING' : 'DIALING';
}
