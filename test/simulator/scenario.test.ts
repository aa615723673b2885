/** Scenario files: reading them (clear errors for bad ones) and playing them against a real client. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadScenario, parseScenario, runScenario, ScenarioError, toScenario } from '../../src/simulator/index.js';
import { startRig, type Rig } from '../client/helpers/call-rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

const yamlScenario = `
name: answered and dropped
targetPrefix: PB1.AGENT.1001.TEL.I-9
steps:
  - init: leg-1
    expect: { result: SUCCESS, state: RINGING, body: { parties: [{ number: "+15551230001" }] } }
  - await: ringing
    on: leg-1
  - request: answer
    on: leg-1
    expect: { result: SUCCESS }
  - expectEvents: [ringing, started, partyadded, talking]
    on: leg-1
  - dropConnection: true
  - init: leg-1
    expect: { state: TALKING }
  - request: senddtmf
    on: leg-1
    body: { digits: "12a" }
    expect: { result: FAILURE, errorMessage: "digits may hold only" }
  - request: hold
    on: PB1.AGENT.1001.TEL.I-9.nope
    expect: { result: FAILURE, errorMessage: unknown leg }
  - request: release
    on: leg-1
  - await: ended
    on: leg-1
  - wait: 1
`;

describe('reading scenarios', () => {
  it('reads YAML and JSON alike', async () => {
    const fromYaml = await parseScenario(yamlScenario);
    expect(fromYaml.steps).toHaveLength(11);
    const fromJson = await parseScenario(JSON.stringify(fromYaml));
    expect(fromJson).toEqual(fromYaml);
  });

  it('lists every problem of a bad scenario with where it is', () => {
    const bad = {
      name: 3,
      extra: true,
      steps: [
        { init: 'leg-1', request: 'hold' },
        { request: 'hold' },
        { await: '', on: 'leg-1' },
        { expectEvents: 'talking', on: 'leg-1' },
        { wait: -1 },
        { init: 'leg-1', expect: { result: 'MAYBE', state: 'SLEEPING', colour: 'red' } },
        'hold',
      ],
    };
    let error: ScenarioError | undefined;
    try {
      toScenario(bad, 'bad.yaml');
    } catch (e) {
      error = e as ScenarioError;
    }
    expect(error).toBeInstanceOf(ScenarioError);
    expect(error!.problems).toEqual([
      'unknown top-level key "extra"',
      'name must be text',
      'steps[0] must have exactly one of init, request, await, expectEvents, wait, dropConnection (it has init, request)',
      'steps[1].on must be a leg id or a target',
      'steps[2].await must be an event name (talking, or conversation.talking)',
      'steps[3].expectEvents must be a list of event names',
      'steps[4].wait must be a number of milliseconds',
      'steps[5].expect has an unknown key "colour"',
      'steps[5].expect.result must be SUCCESS or FAILURE',
      'steps[5].expect.state must be one of RINGING, DIALING, TALKING, HELD, RELEASED',
      'steps[6] must be an object',
    ]);
    expect(error!.message).toMatch(/^bad\.yaml: not a usable scenario:\n {2}- unknown top-level key "extra"/);
  });

  it('reports a file it cannot read or parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cti-scenario-'));
    try {
      const broken = join(dir, 'broken.json');
      writeFileSync(broken, '{ "steps": [');
      await expect(loadScenario(broken)).rejects.toThrow(/broken\.json: not a usable scenario:\n {2}- cannot be read as JSON/);
      await expect(loadScenario(join(dir, 'missing.yaml'))).rejects.toThrow(/missing\.yaml: not a usable scenario:\n {2}- cannot be read: ENOENT/);
      const good = join(dir, 'good.yml');
      writeFileSync(good, yamlScenario);
      expect((await loadScenario(good)).name).toBe('answered and dropped');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('playing a scenario against the bridge client', () => {
  it('passes every step and the conformance report', async () => {
    rig = await startRig();
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    const seen: number[] = [];
    const result = await runScenario(rig.sim, await parseScenario(yamlScenario), { onStep: (s) => seen.push(s.index) });
    expect(result.steps.filter((s) => !s.passed)).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.skipped).toBe(0);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(result.steps[4]!.description).toBe('drop the connection and wait for the client to reconnect');
    expect(result.report.counts.connections).toBe(2);
  });

  it('stops at the first step that does not go as expected and says why', async () => {
    rig = await startRig();
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    const scenario = await parseScenario(`
steps:
  - init: leg-1
    expect: { state: TALKING }
  - request: answer
    on: leg-1
`);
    const result = await runScenario(rig.sim, scenario);
    expect(result.passed).toBe(false);
    expect(result.skipped).toBe(1);
    expect(result.steps).toHaveLength(1);
    expect(result.steps[0]).toMatchObject({
      passed: false,
      description: 'init PB1.AGENT.1001.TEL.I-1.leg-1',
      problem: 'expected conversation-state TALKING, got RINGING',
    });
  });

  it('fails a step whose event does not come in time', async () => {
    rig = await startRig();
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    const scenario = await parseScenario(`
eventTimeoutMs: 1
steps:
  - init: leg-1
  - await: talking
    on: leg-1
`);
    const result = await runScenario(rig.sim, scenario);
    expect(result.passed).toBe(false);
    expect(result.steps[1]!.problem).toBe('the event conversation.talking on PB1.AGENT.1001.TEL.I-1.leg-1 did not come within 1 ms');
  });
});
