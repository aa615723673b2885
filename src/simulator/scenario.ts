/**
 * Scenario files for the bridge simulator (JSON or YAML): which requests to send to which target,
 * when, and what to expect back. Example (YAML):
 *
 *   name: inbound call answered
 *   targetPrefix: PB1.AGENT.1001.TEL.I-1     # a step's `on: leg-1` means PB1.AGENT.1001.TEL.I-1.leg-1
 *   steps:
 *     - init: leg-1
 *       expect: { result: SUCCESS, state: RINGING }
 *     - await: ringing                        # the next `conversation.ringing` on that target
 *       on: leg-1
 *     - request: answer
 *       on: leg-1
 *       expect: { result: SUCCESS }
 *     - expectEvents: [ringing, started, partyadded, talking]
 *       on: leg-1
 *     - wait: 100                             # milliseconds
 *     - dropConnection: true                  # the bridge drops the client and waits for it to return
 */
import { readFile } from 'node:fs/promises';
import { EVENT_NAMES, REQUEST_NAMES } from '../../generated/catalogue.js';
import { buildInboundMessage } from '../../generated/builders.js';
import { validateInbound } from '../../generated/validators.js';
import type { CallState } from '../phone/types.js';

/** What a step expects of its response; every key is optional. */
export interface ResponseExpectation {
  readonly result?: 'SUCCESS' | 'FAILURE';
  /** A piece of text the errorMessage must contain. */
  readonly errorMessage?: string;
  /** The init response's conversation-state. */
  readonly state?: CallState;
  /** Keys the response body must have, with these values (deep equality per key). */
  readonly body?: Record<string, unknown>;
}

/** One step: init, request, await an event, expect events, wait, or drop the connection. */
export type ScenarioStep =
  | { readonly init: string; readonly requestId?: string; readonly expect?: ResponseExpectation }
  | {
      readonly request: string;
      readonly on: string;
      readonly body?: Record<string, unknown>;
      readonly requestId?: string;
      readonly expect?: ResponseExpectation;
    }
  | { readonly await: string; readonly on: string }
  | { readonly expectEvents: readonly string[]; readonly on: string }
  | { readonly wait: number }
  | { readonly dropConnection: true };

/**
 * A scenario file, checked: the steps the bridge simulator plays (see examples/scenario.yaml).
 */
export interface Scenario {
  readonly name?: string;
  readonly description?: string;
  /** Prepended (with a dot) to a step's `on` or `init` when that holds no dot; default PB1.AGENT.1001.TEL.I-1. */
  readonly targetPrefix?: string;
  /** How long a response may take; default 10 s. */
  readonly responseTimeoutMs?: number;
  /** How long an awaited event may take; default 10 s. */
  readonly eventTimeoutMs?: number;
  readonly steps: readonly ScenarioStep[];
}

/** What a step's `on: leg-1` is prefixed with when the scenario sets no targetPrefix. */
export const DEFAULT_TARGET_PREFIX = 'PB1.AGENT.1001.TEL.I-1';

/**
 * A scenario that cannot be used, with every problem found (each step problem names its line when
 * read from YAML).
 */
export class ScenarioError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: not a usable scenario:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

const STEP_KINDS = ['init', 'request', 'await', 'expectEvents', 'wait', 'dropConnection'] as const;
const STATES = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkExpectation(value: unknown, at: string, problems: string[]): void {
  if (value === undefined) return;
  if (!isRecord(value)) {
    problems.push(`${at}.expect must be an object`);
    return;
  }
  for (const key of Object.keys(value)) {
    if (!['result', 'errorMessage', 'state', 'body'].includes(key)) problems.push(`${at}.expect has an unknown key "${key}"`);
  }
  if (value['result'] !== undefined && value['result'] !== 'SUCCESS' && value['result'] !== 'FAILURE') {
    problems.push(`${at}.expect.result must be SUCCESS or FAILURE`);
  }
  if (value['errorMessage'] !== undefined && typeof value['errorMessage'] !== 'string') problems.push(`${at}.expect.errorMessage must be text`);
  if (value['state'] !== undefined && !STATES.includes(value['state'] as string)) {
    problems.push(`${at}.expect.state must be one of ${STATES.join(', ')}`);
  }
  if (value['body'] !== undefined && !isRecord(value['body'])) problems.push(`${at}.expect.body must be an object`);
}

