/**
 * The transcript of a run: every message in both directions of the wire, what the client asked of
 * the phone and what the phone reported, and what the simulated far ends did. Three forms: coloured
 * for a terminal, plain when piped, and JSON lines: one object per line, each with a `type`
 * (`heading`, `wire`, `phone`, `script`, `note`, `summary`) and a `time` (ISO 8601), e.g.
 * `{"type":"wire","time":"…","dir":"bridge→client","msg":{…}}`. Nothing else goes to stdout then.
 *
 * It shows what was sent, with two exceptions: DTMF digits (they may be a card number) are shown as
 * `[6 digits]` unless `showDigits` asks for them, and control characters in the text forms are
 * escaped, so a bridge cannot write to the terminal through a name or a target.
 */
import type { CliOutput } from './io.js';
import { shortName } from '../../machines/requests.js';
import { escapeText } from '../log/index.js';

export type TranscriptMode = 'colour' | 'plain' | 'json';

interface Envelope {
  readonly header?: Record<string, unknown>;
  readonly body?: Record<string, unknown> | null;
}

export type TranscriptEntry =
  | { readonly dir: 'bridge→client' | 'client→bridge'; readonly msg: unknown }
  | { readonly dir: 'client→phone'; readonly leg: string; readonly op: string; readonly args?: readonly string[] }
  | { readonly dir: 'phone→client'; readonly leg: string; readonly event: { readonly type: string } & Record<string, unknown> }
  | { readonly dir: 'far end' | 'agent'; readonly leg: string; readonly action: string };

export interface Transcript {
  /** A heading before a group of lines (one call of the demo). */
  heading(title: string): void;
  entry(entry: TranscriptEntry): void;
  /** A line of commentary (a log line, a check that failed). */
  note(text: string): void;
  /** A final block: `lines` for people, `data` for the JSON form. */
  summary(lines: readonly string[], data: unknown): void;
}

