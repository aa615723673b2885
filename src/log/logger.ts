/**
 * The one logger of the package: levels, a timestamp on every line, structured fields. The
 * client, the phones and the CLI all write through a Logger; a caller may hand in its own (a pino
 * instance, the console, or anything with the four methods) and `toLogger` adapts it.
 *
 * Call shapes: `log.warn('message')`, `log.warn('message', { legId })` (console-like) and
 * `log.warn({ legId }, 'message')` (pino-like) all work. Every line is made safe as it is written:
 * control characters in the message and in string fields are escaped, and long field values cut,
 * whatever the caller forgot.
 */
import { escapeText, showText } from './show.js';

/**
 * How much a line matters, least first: `debug` (detail, and the only level that may carry
 * personal data such as caller numbers), `info`, `warn`, `error`.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The lowest level a logger writes: a LogLevel, or `silent` for nothing. `cti-conversation client
 * --log-level` takes these words; the default everywhere is `info`.
 */
export type LogThreshold = LogLevel | 'silent';

/** Every LogThreshold, least first: `['debug', 'info', 'warn', 'error', 'silent']`. */
export const LOG_LEVELS: readonly LogThreshold[] = ['debug', 'info', 'warn', 'error', 'silent'];

/**
 * Structured fields of one line, e.g. `{ legId: 'leg-1', code: 'unknown-leg' }`. Written as
 * `key=value` (text format) or as keys of the JSON object; string values are escaped and cut to
 * 256 characters, an Error is written as its message, `undefined` is left out.
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * One level's method of a Logger. Both call shapes work: console-like `log.warn('message',
 * { legId })` and pino-like `log.warn({ legId }, 'message')`. Those of createLogger and toLogger
 * never throw, whatever they are given.
 */
export interface LogMethod {
  (message: string, fields?: LogFields): void;
  (fields: LogFields, message: string): void;
}

/**
 * What the client, the phones and the CLI write through: one LogMethod per level. Make one with
 * createLogger (it writes lines itself) or toLogger (it adapts the console, pino or your own);
 * silentLogger drops everything. Their methods never throw.
 *
 * @example
 * const log: Logger = createLogger({ level: 'debug', prefix: 'agent: ' });
 * log.info('ready', { port: 7001 }); // 2026-12-01T09:00:00.000Z INFO  agent: ready port=7001
 */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
}

/** Where a Logger writes: a console, a pino logger, or any object with some of the level methods. */
export type LoggerLike = Partial<Record<LogLevel, (...args: never[]) => unknown>>;

const RANK: Record<LogThreshold, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** Field values longer than this are cut (a field is for a reader, not for a payload). */
const FIELD_CHARACTERS = 256;

/** Whether `value` is one of LOG_LEVELS (the CLI checks `--log-level` with it). Never throws. */
export function isLogThreshold(value: unknown): value is LogThreshold {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** Whether a line at `level` passes `threshold`. */
export function enabled(level: LogLevel, threshold: LogThreshold): boolean {
  return RANK[level] >= RANK[threshold];
}

/** Reads either call shape into a message and fields. */
function readArgs(a: unknown, b: unknown): { message: string; fields: LogFields | undefined } {
  if (typeof a === 'string') return { message: a, fields: isFields(b) ? b : undefined };
  if (isFields(a)) return { message: typeof b === 'string' ? b : '', fields: a };
  return { message: showText(a, FIELD_CHARACTERS), fields: undefined };
}

function isFields(value: unknown): value is LogFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return showText(value, FIELD_CHARACTERS);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return value;
  if (value instanceof Error) return showText(value.message, FIELD_CHARACTERS);
  return showText(String(value), FIELD_CHARACTERS);
}

/** Fields with every value safe to print; keys too (a key is text as well). */
export function safeFields(fields: LogFields | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!fields) return out;
  for (const key of Object.keys(fields)) {
    if (fields[key] === undefined) continue;
    out[showText(key, 64)] = safeValue(fields[key]);
  }
  return out;
}

function fieldText(fields: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    const shown = typeof value === 'string' && /^[^\s"=]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
    parts.push(`${key}=${shown}`);
  }
  return parts.length > 0 ? ` ${parts.join(' ')}` : '';
}

/**
 * How createLogger writes: every field optional; by default `info` and above, as text lines
 * (`time LEVEL message key=value`) on process.stderr.
 *
 * @example
 * createLogger({ level: 'debug', format: 'json', write: (line) => lines.push(line) });
 */
export interface CreateLoggerOptions {
  /** Lines below this level are dropped; default 'info'. */
  readonly level?: LogThreshold;
  /** Where lines go: a stream (default process.stderr) or a function taking one line. */
  readonly write?: { write(text: string): unknown } | ((line: string) => void);
  /** 'text' (default): `time LEVEL message key=value`; 'json': one JSON object a line. */
  readonly format?: 'text' | 'json';
  /** Put before every message (e.g. `client: `). */
  readonly prefix?: string;
  /** The clock for timestamps (tests). */
  readonly now?: () => Date;
}

/** A logger that writes lines itself. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const threshold = options.level ?? 'info';
  const now = options.now ?? (() => new Date());
  const target = options.write ?? process.stderr;
  const emit = typeof target === 'function' ? target : (line: string) => void target.write(`${line}\n`);
  const prefix = options.prefix ?? '';
  const method =
    (level: LogLevel): LogMethod =>
    (a: unknown, b?: unknown): void => {
      if (!enabled(level, threshold)) return;
      try {
        const { message, fields } = readArgs(a, b);
        const safe = safeFields(fields);
        const time = now().toISOString();
        const text = escapeText(`${prefix}${message}`);
        emit(
          options.format === 'json'
            ? JSON.stringify({ time, level, msg: text, ...safe })
            : `${time} ${level.toUpperCase().padEnd(5)} ${text}${fieldText(safe)}`,
        );
      } catch {
        // Logging never throws into its caller.
      }
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}

/** A logger that drops everything. */
export const silentLogger: Logger = createLogger({ level: 'silent', write: () => undefined });

function isPinoLike(value: object): boolean {
  return typeof (value as { child?: unknown }).child === 'function' && typeof (value as { level?: unknown }).level === 'string';
}

/**
 * Adapts what a caller handed in. A pino-like logger (it has `child` and a `level`) is called as
 * pino is, fields first; anything else (the console, a test's recorder) gets one finished line.
 * A line whose level the target lacks is dropped (never sent up a level: debug lines may hold
 * personal data). Lines are made safe here too, and below `level` they are dropped before any
 * work is done.
 */
export function toLogger(target: LoggerLike | Logger | undefined, level: LogThreshold = 'debug'): Logger {
  if (!target) return silentLogger;
  const pino = isPinoLike(target);
  const pick = (wanted: LogLevel): ((...args: unknown[]) => unknown) | undefined => {
    const fn = (target as Record<string, unknown>)[wanted];
    return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(target) : undefined;
  };
  const method =
    (wanted: LogLevel): LogMethod =>
    (a: unknown, b?: unknown): void => {
      if (!enabled(wanted, level)) return;
      const fn = pick(wanted);
      if (!fn) return;
      try {
        const { message, fields } = readArgs(a, b);
        const safe = safeFields(fields);
        const text = escapeText(message);
        if (pino) fn(safe, text);
        else fn(`${text}${fieldText(safe)}`);
      } catch {
        // as above
      }
    };
  return { debug: method('debug'), info: method('info'), warn: method('warn'), error: method('error') };
}
