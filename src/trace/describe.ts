/** How a replay's result reads on a terminal: one line for a match, the first divergence in full. */
import type { TraceEntry } from './format.js';
import type { TracedEntry } from './read.js';
import type { ReplayOutput, ReplayResult } from './replay.js';

const MAX_JSON = 600;

const json = (value: unknown): string => {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > MAX_JSON ? `${text.slice(0, MAX_JSON)}… (${text.length} characters)` : text;
};

function frameSummary(frame: unknown): string {
  const header = (frame as { header?: Record<string, unknown> } | null)?.header;
  if (typeof header !== 'object' || header === null) return json(frame);
  const name = String(header['name']);
  const result = header['result'] === undefined ? '' : ` ${String(header['result'])}`;
  const error = typeof header['errorMessage'] === 'string' ? ` "${header['errorMessage']}"` : '';
  const id = typeof header['requestId'] === 'string' ? ` #${header['requestId'].slice(0, 8)}` : '';
  return `${String(header['type']).replace('cti.', '')} ${name}${id}${result}${error}`;
}

/** One trace line, short: kind, leg, and what it was. */
export function describeEntry(entry: TraceEntry | ReplayOutput): string {
  const leg = 'leg' in entry && entry.leg !== undefined ? ` [${entry.leg}]` : '';
  switch (entry.kind) {
    case 'frame.in':
    case 'frame.out':
      return `${entry.kind}${leg} ${frameSummary(entry.frame)}`;
    case 'phone.event':
      return `${entry.kind}${leg} ${json(entry.event)}`;
    case 'operation.started':
      return `${entry.kind}${leg} #${entry.opId} ${entry.operation}(${entry.args.map((a) => JSON.stringify(a)).join(', ')})`;
    case 'operation.settled':
      return `${entry.kind}${leg} #${entry.opId} ${entry.ok ? 'ok' : `failed: ${entry.error ?? ''}`}`;
    case 'leg.forgotten':
      return `${entry.kind}${leg} (${entry.why})`;
    case 'connection.lost':
      return `${entry.kind}${entry.reason ? ` (${entry.reason})` : ''}`;
    case 'dropped':
      return `dropped: ${entry.count} lines lost`;
    default:
      return `${entry.kind}${leg}`;
  }
}

const line = (traced: TracedEntry): string => `    ${traced.where}  t=${traced.entry.t} ms  ${describeEntry(traced.entry)}`;

/** The report `cti-conversation replay` prints. */
export function formatReplay(file: string, result: ReplayResult): string {
  const notes = [
    ...(result.skipped > 0 ? [`${result.skipped} lines about legs created before the trace began were skipped`] : []),
    ...(result.dropped > 0 ? [`the recorder dropped ${result.dropped} lines (slow disk): this is not the whole day`] : []),
  ].map((note) => `  note: ${note}\n`);
  if (result.ok) {
    return `replay ${file}: matches (${result.legs} legs, ${result.matched} messages and operations compared)\n${notes.join('')}`;
  }
  const d = result.divergence;
  const out = [`replay ${file}: DIVERGES after ${result.matched} matching messages and operations`];
  if (d?.expected) out.push(`  at ${d.expected.where} the trace has: ${describeEntry(d.expected.entry)}`, `      ${json('frame' in d.expected.entry ? d.expected.entry.frame : d.expected.entry)}`);
  else out.push(`  ${d?.at ? `before ${d.at.where}` : 'at the end of the trace'} the trace has nothing more to send`);
  if (d?.actual) out.push(`  the replay has:    ${describeEntry(d.actual)}`, `      ${json(d.actual.kind === 'frame.out' ? d.actual.frame : d.actual)}`);
  else out.push('  the replay has:    nothing');
  if (d && d.before.length > 0) out.push(`  the ${d.before.length} lines before it:`, ...d.before.map(line));
  return `${out.join('\n')}\n${notes.join('')}`;
}
