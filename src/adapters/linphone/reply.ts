/**
 * linphone-daemon's replies: `Status: Ok|Error`, an optional `Reason:` line, then an optional
 * body of `Key: Value` lines after a blank line. Nothing marks the end of a reply, so a reply is
 * taken as complete once it ends with a newline and shows what its command must show (see
 * `replyLooksComplete`); the connection falls back to a short quiet period otherwise.
 */

export interface DaemonReply {
  readonly ok: boolean;
  /** The `Reason:` of an error reply, without control characters; '' when absent. */
  readonly reason: string;
  /** Every `Key: Value` line; the first of a repeated key wins. */
  readonly fields: ReadonlyMap<string, string>;
  /** Everything after the status and reason lines, trimmed. */
  readonly body: string;
}

const STATUS = /^Status: (Ok|Error)\r?$/;
const FIELD = /^([A-Za-z][A-Za-z0-9_-]{0,63}): ?(.*?)\r?$/;

/** Parses one reply, or undefined when the text does not start with a status line. */
export function parseReply(text: string): DaemonReply | undefined {
  const lines = text.split('\n');
  const status = STATUS.exec(lines[0] ?? '');
  if (!status) return undefined;
  const fields = new Map<string, string>();
  let reason = '';
  const bodyLines: string[] = [];
  for (const line of lines.slice(1)) {
    const field = FIELD.exec(line);
    if (field && field[1] === 'Reason' && reason === '' && bodyLines.length === 0) {
      reason = printable(field[2] ?? '');
      continue;
    }
    bodyLines.push(line);
    if (field && !fields.has(field[1]!)) fields.set(field[1]!, field[2] ?? '');
  }
  return { ok: status[1] === 'Ok', reason, fields, body: bodyLines.join('\n').trim() };
}

/**
 * Whether `text` is a whole reply: it ends with a newline, an error carries its reason, and a
 * success carries every field in `expect` (for example `Id` after `call`, `Size` after `pop-event`).
 */
export function replyLooksComplete(text: string, expect: readonly string[]): boolean {
  if (!text.endsWith('\n')) return false;
  const reply = parseReply(text);
  if (!reply) return false;
  if (!reply.ok) return reply.reason !== '';
  return expect.every((key) => reply.fields.has(key));
}

/** Keeps what a reply says printable before it reaches an error message or a log. */
export function printable(text: string, max = 200): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
