/**
 * One simulated call leg. Operations act on the call's real state, emit the event they cause
 * before they resolve, take latency from the phone's timer and honour their AbortSignal.
 */
import type {
  LegOperationName,
  LegSnapshot,
  PhoneEvent,
  PhoneEventListener,
  TelephonyLeg,
  Party,
  CallState,
} from '../types.js';
import { tellListeners } from '../tell-listeners.js';
import { applyEvent, snapshotOf, type CallModel } from './call-model.js';
import { FarEnd } from './far-end.js';
import { latest, trimmed } from './history.js';
import type { Cancel, Fault, OperationCall, ResolvedOptions, Schedule } from './options.js';
import { abortableWait, hangUntilAborted } from './timer.js';
import { conferenceReaction, transferReaction } from './plans.js';

/** What a leg needs from its phone. */
export interface LegHost {
  readonly options: ResolvedOptions;
  readonly schedule: Schedule;
  /** Where a zero latency waits: a microtask on the wall clock, the caller's schedule otherwise. */
  readonly immediate: Schedule;
  /** Pending timers, cancelled when the phone closes. */
  readonly timers: Set<Cancel>;
  forget(leg: SimulatedLeg): void;
}

interface InjectedFault {
  readonly fault: Fault;
  remaining: number;
}

const CONNECTED: readonly CallState[] = ['TALKING', 'HELD'];

/**
 * A call leg of SimulatedPhone: keeps the adapter contract, with `far` to make the other end act
 * and faults to inject.
 */
export class SimulatedLeg implements TelephonyLeg {
  readonly far: FarEnd;
  /** The call itself; the far end and the operations change it, only through `deliver`. */
  readonly call: CallModel;
  /** The latest calls, up to twice the phone's `history.calls` between trims (see `trimmed`). */
  private recorded: OperationCall[] = [];
  private recordedCount = 0;
  private listeners: PhoneEventListener[] = [];
  private readonly faults = new Map<string, InjectedFault[]>();
  private disposedLeg = false;

  mute?: (signal: AbortSignal) => Promise<void>;
  unmute?: (signal: AbortSignal) => Promise<void>;
  transfer?: (destination: string, signal: AbortSignal) => Promise<void>;
  conference?: (destination: string, signal: AbortSignal) => Promise<void>;
  removeParty?: (number: string, signal: AbortSignal) => Promise<void>;
  sendDtmf?: (digits: string, signal: AbortSignal) => Promise<void>;

  constructor(
    readonly id: string,
    state: CallState,
    parties: readonly Party[],
    private readonly host: LegHost,
  ) {
    this.call = { state, parties: parties.map((party) => ({ ...party })), muted: false };
    this.far = new FarEnd(this, host.options.history.tones);
    const omit = host.options.omitOperations;
    if (!omit.has('mute')) this.mute = (signal) => this.doMute(signal);
    if (!omit.has('unmute')) this.unmute = (signal) => this.doUnmute(signal);
    if (!omit.has('transfer')) this.transfer = (destination, signal) => this.doTransfer(destination, signal);
    if (!omit.has('conference')) {
      this.conference = (destination, signal) => this.doConference(destination, signal);
    }
    if (!omit.has('removeParty')) this.removeParty = (number, signal) => this.doRemoveParty(number, signal);
    if (!omit.has('sendDtmf')) this.sendDtmf = (digits, signal) => this.doSendDtmf(digits, signal);
  }

  /**
   * The operations called on this leg, in order, with their string arguments: the latest
   * `history.calls` of them (SimulatedPhoneOptions; default 1,000).
   */
  get calls(): readonly OperationCall[] {
    return latest(this.recorded, this.host.options.history.calls);
  }

  /** How many operations were called on this leg, the ones `calls` no longer keeps included. */
  get operationCount(): number {
    return this.recordedCount;
  }

  /** Keeps a call (see `trimmed`). */
  private record(call: OperationCall): void {
    this.recordedCount += 1;
    this.recorded.push(call);
    this.recorded = trimmed(this.recorded, this.host.options.history.calls);
  }

