/** cti-conversation/linphone: a Phone over linphone-daemon (Debian package linphone-cli). See docs/linphone.md. */
export { LinphonePhone } from './phone.js';
export type { LinphonePhoneOptions, LinphoneAccount, LinphoneDiagnostic } from './options.js';
export { startLinphoneDaemon, linphoneRc, type LinphoneDaemon, type LinphoneDaemonOptions } from './daemon.js';
export { LinphoneConnection, ConnectionLostError, DaemonNotRunningError } from './connection.js';
export { DENIED_COMMANDS, refusalOf } from './commands.js';
export { parseReply, type DaemonReply } from './reply.js';
export { parsePoppedEvent, type DaemonEvent } from './events.js';