function checkStep(step: unknown, at: string, problems: string[]): void {
  if (!isRecord(step)) {
    problems.push(`${at} must be an object`);
    return;
  }
  const kinds = STEP_KINDS.filter((k) => k in step);
  if (kinds.length !== 1) {
    problems.push(`${at} must have exactly one of ${STEP_KINDS.join(', ')} (it has ${kinds.length ? kinds.join(', ') : 'none'})`);
    return;
  }
  const kind = kinds[0]!;
  const allowed: Record<string, string[]> = {
    init: ['init', 'requestId', 'expect'],
    request: ['request', 'on', 'body', 'requestId', 'expect'],
    await: ['await', 'on'],
    expectEvents: ['expectEvents', 'on'],
    wait: ['wait'],
    dropConnection: ['dropConnection'],
  };
  for (const key of Object.keys(step)) {
    if (!allowed[kind]!.includes(key)) problems.push(`${at} (${kind}) has an unknown key "${key}"`);
  }
  const needsText = (key: string, what: string) => {
    if (typeof step[key] !== 'string' || step[key] === '') problems.push(`${at}.${key} must be ${what}`);
  };
  if (kind === 'init') needsText('init', 'a leg id or a target');
  if (kind === 'request') needsText('request', 'a request name (hold, or conversation.request.hold)');
  if (kind === 'await') needsText('await', 'an event name (talking, or conversation.talking)');
  if (kind === 'request' || kind === 'await' || kind === 'expectEvents') needsText('on', 'a leg id or a target');
  if (step['requestId'] !== undefined) needsText('requestId', 'text');
  if (kind === 'request' && step['body'] !== undefined && !isRecord(step['body'])) problems.push(`${at}.body must be an object`);
  if (kind === 'expectEvents' && (!Array.isArray(step['expectEvents']) || step['expectEvents'].some((n) => typeof n !== 'string'))) {
    problems.push(`${at}.expectEvents must be a list of event names`);
  }
  checkAgainstCatalogue(step, kind, at, problems);
  if (kind === 'wait' && (typeof step['wait'] !== 'number' || !(step['wait'] >= 0))) problems.push(`${at}.wait must be a number of milliseconds`);
  if (kind === 'dropConnection' && step['dropConnection'] !== true) problems.push(`${at}.dropConnection must be true`);
  checkExpectation(step['expect'], at, problems);
}

const shortNames = (names: readonly string[], prefix: RegExp) => names.map((name) => name.replace(prefix, ''));

/**
 * Request and event names, and a request's body, as the catalogue has them: a typo such as
 * `request: hodl` is an error before anything is sent, not a request the client answers FAILURE.
 * Bodies are checked only when the step does not expect a FAILURE (a scenario may send a bad body
 * on purpose to see it refused).
 */
function checkAgainstCatalogue(step: Record<string, unknown>, kind: string, at: string, problems: string[]): void {
  if (kind === 'request' && typeof step['request'] === 'string' && step['request'] !== '') {
    const given = step['request'];
    const full = given.includes('.') ? given : `conversation.request.${given}`;
    if (!(REQUEST_NAMES as readonly string[]).includes(full)) {
      problems.push(`${at}.request "${given.slice(0, 64)}" is not a request of the catalogue (${shortNames(REQUEST_NAMES, /^conversation\.request\./).join(', ')})`);
    } else if ((step['expect'] as { result?: unknown } | undefined)?.result !== 'FAILURE') {
      const built = buildInboundMessage(full as (typeof REQUEST_NAMES)[number], 'T.leg', 'r', {} as never);
      const checked = validateInbound({ header: built.header, body: isRecord(step['body']) ? step['body'] : {} });
      if (!checked.ok) for (const error of checked.errors) problems.push(`${at}.${error.path} ${error.message}`);
    }
  }
  const events = kind === 'await' ? [step['await']] : kind === 'expectEvents' && Array.isArray(step['expectEvents']) ? step['expectEvents'] : [];
  for (const name of events) {
    if (typeof name !== 'string' || name === '') continue;
    const full = name.startsWith('conversation.') ? name : `conversation.${name}`;
    if (!(EVENT_NAMES as readonly string[]).includes(full)) {
      problems.push(`${at}.${kind} "${name.slice(0, 64)}" is not an event of the catalogue (${shortNames(EVENT_NAMES, /^conversation\./).join(', ')})`);
    }
  }
}

