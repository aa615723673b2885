/**
 * Plays the day of calls (day.ts) through a running bridge simulator and a simulated phone whose
 * legs a bridge client serves. Each step is checked as it goes: a request's result, the events
 * the step must cause on the target, and, at every quiet moment (the step's response and events
 * are in), invariant 3 through the simulator's checkModel against the phone's own snapshot.
 * Anything that differs from the script is returned as a problem; nothing throws.
 */
import type { SimulatedLeg, SimulatedPhone } from '../../phone/simulated/index.js';
import type { BridgeSimulator, WireMessage } from '../../simulator/index.js';
import type { Transcript } from '../transcript.js';
import type { DemoCall, DemoFarAction, DemoStep } from './day.js';

export interface DayResult {
  readonly calls: number;
  readonly inbound: number;
  readonly outbound: number;
  /** Steps that did not go as scripted, as sentences. */
  readonly problems: readonly string[];
  /** How many quiet moments invariant 3 was checked at. */
  readonly modelChecks: number;
}

export interface PlayDayOptions {
  readonly simulator: BridgeSimulator;
  readonly phone: SimulatedPhone;
  readonly transcript: Transcript;
  readonly day: readonly DemoCall[];
  /** The target prefix; a call's target is `${prefix}.I-${n}.${legId}`. */
  readonly targetPrefix?: string;
  /** How long a step may wait for its response or events before it counts as a problem. */
  readonly stepTimeoutMs?: number;
}

export async function playDay(options: PlayDayOptions): Promise<DayResult> {
  const { simulator, phone, transcript, day } = options;
  const prefix = options.targetPrefix ?? 'PB1.S-1001.G-1.TEL';
  const stepTimeoutMs = options.stepTimeoutMs ?? 5_000;
  const problems: string[] = [];
  let modelChecks = 0;
  let inbound = 0;
  let outbound = 0;

  for (const [index, call] of day.entries()) {
    transcript.heading(`Call ${index + 1}: ${call.title}`);
    let leg: SimulatedLeg;
    try {
      if ('ring' in call.start) {
        inbound += 1;
        leg = phone.ring(call.start.ring, { id: call.start.legId });
        transcript.entry({ dir: 'far end', leg: leg.id, action: `${call.start.ring.name ?? call.start.ring.number} calls` });
      } else {
        outbound += 1;
        leg = await phone.dial(call.start.dial, AbortSignal.timeout(stepTimeoutMs));
        transcript.entry({ dir: 'agent', leg: leg.id, action: `dials ${call.start.dial}` });
      }
    } catch (error) {
      problems.push(`call ${index + 1}: could not start: ${messageOf(error)}`);
      continue;
    }
    const target = `${prefix}.I-${5500 + index + 1}.${leg.id}`;
    transcript.note(`target ${target}`);
    for (const [stepIndex, step] of call.steps.entries()) {
      const where = `call ${index + 1}, step ${stepIndex + 1} (${describeStep(step)})`;
      const before = simulator.events(target).length;
      try {
        await withTimeout(runStep(simulator, leg, target, step, transcript), stepTimeoutMs, 'no response');
      } catch (error) {
        problems.push(`${where}: ${messageOf(error)}`);
        transcript.note(`✗ ${where}: ${messageOf(error)}`);
        continue;
      }
      const expected = step.events ?? [];
      try {
        await withTimeout(simulator.waitForEvents(target, before + expected.length), stepTimeoutMs, 'events missing');
      } catch {
        // The comparison below says which.
      }
      const seen = simulator.eventNames(target).slice(before);
      if (seen.join(',') !== expected.join(',')) {
        const problem = `${where}: expected events [${expected.join(', ')}], the bridge saw [${seen.join(', ')}]`;
        problems.push(problem);
        transcript.note(`✗ ${problem}`);
      }
      if (!('bridge' in step && step.bridge === 'dispose')) {
        modelChecks += 1;
        for (const difference of simulator.checkModel(target, leg.snapshot())) {
          transcript.note(`✗ ${where}: ${difference}`);
        }
      }
    }
  }
  return { calls: day.length, inbound, outbound, problems, modelChecks };
}

async function runStep(
  simulator: BridgeSimulator,
  leg: SimulatedLeg,
  target: string,
  step: DemoStep,
  transcript: Transcript,
): Promise<void> {
  if ('far' in step) {
    transcript.entry({ dir: 'far end', leg: leg.id, action: describeFar(step) });
    runFar(leg, step);
    return;
  }
  let response: WireMessage;
  let expected: 'SUCCESS' | 'FAILURE' = 'SUCCESS';
  if (step.bridge === 'init') {
    response = await simulator.init(target);
  } else {
    expected = step.result ?? 'SUCCESS';
    response = await simulator.request(target, step.bridge, { ...step.body });
  }
  if (response.header.result !== expected) {
    throw new Error(`expected ${expected}, the client answered ${String(response.header.result)}`);
  }
}

function runFar(leg: SimulatedLeg, step: DemoFarAction): void {
  switch (step.far) {
    case 'answer':
      return leg.far.answer();
    case 'busy':
      return leg.far.busy();
    case 'fail':
      return leg.far.fail(step.reason);
    case 'hangUp':
      return leg.far.hangUp(step.reason);
    case 'join':
      return leg.far.join(step.party);
    case 'leave':
      return leg.far.leave(step.number);
  }
}

function describeFar(step: DemoFarAction): string {
  switch (step.far) {
    case 'answer':
      return 'answers';
    case 'busy':
      return 'is busy';
    case 'fail':
      return `fails: ${step.reason}`;
    case 'hangUp':
      return `hangs up${step.reason ? `: ${step.reason}` : ''}`;
    case 'join':
      return `${step.party.number} joins`;
    case 'leave':
      return `${step.number} leaves`;
  }
}

function describeStep(step: DemoStep): string {
  return 'far' in step ? `far end ${step.far}` : `bridge ${step.bridge}`;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
