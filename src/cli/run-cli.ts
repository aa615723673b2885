import { existsSync, readFileSync } from 'node:fs';
import type { CliIo } from './io.js';
import { MAIN_HELP } from './help.js';
import { UsageError, USAGE_EXIT_CODE } from './usage-error.js';
import { runDemoCommand } from './commands/demo.js';
import { runClientCommand } from './commands/client.js';
import { runBridgeCommand } from './commands/bridge.js';
import { runReplayCommand } from './commands/replay.js';

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  demo: runDemoCommand,
  client: runClientCommand,
  bridge: runBridgeCommand,
  replay: runReplayCommand,
};

/**
 * Runs one CLI invocation (argv without the node and script names) and resolves to its exit code.
 * Never throws: usage errors give exit code 2, anything unexpected exit code 1, each with a line
 * on stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_HELP);
    return name === undefined ? USAGE_EXIT_CODE : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) {
      throw new UsageError(
        `unknown command ${JSON.stringify(name)}`,
        `the commands are ${Object.keys(COMMANDS).join(', ')}; run \`cti-conversation --help\``,
      );
    }
    return await command(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      // One line: what is wrong, then what to do.
      io.stderr.write(`cti-conversation: ${error.message} (${error.hint})\n`);
      return USAGE_EXIT_CODE;
    }
    const text = error instanceof Error ? error.message : String(error);
    io.stderr.write(`cti-conversation: ${text}\n`);
    return 1;
  }
}

/** This package's version, from the package.json above this file (src/cli/ or dist/src/cli/). */
export function packageVersion(): string {
  for (let up = new URL('../../', import.meta.url); up.pathname !== '/'; up = new URL('../', up)) {
    const path = new URL('package.json', up);
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name?: string; version?: string };
    if (manifest.name === 'cti-conversation' && manifest.version) return manifest.version;
  }
  return 'unknown';
}
