/** Settings of a BaresipPhone, with their defaults. */
import { toLogger, type Logger, type LoggerLike } from '../../log/index.js';
import { countOption, delayOption } from '../../phone/option-count.js';

/**
 * One report of a BaresipPhone, handed to `onDiagnostic` (and logged to `logger`): what it did
 * instead of throwing. Codes: `connection-lost`, `reconnected`, `reconnect-failed`, `sync-failed`,
 * `dial-unclaimed`, `cancelled-dial`, `listener-threw` (a leg or event listener threw).
 */
export interface BaresipDiagnostic {
  /** A stable code, e.g. 'connection-lost'. */
  readonly code: string;
  /** A sentence for a person. */
  readonly message: string;
}

/**
 * How BaresipPhone.connect reaches baresip's control port (ctrl_tcp) and how long it waits; see
 * docs/baresip.md.
 */
export interface BaresipPhoneOptions {
  /** baresip's ctrl_tcp address (its `ctrl_tcp_listen`). */
  readonly host?: string;
  readonly port: number;
  /** How long one command may take before the connection counts as lost. Default 5000. */
  readonly commandTimeoutMs?: number;
  /** How often an idle connection is checked with a cheap command; 0 turns it off. Default 5000. */
  readonly checkIntervalMs?: number;
  /** First delay before reconnecting; it doubles up to 5 s. Default 250. */
  readonly reconnectDelayMs?: number;
  /** DTMF pacing: a send waits this long plus `dtmfMsPerDigit` per digit. Defaults 100 and 250. */
  readonly dtmfBaseMs?: number;
  readonly dtmfMsPerDigit?: number;
  /** Turns a dial or transfer destination into what baresip dials. Default: unchanged. */
  readonly toUri?: (destination: string) => string;
  /** Ended legs kept until disposed, at most. Default 1000. */
  readonly maxEndedLegs?: number;
  /**
   * How long after baresip accepted a dial its call may take to show up. Past it the dial is
   * disarmed (and fails, unless it was cancelled), so the next outgoing call is not taken for it.
   * Default 5000.
   */
  readonly dialClaimMs?: number;
  readonly onDiagnostic?: (diagnostic: BaresipDiagnostic) => void;
  /** Where the phone's own reports are logged (src/log; the console or pino fit too). */
  readonly logger?: Logger | LoggerLike;
}

export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly commandTimeoutMs: number;
  readonly checkIntervalMs: number;
  readonly reconnectDelayMs: number;
  readonly dtmfBaseMs: number;
  readonly dtmfMsPerDigit: number;
  readonly toUri: (destination: string) => string;
  readonly maxEndedLegs: number;
  readonly dialClaimMs: number;
  readonly onDiagnostic: (diagnostic: BaresipDiagnostic) => void;
  readonly logger: Logger | undefined;
}

function count(value: number | undefined, fallback: number, name: string): number {
  return countOption('BaresipPhone', value, fallback, name);
}

function delay(value: number | undefined, fallback: number, name: string): number {
  return delayOption('BaresipPhone', value, fallback, name);
}

export function resolveOptions(options: BaresipPhoneOptions): ResolvedOptions {
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new RangeError('BaresipPhone: port must be a TCP port number (1-65535)');
  }
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port,
    commandTimeoutMs: Math.max(1, delay(options.commandTimeoutMs, 5000, 'commandTimeoutMs')),
    checkIntervalMs: delay(options.checkIntervalMs, 5000, 'checkIntervalMs'),
    reconnectDelayMs: Math.max(1, delay(options.reconnectDelayMs, 250, 'reconnectDelayMs')),
    dtmfBaseMs: delay(options.dtmfBaseMs, 100, 'dtmfBaseMs'),
    dtmfMsPerDigit: delay(options.dtmfMsPerDigit, 250, 'dtmfMsPerDigit'),
    toUri: options.toUri ?? ((destination) => destination),
    maxEndedLegs: count(options.maxEndedLegs, 1000, 'maxEndedLegs'),
    dialClaimMs: Math.max(1, delay(options.dialClaimMs, 5000, 'dialClaimMs')),
    onDiagnostic: options.onDiagnostic ?? (() => undefined),
    logger: options.logger === undefined ? undefined : toLogger(options.logger),
  };
}
