/**
 * The bridge simulator alone: listens, prints every message on stdout, and when a client connects
 * plays the scenario (if any) against it; then prints the conformance report and exits 0 when it
 * passed. Without a scenario it listens until Ctrl-C and then reports on the traffic it saw.
 */
import { formatHostPort } from '../../log/host-port.js';
import { createBridgeSimulator, runScenario, type BridgeSimulator, type ScenarioStepResult } from '../../simulator/index.js';
import type { Scenario } from '../../simulator/scenario.js';
import type { HostPort } from '../host-port.js';
import type { CliIo } from '../io.js';
import { countMessage, emptyTrafficCounts, summarise } from '../summary.js';
import { createTranscript, type TranscriptMode } from '../transcript.js';
import { untilAborted } from '../until-aborted.js';

export interface RunBridgeOptions {
  readonly io: CliIo;
  readonly listen: HostPort;
  readonly scenario?: Scenario;
  readonly scenarioName?: string;
  readonly mode: TranscriptMode;
}

export async function runBridge(options: RunBridgeOptions): Promise<number> {
  const { io, scenario } = options;
  const log = (line: string): void => io.stderr.write(`bridge: ${line}\n`);
  let simulator: BridgeSimulator;
  try {
    simulator = await createBridgeSimulator({ host: options.listen.host, port: options.listen.port });
  } catch (error) {
    log(`cannot listen on ${formatHostPort(options.listen.host, options.listen.port)}: ${messageOf(error)}`);
    return 1;
  }
  const transcript = createTranscript(io.stdout, options.mode);
  const traffic = emptyTrafficCounts();
  simulator.onTraffic((entry) => {
    if (entry.direction === 'connection') {
      log(`client connection ${entry.connection} ${entry.event}`);
      return;
    }
    if ('problem' in entry) return transcript.note(`✗ the client sent a bad frame: ${entry.problem}`);
    countMessage(traffic, entry.direction, entry.message);
    transcript.entry({ dir: entry.direction, msg: entry.message });
  });
  log(`listening on ${formatHostPort(simulator.host, simulator.port)}`);
  io.onListening?.({ host: simulator.host, port: simulator.port });

  const problems: string[] = [];
  try {
    if (!scenario) {
      log('no scenario: watching the traffic until Ctrl-C');
      await untilAborted(io.signal);
    } else {
      log(`waiting for a client to play ${options.scenarioName ?? 'the scenario'}`);
      const connected = await Promise.race([
        simulator.waitForConnection().then(() => true),
        untilAborted(io.signal).then(() => false),
      ]);
      if (!connected) {
        problems.push('no client connected before Ctrl-C');
      } else {
        const onStep = (step: ScenarioStepResult): void => {
          log(`step ${step.index + 1} ${step.passed ? 'passed' : 'FAILED'}: ${step.description}`);
          if (!step.passed) transcript.note(`✗ step ${step.index + 1} (${step.description}): ${step.problem ?? 'failed'}`);
        };
        const result = await Promise.race([
          runScenario(simulator, scenario, { onStep }),
          untilAborted(io.signal).then(() => undefined),
        ]);
        if (!result) problems.push('stopped by Ctrl-C before the scenario ended');
        else {
          for (const step of result.steps) {
            if (!step.passed) problems.push(`step ${step.index + 1} (${step.description}): ${step.problem ?? 'failed'}`);
          }
          if (result.skipped > 0) problems.push(`${result.skipped} later step(s) not run`);
        }
      }
    }
  } finally {
    await simulator.close();
  }
  const summary = summarise({ report: simulator.report(), traffic, problems, scriptName: 'scenario' });
  transcript.summary(summary.lines, summary.data);
  return summary.passed ? 0 : 1;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
