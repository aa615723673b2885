/**
 * Plays a scenario against whichever client is connected to a bridge simulator, step by step,
 * and returns what happened with the simulator's conformance report. Stops at the first step that
 * fails (later steps would only fail for the same reason).
 */
import { isDeepStrictEqual } from 'node:util';
import type { BridgeSimulator, WireMessage } from './create-bridge-simulator.js';
import type { ConformanceReport } from './report.js';
import { resolveTarget, type ResponseExpectation, type Scenario, type ScenarioStep } from './scenario.js';

/** One step's outcome: passed or not, and why. */
export interface ScenarioStepResult {
  readonly index: number;
  /** What the step did, for a person: `request hold on PB1….leg-1`. */
  readonly description: string;
  readonly passed: boolean;
  readonly problem?: string;
  readonly response?: WireMessage;
}

/** A scenario run's outcome: each step's result and whether all passed. */
export interface ScenarioResult {
  readonly name: string;
  /** Every step passed and the conformance report passed. */
  readonly passed: boolean;
  readonly steps: readonly ScenarioStepResult[];
  /** Steps not run because an earlier one failed. */
  readonly skipped: number;
  readonly report: ConformanceReport;
}

/** runScenario's options: a hook per finished step. */
export interface RunScenarioOptions {
  /** Called after each step (the CLI prints progress). */
  readonly onStep?: (result: ScenarioStepResult) => void;
}

class StepTimeout extends Error {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepTimeout(`${what} did not come within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function fullEventName(name: string): string {
  return name.startsWith('conversation.') ? name : `conversation.${name}`;
}

/** Differences between a response and what the step expected; empty when it matches. */
export function checkResponse(response: WireMessage, expect: ResponseExpectation | undefined): string[] {
  if (!expect) return [];
  const problems: string[] = [];
  const h = response.header;
  if (expect.result && h.result !== expect.result) {
    problems.push(`expected ${expect.result}, got ${String(h.result)}${h.errorMessage ? ` ("${h.errorMessage}")` : ''}`);
  }
  if (expect.errorMessage !== undefined && !String(h.errorMessage ?? '').includes(expect.errorMessage)) {
    problems.push(`expected an errorMessage containing "${expect.errorMessage}", got ${h.errorMessage === undefined ? 'none' : `"${h.errorMessage}"`}`);
  }
  const body = (response.body ?? {}) as Record<string, unknown>;
  if (expect.state && body['conversation-state'] !== expect.state) {
    problems.push(`expected conversation-state ${expect.state}, got ${String(body['conversation-state'])}`);
  }
  for (const [key, value] of Object.entries(expect.body ?? {})) {
    if (!isDeepStrictEqual(body[key], value)) problems.push(`expected body.${key} = ${JSON.stringify(value)}, got ${JSON.stringify(body[key])}`);
  }
  return problems;
}

/**
 * Plays a scenario's steps against the client connected to the simulator, in order; never throws
 * for a failed step (it is in the result).
 */
export async function runScenario(
  simulator: BridgeSimulator,
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const responseTimeoutMs = scenario.responseTimeoutMs ?? 10_000;
  const eventTimeoutMs = scenario.eventTimeoutMs ?? 10_000;
  /** Per target, the index after the last awaited event: `await` looks from there on. */
  const cursors = new Map<string, number>();
  const results: ScenarioStepResult[] = [];

  await simulator.waitForConnection();

  const runStep = async (step: ScenarioStep, index: number): Promise<ScenarioStepResult> => {
    const result = (description: string, problems: string[], response?: WireMessage): ScenarioStepResult => ({
      index,
      description,
      passed: problems.length === 0,
      ...(problems.length > 0 && { problem: problems.join('; ') }),
      ...(response && { response }),
    });
    if ('init' in step) {
      const target = resolveTarget(scenario, step.init);
      const response = await within(simulator.init(target, { ...(step.requestId && { requestId: step.requestId }) }), responseTimeoutMs, `the init response on ${target}`);
      return result(`init ${target}`, checkResponse(response, step.expect), response);
    }
    if ('request' in step) {
      const target = resolveTarget(scenario, step.on);
      const response = await within(
        simulator.request(target, step.request, step.body ?? {}, { ...(step.requestId && { requestId: step.requestId }) }),
        responseTimeoutMs,
        `the response to ${step.request} on ${target}`,
      );
      return result(`request ${step.request} on ${target}`, checkResponse(response, step.expect), response);
    }
    if ('await' in step) {
      const target = resolveTarget(scenario, step.on);
      const name = fullEventName(step.await);
      const from = cursors.get(target) ?? 0;
      const event = await within(simulator.waitForEvent(target, name, from), eventTimeoutMs, `the event ${name} on ${target}`);
      cursors.set(target, simulator.events(target).indexOf(event) + 1);
      return result(`await ${name} on ${target}`, []);
    }
    if ('expectEvents' in step) {
      const target = resolveTarget(scenario, step.on);
      const want = step.expectEvents.map(fullEventName);
      await within(simulator.waitForEvents(target, want.length), eventTimeoutMs, `${want.length} events on ${target}`);
      const have = simulator.events(target).map((e) => e.header.name);
      const problems = isDeepStrictEqual(have, want) ? [] : [`expected events [${want.join(', ')}], got [${have.join(', ')}]`];
      return result(`expect events on ${target}`, problems);
    }
    if ('wait' in step) {
      await new Promise((resolve) => setTimeout(resolve, step.wait));
      return result(`wait ${step.wait} ms`, []);
    }
    const before = simulator.connectionCount;
    await simulator.dropConnection();
    await within(simulator.waitForConnection(before + 1), responseTimeoutMs, 'the client reconnecting');
    return result('drop the connection and wait for the client to reconnect', []);
  };

  for (const [index, step] of scenario.steps.entries()) {
    let outcome: ScenarioStepResult;
    try {
      outcome = await runStep(step, index);
    } catch (error) {
      outcome = { index, description: Object.keys(step)[0] ?? 'step', passed: false, problem: error instanceof Error ? error.message : String(error) };
    }
    results.push(outcome);
    options.onStep?.(outcome);
    if (!outcome.passed) break;
  }
  const report = simulator.report();
  return {
    name: scenario.name ?? 'scenario',
    passed: results.length === scenario.steps.length && results.every((r) => r.passed) && report.passed,
    steps: results,
    skipped: scenario.steps.length - results.length,
    report,
  };
}
