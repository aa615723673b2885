/** `cti-conversation demo`: flags, then the day of calls (demo/run-demo.ts). */
import type { CliIo } from '../io.js';
import { DEMO_HELP } from '../help.js';
import { parseFlags } from '../parse-flags.js';
import { parseInspectFlag } from '../inspect-flag.js';
import { transcriptModeFor } from '../transcript.js';
import { runDemo } from '../demo/run-demo.js';
import { recordFlag } from '../record-flag.js';

export async function runDemoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('demo', argv, {
    json: { type: 'boolean' },
    inspect: { type: 'string' },
    'show-digits': { type: 'boolean' },
    record: { type: 'string' },
    'record-unmasked': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(DEMO_HELP);
    return 0;
  }
  const inspect = parseInspectFlag('demo', values.inspect);
  const mode = transcriptModeFor(io.stdout, io.env, values.json === true);
  const record = recordFlag('demo', values.record, values['record-unmasked'], io.cwd ?? process.cwd(), 'run `cti-conversation demo --help` to see the flags');
  return runDemo({ io, mode, inspect, showDigits: values['show-digits'] === true, ...(record && { record }) });
}
