/** `cti-conversation bridge`: flags and the scenario file, then the simulator (bridge/run-bridge.ts). */
import { parseScenario, ScenarioError, type Scenario } from '../../simulator/scenario.js';
import { readUserFile } from '../load-file.js';
import type { CliIo } from '../io.js';
import { BRIDGE_HELP } from '../help.js';
import { parseFlags } from '../parse-flags.js';
import { parseHostPort } from '../host-port.js';
import { transcriptModeFor } from '../transcript.js';
import { UsageError } from '../usage-error.js';
import { runBridge } from '../bridge/run-bridge.js';

const HINT = 'run `cti-conversation bridge --help` to see the flags';

export async function runBridgeCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags('bridge', argv, {
    listen: { type: 'string' },
    scenario: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.stdout.write(BRIDGE_HELP);
    return 0;
  }
  if (values.listen === undefined) throw new UsageError('bridge: --listen HOST:PORT is required', HINT);
  const listen = parseHostPort('--listen', values.listen, HINT, { allowPortZero: true });
  let scenario: Scenario | undefined;
  if (values.scenario !== undefined) {
    const hint = 'examples/scenario.yaml shows the format';
    const text = await readUserFile('--scenario', values.scenario, io.cwd ?? process.cwd(), hint);
    const lower = values.scenario.toLowerCase();
    const format = lower.endsWith('.json') ? 'json' : lower.endsWith('.yaml') || lower.endsWith('.yml') ? 'yaml' : undefined;
    try {
      scenario = await parseScenario(text, values.scenario, format);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      const [first, ...more] = error.problems;
      throw new UsageError(
        `--scenario ${values.scenario}: ${first ?? 'not a usable scenario'}${more.length ? ` (and ${more.length} more problem(s): ${more.join('; ')})` : ''}`,
        hint,
      );
    }
  }
  return runBridge({
    io,
    listen,
    ...(scenario && { scenario, scenarioName: values.scenario }),
    mode: transcriptModeFor(io.stdout, io.env, values.json === true),
  });
}
