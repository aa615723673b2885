/**
 * How the client reports: every diagnostic goes to the `onDiagnostic` hook (all of them, for
 * programs) and to the logger (for people), where per-frame lines are rate-limited per code so a
 * hostile bridge cannot flood the log. Bridge text in messages is already cut and escaped by the
 * caller (showText); the logger escapes again whatever slipped through.
 */
import { RateLimiter, toLogger, type Logger, type LoggerLike, type LogThreshold } from '../log/index.js';
import type { BridgeClientDiagnostic } from './options.js';
import { diagnosticRecord } from './records.js';

type Level = BridgeClientDiagnostic['level'];

/** The level of each code; a code not listed is 'info'. */
export const LEVELS: Readonly<Record<string, Level>> = {
  connected: 'info',
  disconnected: 'warn',
  'connect-failed': 'warn',
  reconnecting: 'info',
  'tls-unverified': 'warn',
  'bad-frame': 'warn',
  'frame-too-large': 'error',
  'malformed-header': 'warn',
  'name-too-long': 'warn',
  'bad-header': 'warn',
  busy: 'warn',
  'unknown-leg': 'warn',
  'not-implemented': 'warn',
  disposed: 'debug',
  'backpressure-paused': 'warn',
  'backpressure-resumed': 'info',
  'backpressure-timeout': 'error',
  'unsent-overflow': 'error',
  'response-not-owed': 'debug',
  'not-sent': 'debug',
  'send-failed': 'error',
  'bad-leg-id': 'error',
  'leg-limit': 'warn',
  'leg-let-go': 'info',
  'leg-disposed': 'debug',
  'disposed-forgotten': 'debug',
  closed: 'info',
  'destination-error': 'error',
};

/** Codes about the connection itself: few, and each worth its line, so never rate-limited. */
const LIFECYCLE = new Set(['connected', 'disconnected', 'connect-failed', 'reconnecting', 'tls-unverified', 'closed', 'backpressure-timeout', 'unsent-overflow']);

export interface ClientReporterOptions {
  readonly logger?: Logger | LoggerLike;
  readonly logLevel?: LogThreshold;
  readonly onDiagnostic?: (diagnostic: BridgeClientDiagnostic) => void;
  /** Per-frame lines per code per window; default 10 per 10 s. */
  readonly logBurst?: number;
  readonly logWindowMs?: number;
}

export interface ClientReporter {
  report(code: string, message: string, extra?: { target?: string; legId?: string; level?: Level }): void;
  readonly suppressed: number;
}

export function createReporter(options: ClientReporterOptions): ClientReporter {
  const logger = options.logger ? toLogger(options.logger, options.logLevel ?? 'info') : undefined;
  const limiter = new RateLimiter({ burst: options.logBurst ?? 10, windowMs: options.logWindowMs ?? 10_000 });
  return {
    get suppressed() {
      return limiter.suppressedTotal;
    },
    report(code, message, extra = {}) {
      // Nobody listens: no record is built (the client builds per-frame records only for listeners).
      if (options.onDiagnostic === undefined && logger === undefined) return;
      const level = extra.level ?? LEVELS[code] ?? 'info';
      const diagnostic = diagnosticRecord(code, message, level, extra);
      try {
        options.onDiagnostic?.(diagnostic);
      } catch {
        // A hook's failure must not stop the client.
      }
      if (!logger) return;
      let note = '';
      if (!LIFECYCLE.has(code)) {
        const decision = limiter.take(code);
        if (!decision.allowed) return;
        if (decision.suppressedBefore > 0) note = ` (${decision.suppressedBefore} more like this were not logged)`;
      }
      logger[level](`bridge client: ${message}${note}`, {
        code,
        ...(extra.legId !== undefined && { leg: extra.legId }),
        ...(extra.target !== undefined && { target: extra.target }),
      });
    },
  };
}
