export { BaresipPhone } from './phone.js';
export type { BaresipPhoneOptions, BaresipDiagnostic } from './options.js';
export { legIdForCallId } from './leg-id.js';
export { numberFromUri, partyFromPeer } from '../../phone/sip-party.js';
export { encodeNetstring, NetstringDecoder, NetstringError } from './netstring.js';
