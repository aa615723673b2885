/**
 * linphone-daemon numbers its calls 1, 2, 3… per process and starts again at 1 after a restart,
 * so a leg id joins a per-phone random nonce, a connection epoch (raised on every (re)connect)
 * and the daemon's id: ids never repeat across daemon restarts or reconnects.
 */
import { randomBytes } from 'node:crypto';

export function newNonce(): string {
  return randomBytes(6).toString('base64url');
}

export function legIdFor(nonce: string, epoch: number, daemonId: number): string {
  return `lp${nonce}-${epoch}-${daemonId}`;
}
