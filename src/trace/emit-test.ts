/**
 * Trace to test: the text of a vitest file that holds a trace and replays it, so a field bug
 * becomes a regression test in one command (`replay FILE --emit-test OUT`). The file carries the
 * trace itself (masked as it was recorded): it needs nothing but this package to run.
 */
import { dirname, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peekHeader } from './format.js';

/** What emitTestSource writes into the test file, and where the file goes. */
export interface EmitTestOptions {
  /** The trace's name as the test shows it (its file name). */
  readonly name: string;
  /** The trace parts' text, in order (FILE, FILE.1, …). */
  readonly parts: readonly string[];
  /** Where the test file will be written: the import of this module is made relative to it. */
  readonly out: string;
  /** The module to import the replay from; default this package's trace module. */
  readonly importFrom?: string;
}

/** This package's trace module, as the emitted file must import it. */
function traceModule(out: string): string {
  const here = fileURLToPath(new URL('./index.js', import.meta.url));
  // Installed as a dependency: the package's own subpath, not a path into node_modules.
  if (here.split(sep).includes('node_modules')) return 'cti-conversation/trace';
  const path = relative(dirname(out), here).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * The text of a vitest file that holds a trace (every part, as recorded, masked or not) and one
 * test that replays it and fails with formatReplay's report when this version answers
 * differently: what `cti-conversation replay FILE --emit-test OUT` writes. It writes nothing
 * itself. The file imports the replay from `importFrom`, by default `cti-conversation/trace` when
 * this package is installed as a dependency, else a path relative to `out`.
 *
 * It does not check the trace (read it with parseTrace first) and never throws for what the trace
 * holds.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * import { emitTestSource, readTraceParts } from 'cti-conversation/trace';
 *
 * const parts = await readTraceParts('agent-42.jsonl');
 * const out = 'test/field/agent-42.test.ts';
 * await writeFile(out, emitTestSource({ name: 'agent-42.jsonl', parts: parts.map((part) => part.text), out }));
 */
export function emitTestSource(options: EmitTestOptions): string {
  const from = options.importFrom ?? traceModule(options.out);
  const lines = options.parts.flatMap((text) => text.split('\n').filter((line) => line !== ''));
  // For the comment only: a first line that is not a header says nothing.
  const header = peekHeader(lines[0]);
  const title = JSON.stringify(`replays ${options.name} exactly`);
  const name = JSON.stringify(options.name);
  return `/**
 * A trace pinned as a regression test by \`cti-conversation replay ${options.name.replaceAll('*/', '*∕')} --emit-test\`:
 * recorded ${String(header.startedAt ?? 'at an unknown time')}, ${lines.length} lines${header.masked === false ? '' : ', masked'}.
 * It replays the trace against this version's destination and fails on the first message or
 * phone operation that differs, printing it with the lines before it. Edit nothing here: record
 * a new trace and emit again when the behaviour change is intended.
 */
import { expect, it } from 'vitest';
import { formatReplay, parseTrace, replayTrace } from ${JSON.stringify(from)};

const NAME = ${name};
const PARTS: readonly (readonly string[])[] = [
${splitParts(options.parts)
  .map((part) => `  [\n${part.map((line) => `    ${JSON.stringify(line)},`).join('\n')}\n  ],`)
  .join('\n')}
];

it(${title}, async () => {
  const trace = parseTrace(PARTS.map((part, n) => ({ name: n === 0 ? NAME : \`\${NAME}.\${n}\`, text: part.join('\\n') })));
  const result = await replayTrace(trace);
  expect(result.ok, formatReplay(NAME, result)).toBe(true);
});
`;
}

function splitParts(parts: readonly string[]): string[][] {
  return parts.map((text) => text.split('\n').filter((line) => line !== ''));
}
