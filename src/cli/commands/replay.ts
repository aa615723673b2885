/** `cti-conversation replay FILE [--emit-test OUT]`: replays a trace; exits 0 only on a match. */
import { resolve } from 'node:path';
import type { CliIo } from '../io.js';
import { REPLAY_HELP } from '../help.js';
import { UsageError } from '../usage-error.js';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { emitTestSource, formatReplay, parseTrace, readTraceParts, replayTrace, TraceError } from '../../trace/index.js';

const HINT = 'run `cti-conversation replay --help` to see the flags';

export async function runReplayCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { 'emit-test': { type: 'string' }, context: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(`replay: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, HINT);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(REPLAY_HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new UsageError('replay: give exactly one trace FILE', HINT);
  const context = values.context === undefined ? undefined : Number(values.context);
  if (context !== undefined && !(Number.isInteger(context) && context >= 0)) throw new UsageError('replay: --context takes a whole number of lines', HINT);
  const name = positionals[0] as string;
  const cwd = io.cwd ?? process.cwd();
  let trace;
  let parts;
  try {
    parts = await readTraceParts(resolve(cwd, name));
    trace = parseTrace(parts);
  } catch (error) {
    if (error instanceof TraceError) {
      io.stderr.write(`replay: ${error.message.replace(resolve(cwd, name), name)}\n`);
      return 1;
    }
    throw error;
  }
  const result = await replayTrace(trace, context === undefined ? {} : { context });
  io.stdout.write(formatReplay(name, result).replaceAll(resolve(cwd, name), name));
  if (values['emit-test'] !== undefined) {
    const out = resolve(cwd, values['emit-test']);
    await writeFile(out, emitTestSource({ name: basename(name), parts: parts.map((part) => part.text), out }));
    io.stdout.write(`replay: wrote ${values['emit-test']}: a vitest file that pins this trace${result.ok ? '' : ' (it fails until the replay matches)'}\n`);
  }
  return result.ok ? 0 : 1;
}
