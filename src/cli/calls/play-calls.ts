/**
 * Plays a calls file on a SimulatedPhone: inbound calls ring, outbound calls are dialled (in the
 * file's order), and each call's far end then does its actions one after another, each when its
 * trigger came (`on`: the leg reported that event; `afterMs`: that long after). A far-end action
 * that the call's state no longer allows is logged, never thrown.
 */
import type { PhoneEvent } from '../../phone/types.js';
import type { DialOutcome, SimulatedLeg, SimulatedPhone, SimulatedPhoneOptions } from '../../phone/simulated/index.js';
import type { CallsFile, CallSpec, FarAction } from './calls-file.js';

/** The phone options that make the file's outbound outcomes, transfers and conferences happen. */
export function phoneOptionsFor(file: CallsFile): SimulatedPhoneOptions {
  const dialOutcomes = new Map<string, DialOutcome[]>();
  for (const call of file.calls) {
    if (call.kind !== 'outbound') continue;
    const outcome: DialOutcome = {
      outcome: call.outcome,
      ...(call.reason !== undefined && { reason: call.reason }),
      ...(call.name !== undefined && { name: call.name }),
    };
    dialOutcomes.set(call.dial, [...(dialOutcomes.get(call.dial) ?? []), outcome]);
  }
  return {
    idPrefix: file.outboundIdPrefix,
    dialPlan: (destination) => dialOutcomes.get(destination)?.shift() ?? 'noAnswer',
    transferPlan: (destination) => file.transfers.get(destination) ?? 'succeed',
    conferencePlan: (destination) => file.conferences.get(destination) ?? 'join',
  };
}

export interface CallsPlayer {
  /** Resolves once every call rang or was dialled. */
  readonly started: Promise<void>;
  /** Stops every far end still waiting. */
  stop(): void;
}

export function playCalls(
  phone: SimulatedPhone,
  file: CallsFile,
  log: (line: string) => void,
): CallsPlayer {
  const abort = new AbortController();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const started = (async () => {
    for (const call of file.calls) {
      if (abort.signal.aborted) return;
      const leg = await startCall(phone, call, abort.signal, log);
      if (leg) void playFarEnd(leg, call.far, abort.signal, timers, log);
    }
  })();
  return {
    started,
    stop() {
      abort.abort();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}

async function startCall(
  phone: SimulatedPhone,
  call: CallSpec,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<SimulatedLeg | undefined> {
  try {
    if (call.kind === 'inbound') {
      return phone.ring(call.ring, { id: call.leg });
    }
    const leg = await phone.dial(call.dial, signal);
    log(`leg ${leg.id}: the far end ${describeOutcome(call.outcome)}`);
    if (call.leg !== undefined && call.leg !== leg.id) {
      log(`leg ${leg.id}: the calls file names this dialled leg ${call.leg}; the phone named it ${leg.id}`);
    }
    return leg;
  } catch (error) {
    log(`calls file: could not start a call: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

const OUTCOME_WORDS: Readonly<Record<string, string>> = {
  answer: 'will answer',
  busy: 'will be busy',
  fail: 'will fail',
  noAnswer: 'will wait (for the calls file\'s far-end actions, or a release)',
};

const DONE_WORDS: Readonly<Record<FarAction['do'], string>> = {
  answer: 'answered',
  busy: 'was busy',
  fail: 'failed',
  hangUp: 'hung up',
  join: 'added a party',
  leave: 'a party left',
};

function describeOutcome(outcome: string): string {
  return OUTCOME_WORDS[outcome] ?? outcome;
}

async function playFarEnd(
  leg: SimulatedLeg,
  actions: readonly FarAction[],
  signal: AbortSignal,
  timers: Set<ReturnType<typeof setTimeout>>,
  log: (line: string) => void,
): Promise<void> {
  // Events are recorded from the start, so an `on` trigger that came before its turn still counts.
  const seen: PhoneEvent['type'][] = [];
  let eventWaiter: (() => void) | undefined;
  let delayWaiter: (() => void) | undefined;
  const unsubscribe = leg.subscribe((event) => {
    seen.push(event.type);
    eventWaiter?.();
  });
  const wake = (): void => {
    eventWaiter?.();
    delayWaiter?.();
  };
  signal.addEventListener('abort', wake, { once: true });
  let consumed = 0;
  try {
    for (const action of actions) {
      if (action.on !== undefined) {
        const wanted = action.on;
        while (!seen.slice(consumed).includes(wanted)) {
          if (signal.aborted) return;
          await new Promise<void>((resolve) => {
            eventWaiter = resolve;
          });
        }
        consumed += seen.slice(consumed).indexOf(wanted) + 1;
      }
      if (action.afterMs !== undefined && action.afterMs > 0) {
        await new Promise<void>((resolve) => {
          delayWaiter = resolve;
          const timer = setTimeout(() => {
            timers.delete(timer);
            resolve();
          }, action.afterMs);
          timers.add(timer);
        });
      }
      if (signal.aborted) return;
      runFarAction(leg, action, log);
    }
  } finally {
    signal.removeEventListener('abort', wake);
    unsubscribe();
  }
}

function runFarAction(leg: SimulatedLeg, action: FarAction, log: (line: string) => void): void {
  try {
    switch (action.do) {
      case 'answer':
        leg.far.answer();
        break;
      case 'busy':
        leg.far.busy();
        break;
      case 'fail':
        leg.far.fail(action.reason);
        break;
      case 'hangUp':
        leg.far.hangUp(action.reason);
        break;
      case 'join':
        if (action.party) leg.far.join(action.party);
        break;
      case 'leave':
        if (action.number !== undefined) leg.far.leave(action.number);
        break;
    }
    log(`leg ${leg.id}: the far end ${DONE_WORDS[action.do]}`);
  } catch (error) {
    log(`leg ${leg.id}: the far end could not ${action.do}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