/**
 * Checks a parsed value; throws ScenarioError listing every problem. `lineOf(i)`, when given, says
 * on which line of the file step i starts, and each step's problem is prefixed with it.
 */
export function toScenario(value: unknown, source = 'scenario', lineOf?: (step: number) => number | undefined): Scenario {
  const problems: string[] = [];
  if (!isRecord(value)) throw new ScenarioError(source, ['the top level must be an object with a "steps" list']);
  for (const key of Object.keys(value)) {
    if (!['name', 'description', 'targetPrefix', 'responseTimeoutMs', 'eventTimeoutMs', 'steps'].includes(key)) {
      problems.push(`unknown top-level key "${key}"`);
    }
  }
  for (const key of ['name', 'description', 'targetPrefix']) {
    if (value[key] !== undefined && typeof value[key] !== 'string') problems.push(`${key} must be text`);
  }
  for (const key of ['responseTimeoutMs', 'eventTimeoutMs']) {
    if (value[key] !== undefined && (typeof value[key] !== 'number' || !((value[key] as number) > 0))) {
      problems.push(`${key} must be a positive number of milliseconds`);
    }
  }
  if (!Array.isArray(value['steps']) || value['steps'].length === 0) problems.push('"steps" must be a non-empty list');
  else
    value['steps'].forEach((step, i) => {
      const line = lineOf?.(i);
      checkStep(step, line === undefined ? `steps[${i}]` : `line ${line}: steps[${i}]`, problems);
    });
  if (problems.length) throw new ScenarioError(source, problems);
  return value as unknown as Scenario;
}

/** Parses scenario text; `format` defaults to JSON when the text starts with `{`, else YAML. */
export async function parseScenario(text: string, source = 'scenario', format?: 'json' | 'yaml'): Promise<Scenario> {
  const asJson = format ? format === 'json' : text.trimStart().startsWith('{');
  let value: unknown;
  let lineOf: ((step: number) => number | undefined) | undefined;
  try {
    if (asJson) value = JSON.parse(text);
    else {
      // yaml is loaded only when a YAML scenario is read.
      const yaml = await import('yaml');
      const lines = new yaml.LineCounter();
      const document = yaml.parseDocument(text, { lineCounter: lines });
      if (document.errors.length > 0) throw document.errors[0];
      value = document.toJS();
      lineOf = (step) => {
        const node = document.getIn(['steps', step], true) as { range?: [number, number, number] } | undefined;
        return node?.range ? lines.linePos(node.range[0]).line : undefined;
      };
    }
  } catch (error) {
    throw new ScenarioError(source, [`cannot be read as ${asJson ? 'JSON' : 'YAML'}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`]);
  }
  return toScenario(value, source, lineOf);
}

/** Reads a scenario file: `.json` as JSON, `.yaml`/`.yml` as YAML, otherwise by its first character. */
export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ScenarioError(path, [`cannot be read: ${error instanceof Error ? error.message : String(error)}`]);
  }
  const lower = path.toLowerCase();
  const format = lower.endsWith('.json') ? 'json' : lower.endsWith('.yaml') || lower.endsWith('.yml') ? 'yaml' : undefined;
  return parseScenario(text, path, format);
}

/** The full target for a step's `on`/`init` value. */
export function resolveTarget(scenario: Pick<Scenario, 'targetPrefix'>, on: string): string {
  return on.includes('.') ? on : `${scenario.targetPrefix ?? DEFAULT_TARGET_PREFIX}.${on}`;
}
