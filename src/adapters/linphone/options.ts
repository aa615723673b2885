/** Settings of a LinphonePhone, with their defaults and bounds. */
import { toLogger, type Logger, type LoggerLike } from '../../log/index.js';
import { countOption, delayOption } from '../../phone/option-count.js';

/**
 * One report of a LinphonePhone, handed to `onDiagnostic` (and logged to `logger`): what it did
 * instead of throwing. Codes: `connection-lost`, `reconnected`, `reconnect-failed`, `sync-failed`,
 * `daemon-gone` (nothing listens on the socket: the legs ended), `stray-reply`, `register-failed`,
 * `mute-sync-failed`, `resume-failed`, `conference-add`, `listener-threw` (a leg or event listener
 * threw).
 */
export interface LinphoneDiagnostic {
  /** A stable code, e.g. 'connection-lost'. */
  readonly code: string;
  /** A sentence for a person. */
  readonly message: string;
}

/**
 * A SIP account the phone registers on every (re)connect unless the daemon already has it.
 * Removing a conference party needs one: without a registered account linphone-daemon 5.1.65
 * crashes whenever a conference leg ends, so conference and removeParty refuse to run unregistered.
 */
export interface LinphoneAccount {
  /** e.g. sip:agent@pbx.example.org */
  readonly identity: string;
  /** The registrar/proxy, e.g. sip:pbx.example.org:5060 */
  readonly proxy: string;
  readonly password?: string;
  readonly userid?: string;
  readonly realm?: string;
}

/**
 * How LinphonePhone reaches linphone-daemon and how long it waits; see docs/linphone.md,
 * "Options". Only `socket` is required; the defaults are on each field, and out-of-range numbers
 * are clamped where a field says so.
 *
 * The constructor throws (LinphonePhone.connect rejects with) a RangeError for: a `socket` that
 * is not a non-empty string, a number that is negative or not finite, an account field that is
 * not 1-256 printable characters without spaces, an account without `identity` or `proxy`,
 * `userid` or `realm` without `password`. A registration that fails is reported, not thrown.
 *
 * @example
 * const phone = await LinphonePhone.connect({
 *   socket: '/tmp/cti-agent', // linphone-daemon --pipe cti-agent
 *   account: { identity: 'sip:1001@pbx.example.com', proxy: 'sip:pbx.example.com', password: 'secret' },
 *   onDiagnostic: ({ code, message }) => console.warn(code, message),
 * });
 */
export interface LinphonePhoneOptions {
  /** linphone-daemon's unix socket: /tmp/<name given to --pipe>. */
  readonly socket: string;
  /** How long one command may take before the connection counts as lost. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How often queued events are fetched (`pop-event`); clamped to 10-1000. Default 50. */
  readonly pollIntervalMs?: number;
  /** First delay before reconnecting; it doubles up to 5 s. Default 250. */
  readonly reconnectDelayMs?: number;
  /** Time between two DTMF digits, and after the last; at least 150. Default 250. */
  readonly dtmfIntervalMs?: number;
  /** How long the calls may take to show they joined a conference once the party answered. Default 10 000. */
  readonly conferenceJoinTimeoutMs?: number;
  /**
   * How long a conference's consult call may ring unanswered; then the phone hangs it up, retrieves
   * the original call and reports conferenceFailed (no answer). Default 60 000.
   */
  readonly consultAnswerTimeoutMs?: number;
  /** Call ids probed beyond the highest known one on (re)connect (there is no call list); at most 256. Default 16. */
  readonly probeIds?: number;
  /** Turns a dial, transfer or conference destination into the SIP URI dialled. Default: unchanged. */
  readonly toUri?: (destination: string) => string;
  /** Registered on every (re)connect unless the daemon has it; conference and removeParty need one. Default none. */
  readonly account?: LinphoneAccount;
  /** How long connect waits for the account to register. Default 10 000. */
  readonly registerTimeoutMs?: number;
  /** Ended legs kept until disposed, at most. Default 1000. */
  readonly maxEndedLegs?: number;
  /** Every LinphoneDiagnostic; a hook that throws is ignored. Default none. */
  readonly onDiagnostic?: (diagnostic: LinphoneDiagnostic) => void;
  /** The one logger (src/log): trouble at warn, reconnects at info, the rest (call details) at debug. */
  readonly logger?: Logger | LoggerLike;
}

export interface ResolvedOptions {
  readonly socket: string;
  readonly commandTimeoutMs: number;
  readonly pollIntervalMs: number;
  readonly reconnectDelayMs: number;
  readonly dtmfIntervalMs: number;
  readonly conferenceJoinTimeoutMs: number;
  readonly consultAnswerTimeoutMs: number;
  readonly probeIds: number;
  readonly toUri: (destination: string) => string;
  readonly account: LinphoneAccount | undefined;
  readonly registerTimeoutMs: number;
  readonly maxEndedLegs: number;
  readonly onDiagnostic: (diagnostic: LinphoneDiagnostic) => void;
  readonly logger: Logger | undefined;
}

/** One word of a daemon command line: printable, no spaces. */
export const COMMAND_WORD = /^[!-~]{1,256}$/;

function count(value: number | undefined, fallback: number, name: string): number {
  return countOption('LinphonePhone', value, fallback, name);
}

function delay(value: number | undefined, fallback: number, name: string): number {
  return delayOption('LinphonePhone', value, fallback, name);
}

export function resolveOptions(options: LinphonePhoneOptions): ResolvedOptions {
  if (typeof options.socket !== 'string' || options.socket.length === 0) {
    throw new RangeError('LinphonePhone: socket must be the path of linphone-daemon\'s unix socket');
  }
  const account = options.account;
  if (account) {
    for (const [name, value] of Object.entries(account)) {
      if (value !== undefined && !COMMAND_WORD.test(String(value))) {
        throw new RangeError(`LinphonePhone: account.${name} must be 1-256 printable characters without spaces`);
      }
    }
    if (!account.identity || !account.proxy) throw new RangeError('LinphonePhone: an account needs an identity and a proxy');
    if ((account.userid !== undefined || account.realm !== undefined) && account.password === undefined) {
      throw new RangeError('LinphonePhone: account.userid and account.realm need account.password');
    }
  }
  return {
    socket: options.socket,
    commandTimeoutMs: Math.max(1, delay(options.commandTimeoutMs, 5000, 'commandTimeoutMs')),
    pollIntervalMs: Math.min(1000, Math.max(10, delay(options.pollIntervalMs, 50, 'pollIntervalMs'))),
    reconnectDelayMs: Math.max(1, delay(options.reconnectDelayMs, 250, 'reconnectDelayMs')),
    dtmfIntervalMs: Math.max(150, delay(options.dtmfIntervalMs, 250, 'dtmfIntervalMs')),
    conferenceJoinTimeoutMs: Math.max(1, delay(options.conferenceJoinTimeoutMs, 10_000, 'conferenceJoinTimeoutMs')),
    consultAnswerTimeoutMs: Math.max(1, delay(options.consultAnswerTimeoutMs, 60_000, 'consultAnswerTimeoutMs')),
    probeIds: Math.min(256, Math.floor(count(options.probeIds, 16, 'probeIds'))),
    toUri: options.toUri ?? ((destination) => destination),
    account,
    registerTimeoutMs: delay(options.registerTimeoutMs, 10_000, 'registerTimeoutMs'),
    maxEndedLegs: count(options.maxEndedLegs, 1000, 'maxEndedLegs'),
    onDiagnostic: options.onDiagnostic ?? (() => undefined),
    logger: options.logger === undefined ? undefined : toLogger(options.logger),
  };
}
