/**
 * Reads a trace: the file and its continuations after rotation (FILE.1, FILE.2, …), each opening
 * with a header this version can read. Lines keep their place (`where`: file part and line number)
 * so a replay can point at the line it stopped on.
 */
import { access, readFile } from 'node:fs/promises';
import { peekHeader, TRACE_FORMAT, TRACE_VERSION, type TraceEntry, type TraceHeader } from './format.js';

/** One entry as read from a trace, with where it was (for a replay's report). */
export interface TracedEntry {
  readonly entry: TraceEntry;
  /** `FILE:LINE` (the part's file name when the trace was rotated), for people. */
  readonly where: string;
  /** Position in the whole trace, 0-based, headers not counted. */
  readonly index: number;
}

/**
 * A trace as parseTrace and readTraceFile give it: the first part's header and the entries of
 * every part, in order (lines of a kind this version does not know left out).
 */
export interface ParsedTrace {
  readonly header: TraceHeader;
  readonly entries: readonly TracedEntry[];
}

/**
 * What parseTrace throws, and readTraceFile and readTraceParts reject with, when the input is not
 * a trace this version reads: a file that cannot be read, a first line that is not a trace header,
 * a format version it does not read (newer than TRACE_VERSION), a line that is not JSON or has no
 * `kind` or `t`, no part at all. The message starts with the file and line
 * (`day.jsonl:7: not JSON`), except for no part at all.
 */
export class TraceError extends Error {}

const KINDS = new Set([
  'leg.created',
  'leg.snapshot',
  'leg.forgotten',
  'frame.in',
  'frame.out',
  'phone.event',
  'operation.started',
  'operation.settled',
  'connection.opened',
  'connection.lost',
  'dropped',
]);

function readHeader(line: string | undefined, where: string): TraceHeader {
  let header: unknown;
  try {
    header = JSON.parse(line ?? '');
  } catch {
    throw new TraceError(`${where}: not a trace (the first line is not JSON)`);
  }
  const h = header as Partial<TraceHeader> | null;
  if (h === null || typeof h !== 'object' || h.kind !== 'trace' || h.format !== TRACE_FORMAT) {
    throw new TraceError(`${where}: not a trace (the first line is not a ${TRACE_FORMAT} header)`);
  }
  if (typeof h.version !== 'number' || h.version > TRACE_VERSION || h.version < 1) {
    throw new TraceError(`${where}: trace format version ${String(h.version)}; this version reads 1 to ${TRACE_VERSION}`);
  }
  return h as TraceHeader;
}

/**
 * Parses the text of one or more parts, in order (FILE, FILE.1, …; `name` is used in `where` and
 * in errors). Each part must open with a header of format version 1 to TRACE_VERSION; the first
 * part's header is the trace's. Lines of a kind this version does not know are skipped; only
 * `kind` and `t` are checked, not the other fields of a line.
 *
 * @throws {TraceError} when a part has no valid header, a line is not JSON or lacks `kind` or
 * `t`, or `parts` is empty.
 * @example
 * const trace = parseTrace([{ name: 'day.jsonl', text: await readFile('day.jsonl', 'utf8') }]);
 */
export function parseTrace(parts: readonly { readonly name: string; readonly text: string }[]): ParsedTrace {
  let header: TraceHeader | undefined;
  const entries: TracedEntry[] = [];
  for (const part of parts) {
    const lines = part.text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    const partHeader = readHeader(lines[0], `${part.name}:1`);
    header ??= partHeader;
    for (let i = 1; i < lines.length; i++) {
      const where = `${part.name}:${i + 1}`;
      let entry: unknown;
      try {
        entry = JSON.parse(lines[i] as string);
      } catch {
        throw new TraceError(`${where}: not JSON`);
      }
      const e = entry as { kind?: unknown; t?: unknown } | null;
      if (e === null || typeof e !== 'object' || typeof e.kind !== 'string' || typeof e.t !== 'number') {
        throw new TraceError(`${where}: a line needs a kind and a time t`);
      }
      // A kind this version does not know is skipped: later minor additions stay readable.
      if (!KINDS.has(e.kind)) continue;
      entries.push({ entry: entry as TraceEntry, where, index: entries.length });
    }
  }
  if (header === undefined) throw new TraceError('no trace given');
  return { header, entries };
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * Reads and parses a trace: FILE, then FILE.1, FILE.2, … while they exist (readTraceParts, then
 * parseTrace).
 *
 * @throws {TraceError} (a rejection) when FILE cannot be read or is not a trace (see parseTrace).
 * @example
 * const result = await replayTrace(await readTraceFile('day.jsonl'));
 */
export async function readTraceFile(file: string): Promise<ParsedTrace> {
  return parseTrace(await readTraceParts(file));
}

/** The first line of a part's text. */
const firstLineOf = (text: string): string => {
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
};

/**
 * Whether part `n` opens with the header of another recording than `first` (FILE's header): a
 * recording writes FILE anew but leaves in place the FILE.n of an earlier one that rotated
 * further, and their headers name that earlier start. A part without a readable header is not
 * judged here: it is read, and parseTrace says what is wrong with it.
 */
function ofAnotherRecording(header: Partial<TraceHeader>, n: number, first: Partial<TraceHeader>): boolean {
  return header.kind === 'trace' && first.kind === 'trace' && (header.part !== n || header.startedAt !== first.startedAt);
}

/**
 * The text of FILE and of each continuation after rotation (FILE.1, FILE.2, …), in order, each with
 * its file name: what parseTrace takes, and what emitTestSource takes as `parts` (their `text`).
 * A continuation is taken while it exists and its header does not name another recording (part
 * n, FILE's `startedAt`): the FILE.n an earlier, longer recording left behind are not read as this
 * one's. Nothing else is checked.
 *
 * @throws {TraceError} (a rejection) when FILE itself cannot be read. A continuation that exists
 * but cannot be read rejects with the file system's error.
 */
export async function readTraceParts(file: string): Promise<{ name: string; text: string }[]> {
  const parts: { name: string; text: string }[] = [];
  try {
    parts.push({ name: file, text: await readFile(file, 'utf8') });
  } catch (error) {
    throw new TraceError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const first = peekHeader(firstLineOf((parts[0] as { text: string }).text));
  for (let n = 1; await exists(`${file}.${n}`); n++) {
    const text = await readFile(`${file}.${n}`, 'utf8');
    if (ofAnotherRecording(peekHeader(firstLineOf(text)), n, first)) break;
    parts.push({ name: `${file}.${n}`, text });
  }
  return parts;
}
