/**
 * The far party of a SIP call, as the phone adapters read it: the number is the user part of the
 * peer URI (baresip's peer URI, linphone-daemon's From).
 */
import type { Party } from './types.js';

const PRINTABLE = /^[\x20-\x7e]{1,256}$/;

/** `sip:1234@host;transport=tcp` gives `1234`; a URI without a user part gives its host. */
export function numberFromUri(uri: string): string {
  const bare = uri.trim().replace(/^<|>$/g, '');
  const withoutScheme = bare.replace(/^sips?:/i, '');
  const at = withoutScheme.indexOf('@');
  const part = at >= 0 ? withoutScheme.slice(0, at) : withoutScheme.split(/[;?>]/)[0];
  let number = part;
  try {
    number = decodeURIComponent(part);
  } catch {
    // A stray % is kept as it is: the number is only shown, never dialled from here.
  }
  if (PRINTABLE.test(number)) return number;
  return PRINTABLE.test(bare) ? bare : 'unknown';
}

/** A party (number and name) from the peer URI and display name a SIP phone reports. */
export function partyFromPeer(peerUri: string | undefined, displayName: string | undefined): Party {
  const number = peerUri ? numberFromUri(peerUri) : 'unknown';
  const name = displayName?.trim();
  return name ? { number, name } : { number };
}