const ANSI = {
  reset: '\x1b[0m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  blue: '\x1b[34m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
} as const;
type Colour = keyof typeof ANSI;

/** Colour on a terminal unless NO_COLOR is set (no-color.org); FORCE_COLOR turns it on anyway. */
export function transcriptModeFor(
  output: CliOutput,
  env: Readonly<Record<string, string | undefined>> = {},
  json = false,
): TranscriptMode {
  if (json) return 'json';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 'plain';
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return 'colour';
  return output.isTTY ? 'colour' : 'plain';
}

export interface TranscriptOptions {
  /** Show DTMF digits as they were sent; default false (masked as `[N digits]`). */
  readonly showDigits?: boolean;
  /** The clock of the JSON lines' `time`; default the wall clock. */
  readonly now?: () => Date;
}

/** `[6 digits]` for a string of digits: how many, never which. */
export function maskDigits(digits: unknown): unknown {
  return typeof digits === 'string' ? `[${digits.length} digits]` : digits;
}

/** The entry with its DTMF digits masked: a senddtmf body and a sendDtmf operation's argument. */
export function maskEntry(entry: TranscriptEntry): TranscriptEntry {
  if (entry.dir === 'client→phone') {
    return entry.op === 'sendDtmf' && entry.args ? { ...entry, args: entry.args.map((arg, i) => (i === 0 ? String(maskDigits(arg)) : arg)) } : entry;
  }
  if (entry.dir !== 'bridge→client' && entry.dir !== 'client→bridge') return entry;
  const msg = entry.msg as Envelope | null;
  const body = typeof msg === 'object' && msg !== null ? msg.body : undefined;
  if (typeof body !== 'object' || body === null || !('digits' in body)) return entry;
  return { ...entry, msg: { ...msg, body: { ...body, digits: maskDigits(body['digits']) } } };
}

/** The `type` of an entry's JSON line. */
function entryType(entry: TranscriptEntry): 'wire' | 'phone' | 'script' {
  if (entry.dir === 'bridge→client' || entry.dir === 'client→bridge') return 'wire';
  if (entry.dir === 'client→phone' || entry.dir === 'phone→client') return 'phone';
  return 'script';
}

export function createTranscript(output: CliOutput, mode: TranscriptMode, options: TranscriptOptions = {}): Transcript {
  const now = options.now ?? ((): Date => new Date());
  const paint = (colour: Colour, text: string): string =>
    mode === 'colour' ? `${ANSI[colour]}${escapeText(text)}${ANSI.reset}` : escapeText(text);
  const line = (text: string): void => output.write(`${text}\n`);
  const json = (type: string, value: object): void => line(JSON.stringify({ type, time: now().toISOString(), ...value }));

  return {
    heading(title) {
      if (mode === 'json') return json('heading', { heading: title });
      line('');
      line(paint('bold', `── ${title} ${'─'.repeat(Math.max(3, 70 - title.length))}`));
    },
    entry(given) {
      const entry = options.showDigits ? given : maskEntry(given);
      if (mode === 'json') return json(entryType(entry), entry);
      const { colour, text } = describeEntry(entry);
      line(paint(colour, text));
    },
    note(text) {
      if (mode === 'json') return json('note', { note: text });
      line(paint('dim', `   ${text}`));
    },
    summary(lines, data) {
      if (mode === 'json') return json('summary', { summary: data });
      line('');
      for (const text of lines) {
        const colour: Colour = /\bFAILED|not held|✗/.test(text) ? 'red' : text.startsWith('  ') ? 'reset' : 'bold';
        line(colour === 'reset' ? escapeText(text) : paint(colour, text));
      }
    },
  };
}

const DIR_WIDTH = 15;
const KIND_WIDTH = 9;
const NAME_WIDTH = 20;

function row(leg: string, dir: string, kind: string, name: string, detail: string): string {
  const columns = `${leg.padEnd(10)} ${dir.padEnd(DIR_WIDTH)} ${kind.padEnd(KIND_WIDTH)} ${name.padEnd(NAME_WIDTH)}`;
  return `${columns} ${detail}`.trimEnd();
}

function describeEntry(entry: TranscriptEntry): { colour: Colour; text: string } {
  switch (entry.dir) {
    case 'bridge→client':
    case 'client→bridge':
      return describeMessage(entry.dir, entry.msg);
    case 'client→phone':
      return { colour: 'magenta', text: row(entry.leg, entry.dir, 'operation', entry.op, (entry.args ?? []).join(' ')) };
    case 'phone→client': {
      const { type, ...rest } = entry.event;
      return { colour: 'magenta', text: row(entry.leg, entry.dir, 'report', type, describeFields(rest)) };
    }
    case 'far end':
    case 'agent':
      return { colour: 'blue', text: row(entry.leg, entry.dir, 'does', entry.action, '') };
  }
}

function describeMessage(dir: string, msg: unknown): { colour: Colour; text: string } {
  const envelope = (typeof msg === 'object' && msg !== null ? msg : {}) as Envelope;
  const header = envelope.header ?? {};
  const body = envelope.body ?? {};
  const target = typeof header.target === 'string' ? header.target : '?';
  const leg = target.split('.').pop() ?? target;
  const type = typeof header.type === 'string' ? header.type.replace(/^cti\./, '') : '?';
  const name = typeof header.name === 'string' ? shortName(header.name) : '?';
  if (type === 'response') {
    const result = typeof header.result === 'string' ? header.result : '?';
    const detail =
      result === 'FAILURE'
        ? `FAILURE "${String(header.errorMessage ?? '')}"`
        : `SUCCESS ${describeInitBody(body)}`.trimEnd();
    return { colour: result === 'SUCCESS' ? 'green' : 'red', text: row(leg, dir, type, name, detail) };
  }
  const colour: Colour = dir === 'bridge→client' ? 'cyan' : 'yellow';
  return { colour, text: row(leg, dir, type, name, describeFields(body)) };
}

function describeInitBody(body: Record<string, unknown>): string {
  const state = body['conversation-state'];
  const parties = Array.isArray(body.parties) ? body.parties : [];
  if (typeof state !== 'string') return '';
  const listed = parties.map((party) => describeParty(party)).join(', ');
  return `${state}${listed ? ` · ${listed}` : ''}`;
}

function describeParty(party: unknown): string {
  if (typeof party !== 'object' || party === null) return '?';
  const { number, name } = party as { number?: unknown; name?: unknown };
  return typeof name === 'string' ? `${String(number)} (${name})` : String(number);
}

function describeFields(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => (key === 'party' ? describeParty(value) : `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`))
    .join(' ');
}