  /** True once dispose() has freed the leg. */
  get disposed(): boolean {
    return this.disposedLeg;
  }

  snapshot(): LegSnapshot {
    return snapshotOf(this.call);
  }

  subscribe(listener: PhoneEventListener): () => void {
    if (this.disposedLeg) return () => {};
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  /** How many listeners are subscribed (tests check that unsubscribing and dispose work). */
  get listenerCount(): number {
    return this.listeners.length;
  }

  /**
   * Makes the next `times` (default 1; Infinity for always) calls of `operation` fail with
   * `fault`. Faults of one operation queue up in the order injected.
   */
  inject(operation: LegOperationName | 'dispose', fault: Fault, options: { times?: number } = {}): void {
    const times = options.times ?? 1;
    if (!(times > 0)) throw new RangeError('inject: times must be a positive number');
    const queue = this.faults.get(operation) ?? [];
    queue.push({ fault, remaining: times });
    this.faults.set(operation, queue);
  }

  /** Applies a phone event to the call and hands it to every listener. */
  deliver(event: PhoneEvent): void {
    applyEvent(this.call, event);
    tellListeners(this.listeners, event, this.listenerThrew);
  }

  /** A listener's failure is its own: the phone and the other listeners carry on. */
  private readonly listenerThrew = (error: unknown): void => {
    try {
      this.host.options.onListenerError(error, this.id);
    } catch {
      // Nor does a failing error hook stop delivery.
    }
  };

  answer(signal: AbortSignal): Promise<void> {
    return this.operate('answer', [], signal, 0, () => {
      if (this.call.state === 'RINGING') this.deliver({ type: 'talking' });
      else if (!CONNECTED.includes(this.call.state)) this.refuse('answer');
    });
  }

  release(signal: AbortSignal): Promise<void> {
    return this.operate('release', [], signal, 0, () => {
      if (this.call.state !== 'RELEASED') this.deliver({ type: 'ended', reason: 'released by the agent' });
    });
  }

  hold(signal: AbortSignal): Promise<void> {
    return this.operate('hold', [], signal, 0, () => {
      if (this.call.state === 'TALKING') this.deliver({ type: 'held' });
      else if (this.call.state !== 'HELD') this.refuse('hold');
    });
  }

  retrieve(signal: AbortSignal): Promise<void> {
    return this.operate('retrieve', [], signal, 0, () => {
      if (this.call.state === 'HELD') this.deliver({ type: 'talking' });
      else if (this.call.state !== 'TALKING') this.refuse('retrieve');
    });
  }

  dispose(): Promise<void> {
    this.record({ operation: 'dispose', args: [] });
    const fault = this.takeFault('dispose', []);
    if (fault === 'throw') throw new Error(`leg ${this.id}: simulated fault: dispose threw`);
    if (fault === 'hang') return new Promise<void>(() => {});
    if (fault === 'reject') return Promise.reject(new Error(`leg ${this.id}: simulated fault: dispose failed`));
    this.detach();
    return Promise.resolve();
  }

  /** Frees the leg without ending its call: listeners go, the phone forgets it. */
  detach(): void {
    if (this.disposedLeg) return;
    this.disposedLeg = true;
    this.listeners = [];
    this.host.forget(this);
  }

  private doMute(signal: AbortSignal): Promise<void> {
    return this.operate('mute', [], signal, 0, () => {
      if (!CONNECTED.includes(this.call.state)) this.refuse('mute');
      if (!this.call.muted) this.deliver({ type: 'muted' });
    });
  }

  private doUnmute(signal: AbortSignal): Promise<void> {
    return this.operate('unmute', [], signal, 0, () => {
      if (!CONNECTED.includes(this.call.state)) this.refuse('unmute');
      if (this.call.muted) this.deliver({ type: 'unmuted' });
    });
  }

  private doTransfer(destination: string, signal: AbortSignal): Promise<void> {
    return this.operate('transfer', [destination], signal, 0, () => {
      if (!CONNECTED.includes(this.call.state)) this.refuse('transfer');
      const reaction = transferReaction(this.host.options.transferPlan(destination));
      this.later(reaction.afterMs, () => {
        if (!CONNECTED.includes(this.call.state)) return;
        if (reaction.succeed) this.deliver({ type: 'ended', reason: 'transferred' });
        else this.deliver({ type: 'transferFailed', reason: reaction.reason });
      });
    });
  }

  private doConference(destination: string, signal: AbortSignal): Promise<void> {
    return this.operate('conference', [destination], signal, 0, () => {
      if (!CONNECTED.includes(this.call.state)) this.refuse('conference');
      const reaction = conferenceReaction(this.host.options.conferencePlan(destination));
      this.later(reaction.afterMs, () => {
        if (!CONNECTED.includes(this.call.state)) return;
        if (!reaction.join) {
          this.deliver({ type: 'conferenceFailed', reason: reaction.reason });
        } else if (!this.call.parties.some((party) => party.number === destination)) {
          const party: Party = reaction.name === undefined ? { number: destination } : { number: destination, name: reaction.name };
          this.deliver({ type: 'partyAdded', party });
        }
      });
    });
  }

  private doRemoveParty(number: string, signal: AbortSignal): Promise<void> {
    return this.operate('removeParty', [number], signal, 0, () => {
      if (!CONNECTED.includes(this.call.state)) this.refuse('removeParty');
      const listed = this.call.parties.some((party) => party.number === number);
      if (!listed) throw new Error(`leg ${this.id}: removeParty: that number is not a party of the call`);
      if (this.call.parties.length === 1) {
        throw new Error(`leg ${this.id}: removeParty: the only party cannot be removed; release the call`);
      }
      this.deliver({ type: 'partyRemoved', number });
    });
  }

  private doSendDtmf(digits: string, signal: AbortSignal): Promise<void> {
    const toneMs = digits.length * this.host.options.dtmfMsPerDigit;
    return this.operate(
      'sendDtmf',
      [digits],
      signal,
      toneMs,
      () => {
        this.far.hear(digits);
      },
      () => {
        if (this.call.state !== 'TALKING') this.refuse('sendDtmf');
      },
    );
  }

  /**
   * The common path of every operation: record the call, apply an injected fault, wait the
   * latency (abortable), then act on the real state. `act` throwing rejects the operation.
   * `precheck` runs before the wait, for operations that must refuse at once.
   */
  private operate(
    operation: LegOperationName,
    args: readonly string[],
    signal: AbortSignal,
    extraMs: number,
    act: () => void,
    precheck?: () => void,
  ): Promise<void> {
    this.record({ operation, args });
    const fault = this.takeFault(operation, args);
    if (fault === 'throw') throw new Error(`leg ${this.id}: simulated fault: ${operation} threw`);
    if (this.disposedLeg) return Promise.reject(new Error(`leg ${this.id}: ${operation}: the leg was disposed`));
    if (fault === 'hang') return hangUntilAborted(signal, operation);
    try {
      precheck?.();
    } catch (error) {
      return Promise.reject(error);
    }
    const ms = this.host.options.latencyMs(operation) + extraMs;
    const schedule = ms === 0 ? this.host.immediate : this.host.schedule;
    return abortableWait(schedule, ms, signal, operation, this.host.timers).then(() => {
      if (fault === 'reject') throw new Error(`leg ${this.id}: simulated fault: ${operation} failed`);
      act();
    });
  }

  private takeFault(operation: LegOperationName | 'dispose', args: readonly string[]): Fault | undefined {
    const queue = this.faults.get(operation);
    const head = queue?.[0];
    if (queue && head) {
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return head.fault;
    }
    return this.host.options.faultPlan({ legId: this.id, operation, args });
  }

  private refuse(operation: string): never {
    throw new Error(`leg ${this.id}: ${operation}: not possible while the call is ${this.call.state}`);
  }

  /** Runs a far-end reaction later on the phone's timer (cancelled if the phone closes). */
  later(ms: number, fn: () => void): void {
    const cancel = this.host.schedule(() => {
      this.host.timers.delete(cancel);
      fn();
    }, ms);
    this.host.timers.add(cancel);
  }
}
