import { parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** The flags a command takes: each a string or a boolean, optionally with a one-letter alias. */
export type FlagSpec = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string }>>;

export type FlagValues<O extends FlagSpec> = {
  -readonly [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
};

/**
 * node:util parseArgs, with its errors turned into one-line usage errors. `--inspect` may stand
 * alone (it then means `--inspect=local`), so a bare `--inspect` is rewritten before parsing.
 */
export function parseFlags<O extends FlagSpec>(
  command: string,
  argv: readonly string[],
  options: O,
): { values: FlagValues<O> } {
  const hint = `run \`cti-conversation ${command} --help\` to see the flags`;
  const args = argv.map((arg) => (arg === '--inspect' && 'inspect' in options ? '--inspect=local' : arg));
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return { values: values as FlagValues<O> };
  } catch (error) {
    throw new UsageError(describeParseError(command, error), hint);
  }
}

function describeParseError(command: string, error: unknown): string {
  const code = (error as { code?: string }).code;
  const text = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(text)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `${command}: unknown flag ${quoted ?? text}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `${command}: unexpected argument ${quoted ?? text}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const flag = /--[\w-]+/.exec(text)?.[0];
      return text.includes('argument missing')
        ? `${command}: ${flag ?? 'a flag'} needs a value`
        : `${command}: ${flag ?? 'a flag'} takes no value`;
    }
    default:
      return `${command}: ${text.split('\n')[0]}`;
  }
}
