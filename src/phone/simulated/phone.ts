/**
 * SimulatedPhone: an in-memory Phone with scriptable far ends. It is the demo's phone and the
 * tests' phone: inbound calls ring on demand, dials follow a dial plan, transfers and conferences
 * follow their plans, and faults can be injected per operation.
 */
import { LEG_ID_PATTERN, type LegListener, type LegOperationName, type Party, type Phone } from '../types.js';
import { tellListeners } from '../tell-listeners.js';
import { SimulatedLeg, type LegHost } from './leg.js';
import { DEFAULT_HISTORY, type Cancel, type ResolvedOptions, type Schedule, type SimulatedPhoneOptions } from './options.js';
import { dialReaction } from './plans.js';
import { abortableWait, microtaskSchedule, wallClockSchedule } from './timer.js';

/** A history bound as given: a whole number ≥ 0, or Infinity to keep everything. */
function keep(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value === Infinity || (Number.isInteger(value) && value >= 0)) return value;
  throw new RangeError(`SimulatedPhone: history bounds are whole numbers ≥ 0 or Infinity, not ${String(value)}`);
}

function resolveOptions(options: SimulatedPhoneOptions): ResolvedOptions {
  const latency = options.latencyMs ?? 0;
  return {
    latencyMs: typeof latency === 'function' ? latency : () => latency,
    dtmfMsPerDigit: options.dtmfMsPerDigit ?? 0,
    dialPlan: options.dialPlan ?? (() => 'answer'),
    transferPlan: options.transferPlan ?? (() => 'succeed'),
    conferencePlan: options.conferencePlan ?? (() => 'join'),
    faultPlan: options.faultPlan ?? (() => undefined),
    omitOperations: new Set<LegOperationName>(options.omitOperations ?? []),
    onListenerError: options.onListenerError ?? (() => {}),
    history: { calls: keep(options.history?.calls, DEFAULT_HISTORY.calls), tones: keep(options.history?.tones, DEFAULT_HISTORY.tones) },
  };
}

function ignoreError(): void {}

/**
 * An in-memory phone for tests, the demo and the examples: `ring()` makes an inbound call, `dial`
 * an outbound one; it keeps the adapter contract (the conformance kit checks it).
 * @example
 *   const leg = new SimulatedPhone().ring({ number: '+15551230001' }, { id: 'leg-1' });
 */
export class SimulatedPhone implements Phone {
  private readonly options: ResolvedOptions;
  private readonly schedule: Schedule;
  /** A caller's own schedule (a test clock) keeps zero latencies too; the wall clock uses a microtask. */
  private readonly immediate: Schedule;
  private readonly timers = new Set<Cancel>();
  private readonly live = new Map<string, SimulatedLeg>();
  private listeners: LegListener[] = [];
  private readonly idPrefix: string;
  private nextNumber = 1;
  private closed = false;
  private readonly host: LegHost;

  constructor(options: SimulatedPhoneOptions = {}) {
    this.options = resolveOptions(options);
    this.schedule = options.schedule ?? wallClockSchedule;
    this.immediate = options.schedule ?? microtaskSchedule;
    this.idPrefix = options.idPrefix ?? 'sim-';
    if (this.idPrefix !== '' && !LEG_ID_PATTERN.test(this.idPrefix)) {
      throw new RangeError('SimulatedPhone: idPrefix may hold only A-Z, a-z, 0-9, _ and -');
    }
    this.host = {
      options: this.options,
      schedule: this.schedule,
      immediate: this.immediate,
      timers: this.timers,
      forget: (leg) => {
        if (this.live.get(leg.id) === leg) this.live.delete(leg.id);
      },
    };
  }

  /** An inbound call from `caller` starts ringing; listeners of onLeg hear of it at once. */
  ring(caller: Party, options: { id?: string } = {}): SimulatedLeg {
    if (this.closed) throw new Error('SimulatedPhone: ring: the phone is closed');
    const leg = new SimulatedLeg(this.takeId(options.id), 'RINGING', [caller], this.host);
    this.announce(leg);
    return leg;
  }

  /**
   * Places an outbound call: after the latency the leg exists (DIALING, listing the dialled
   * number) and the promise resolves to it; the far end then reacts as the dial plan says.
   */
  async dial(destination: string, signal: AbortSignal): Promise<SimulatedLeg> {
    if (this.closed) throw new Error('SimulatedPhone: dial: the phone is closed');
    const ms = this.options.latencyMs('dial');
    await abortableWait(ms === 0 ? this.immediate : this.schedule, ms, signal, 'dial', this.timers);
    if (this.closed) throw new Error('SimulatedPhone: dial: the phone closed while dialling');
    const reaction = dialReaction(this.options.dialPlan(destination));
    const party: Party = reaction.name === undefined ? { number: destination } : { number: destination, name: reaction.name };
    const leg = new SimulatedLeg(this.takeId(undefined), 'DIALING', [party], this.host);
    this.announce(leg);
    if (reaction.outcome !== 'noAnswer') {
      leg.later(reaction.afterMs, () => {
        if (leg.call.state !== 'DIALING') return;
        if (reaction.outcome === 'answer') leg.far.answer();
        else if (reaction.outcome === 'busy') leg.far.busy();
        else leg.far.fail(reaction.reason);
      });
    }
    return leg;
  }

  leg(id: string): SimulatedLeg | undefined {
    return this.live.get(id);
  }

  legs(): readonly SimulatedLeg[] {
    return [...this.live.values()];
  }

  onLeg(listener: LegListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((candidate) => candidate !== listener);
    };
  }

  /** Ends every call (reason 'the phone closed'), frees every leg and cancels pending timers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const cancel of [...this.timers]) cancel();
    this.timers.clear();
    for (const leg of [...this.live.values()]) {
      if (leg.call.state !== 'RELEASED') leg.deliver({ type: 'ended', reason: 'the phone closed' });
      leg.detach();
    }
    this.listeners = [];
  }

  private takeId(requested: string | undefined): string {
    if (requested !== undefined) {
      if (!LEG_ID_PATTERN.test(requested)) {
        throw new RangeError('SimulatedPhone: a leg id must match ^[A-Za-z0-9_-]{1,128}$');
      }
      if (this.live.has(requested)) throw new RangeError('SimulatedPhone: that leg id is already in use');
      return requested;
    }
    let id: string;
    do {
      id = `${this.idPrefix}${this.nextNumber++}`;
    } while (this.live.has(id));
    if (!LEG_ID_PATTERN.test(id)) throw new RangeError('SimulatedPhone: idPrefix is too long for a leg id');
    return id;
  }

  private announce(leg: SimulatedLeg): void {
    this.live.set(leg.id, leg);
    // One listener's failure must not keep the leg from the others.
    tellListeners(this.listeners, leg, ignoreError);
  }
}
