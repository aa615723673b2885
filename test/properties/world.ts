/**
 * The world one property run acts on: a SimulatedPhone whose timers the fast-check scheduler
 * releases, a leg under test and a bystander leg, a destination over each on XState's simulated
 * clock, and recorders that hold each of the eight invariants of docs/contract.md as things happen. Each
 * violation is filed under its invariant's number; each property test asserts its own list.
 */
import type fc from 'fast-check';
import { SimulatedClock } from 'xstate';
import { validateOutbound } from '../../generated/validators.js';
import { createConversationDestination, type ConversationDestination } from '../../src/destination/index.js';
import { SimulatedPhone, type SimulatedLeg } from '../../src/phone/simulated/index.js';
import type { LegOperationName, PhoneEvent } from '../../src/phone/types.js';
import {
  applyPhoneEvent,
  foldBridgeView,
  operationAllowed,
  sameParties,
  viewOf,
  type CallView,
  type OperationName,
  type Sent,
} from './contract-model.js';

export type Outcome = 'resolve' | 'reject' | 'hang' | 'throw';
export type InitialCall = 'RINGING' | 'DIALING' | 'TALKING' | 'HELD' | 'TALKING muted' | 'HELD muted' | 'RELEASED';

export interface WorldSetup {
  readonly initial: InitialCall;
  /** Whether the destination is created with its target or adopts the first init's. */
  readonly withTarget: boolean;
  /** Whether the bridge's init query comes before everything else (as it usually does). */
  readonly initFirst: boolean;
  /** Drawn in turn (cyclically) for every operation the destination calls on the leg. */
  readonly outcomes: readonly Outcome[];
  readonly omit: readonly LegOperationName[];
  readonly transferSucceeds: boolean;
  readonly conferenceJoins: boolean;
  /** limits.preInitEvents; undefined keeps the destination's default. */
  readonly preInitLimit: number | undefined;
}

export const LEG_ID = 'leg-A';
export const TARGETS = [`PB1.S-1001.G-1.TEL.I-5521.${LEG_ID}`, `PB1.S-2002.G-1.TEL.I-7.${LEG_ID}`] as const;
export const CALLER = { number: '+15551230001', name: 'Pat Caller' };
export const OPERATION_TIMEOUT_MS = 1_000;
export const DTMF_MS_PER_DIGIT = 100;
/** Past every deadline: the longest is senddtmf's with 64 digits. */
const PAST_EVERY_DEADLINE = OPERATION_TIMEOUT_MS + 64 * DTMF_MS_PER_DIGIT + 1;

/** The destination's default bound of the pre-init queue (api.md leaves it to the code; 256). */
const DEFAULT_PRE_INIT_EVENTS = 256;
const ONE_SHOT: readonly string[] = ['busy', 'failed', 'transferFailed', 'conferenceFailed'];

/** 1 to 8: the invariants of docs/contract.md; 9: request rule 2 (a repeated requestId gets the same response). */
export type InvariantNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

/** The model of fast-check's model run: the destination as docs/contract.md says it must be. */
export interface ContractModel {
  /** The destination's model of the call: the phone events applied, in order, by the table. */
  view: CallView;
  /** No init response since creation or the last connection loss: phone events wait. */
  awaitingInit: boolean;
  /** Phone events waiting for the init response (applied right after it). */
  queued: PhoneEvent[];
  /** How many of them fill the pre-init queue (one-shots kept through an overflow do not). */
  queueFill: number;
  /** Fresh requestIds are derived from this counter. */
  nextRequest: number;
}

interface FrameRecord {
  readonly frame: unknown;
  readonly requestId: string;
  readonly name: string;
  readonly target: string;
  readonly epoch: number;
}

/** docs/contract.md "How a request is handled" step 1: which frames are owed a response. */
export function addressOf(frame: unknown): { requestId: string; name: string; target: string; parsed: unknown } | undefined {
  let value = frame;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const header = (value as { header?: unknown }).header;
  if (typeof header !== 'object' || header === null) return undefined;
  const { type, name, target, requestId } = header as Record<string, unknown>;
  if (typeof type !== 'string' || typeof name !== 'string' || typeof target !== 'string' || typeof requestId !== 'string') {
    return undefined;
  }
  if (type !== 'cti.query' && type !== 'cti.request') return undefined;
  return { requestId, name, target, parsed: value };
}

/** Lets every ready promise continuation run: one turn of the event loop, no clock involved. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class World {
  readonly clock = new SimulatedClock();
  readonly phone: SimulatedPhone;
  readonly leg: SimulatedLeg;
  readonly bystanderLeg: SimulatedLeg;
  readonly destination: ConversationDestination;
  readonly bystander: ConversationDestination;
  readonly model: ContractModel;
  readonly sent: Sent[] = [];
  readonly bystanderSent: Sent[] = [];
  readonly frames: FrameRecord[] = [];
  readonly violations = new Map<InvariantNumber, string[]>();
  /** Everything that happened, for a failing run's report. */
  readonly trace: string[] = [];
  private epoch = 0;
  private readonly answeredTargets = new Set<string>();
  private currentTarget: string | undefined;
  /** Invariant 4 holds per target: a move is a first init for the new target (docs/contract.md, "Contract lines pinned by tests", 2). */
  private readonly sentOnTarget = new Map<string, { started: boolean; ended: boolean }>();
  private disposeAnswered = false;
  private legDisposeCalls = 0;
  private dtmfAnswered = new Set<string>();
  private dtmfDigitsPromised = 0;
  private nextOutcome = 0;

  constructor(
    readonly setup: WorldSetup,
    readonly scheduler: fc.Scheduler,
    /** Invariant 7's runs: the host's send throws now and then and its diagnostics hook always. */
    readonly hostile = false,
  ) {
    this.phone = new SimulatedPhone({
      schedule: (fn, ms) => {
        let live = true;
        void scheduler.schedule(Promise.resolve(), `phone timer ${ms} ms`).then(() => live && fn());
        return () => {
          live = false;
        };
      },
      omitOperations: setup.omit,
      transferPlan: () => (setup.transferSucceeds ? 'succeed' : { outcome: 'fail', reason: 'no answer at 2099' }),
      conferencePlan: () => (setup.conferenceJoins ? { outcome: 'join', name: 'Supervisor' } : 'fail'),
      faultPlan: (call) => (call.legId === LEG_ID ? this.onLegCall(call.operation, call.args) : undefined),
      onListenerError: (error) => this.violate(7, `a phone event listener threw: ${String(error)}`),
    });
    this.leg = this.phone.ring(CALLER, { id: LEG_ID });
    this.bringTo(setup.initial);
    this.model = { view: viewOf(this.leg.snapshot()), awaitingInit: true, queued: [], queueFill: 0, nextRequest: 1 };
    // The model hears the phone exactly as the destination does: subscribed at the same moment.
    this.leg.subscribe((event) => this.onPhoneEvent(event));
    this.destination = createConversationDestination({
      leg: this.leg,
      send: (message) => {
        this.onSend(message as unknown as Sent);
        if (hostile && this.sent.length % 3 === 0) throw new Error('the host failed to send');
      },
      ...(setup.withTarget && { target: TARGETS[0] }),
      operationTimeoutMs: OPERATION_TIMEOUT_MS,
      dtmfMsPerDigit: DTMF_MS_PER_DIGIT,
      ...(setup.preInitLimit !== undefined && { limits: { preInitEvents: setup.preInitLimit } }),
      clock: this.clock,
      onDiagnostic: () => {
        if (hostile) throw new Error('the diagnostics hook failed');
      },
    });
    if (setup.initFirst) {
      this.receive(
        { header: { type: 'cti.query', name: 'conversation.query.init', target: TARGETS[0], requestId: 'r-0' }, body: {} },
        'init first',
      );
    }
    this.bystanderLeg = this.phone.ring({ number: '2999' }, { id: 'leg-B' });
    this.bystander = createConversationDestination({
      leg: this.bystanderLeg,
      send: (message) => this.bystanderSent.push(message as unknown as Sent),
      target: 'PB1.S-1001.G-1.TEL.I-5522.leg-B',
      operationTimeoutMs: OPERATION_TIMEOUT_MS,
      clock: this.clock,
    });
  }

  violate(invariant: InvariantNumber, message: string): void {
    const list = this.violations.get(invariant) ?? [];
    list.push(`${message} [after: ${this.trace.slice(-6).join(' | ')}]`);
    this.violations.set(invariant, list);
  }

  violationsOf(invariant: InvariantNumber): readonly string[] {
    return this.violations.get(invariant) ?? [];
  }

  /** The bridge sends a frame (invariant 7: receive never throws). */
  receive(frame: unknown, label: string): void {
    this.trace.push(label);
    const address = addressOf(frame);
    if (address) {
      const { parsed, ...rest } = address;
      this.frames.push({ frame: parsed, ...rest, epoch: this.epoch });
    }
    try {
      this.destination.receive(frame);
    } catch (error) {
      this.violate(7, `receive threw: ${String(error)}`);
    }
  }

  /** The bridge connection drops: responses owed so far are no longer owed, events queue again. */
  connectionLost(): void {
    this.trace.push('connection lost');
    this.epoch += 1;
    this.answeredTargets.clear();
    this.model.awaitingInit = true;
    try {
      this.destination.connectionLost();
    } catch (error) {
      this.violate(7, `connectionLost threw: ${String(error)}`);
    }
  }

  /** The far end (or an odd phone) reports `event`. */
  emit(event: PhoneEvent): void {
    this.trace.push(`phone ${JSON.stringify(event)}`);
    this.leg.far.emit(event);
  }

  /** Releases up to `count` pending phone timers, in the scheduler's order. */
  async releaseTimers(count: number): Promise<void> {
    this.trace.push(`release ${count} timers`);
    for (let released = 0; released < count && this.scheduler.count() > 0; released++) {
      await this.scheduler.waitNext(1);
      await settle();
    }
    await settle();
  }

  /** Moves the simulated clock (deadlines fire) and lets the answers out. */
  async advance(ms: number): Promise<void> {
    this.trace.push(`clock +${ms} ms`);
    this.clock.increment(ms);
    await settle();
  }

  /**
   * Runs until nothing can happen any more: every phone timer released, every deadline passed.
   * Then, initialized and not disposed, it is a quiet moment: invariant 3 holds or is violated.
   */
  async quiesce(): Promise<void> {
    this.trace.push('quiesce');
    let idleRounds = 0;
    for (let round = 0; round < 500 && idleRounds < 2; round++) {
      await settle();
      if (this.scheduler.count() > 0) {
        await this.scheduler.waitIdle();
        idleRounds = 0;
        continue;
      }
      const activity = this.sent.length + this.leg.operationCount + this.bystanderSent.length;
      this.clock.increment(PAST_EVERY_DEADLINE);
      await settle();
      const quiet = this.scheduler.count() === 0 && activity === this.sent.length + this.leg.operationCount + this.bystanderSent.length;
      idleRounds = quiet ? idleRounds + 1 : 0;
    }
    if (idleRounds < 2) this.violate(2, 'the destination never became quiet');
    this.checkQuietFold();
    this.checkResponseCounts();
  }

  /** Invariant 3 at a quiet moment: the bridge's fold of what it was sent equals the model. */
  private checkQuietFold(): void {
    if (this.model.awaitingInit || this.disposeAnswered || this.currentTarget === undefined) return;
    const target = this.currentTarget;
    const folded = foldBridgeView(this.sent.filter((message) => message.header.target === target));
    const model = this.model.view;
    if (!folded) {
      this.violate(3, 'initialized, yet the bridge holds no init response');
      return;
    }
    if (folded.state !== model.state) this.violate(3, `the bridge folds ${folded.state}, the model is ${model.state}`);
    if (!sameParties(folded.parties, model.parties)) {
      this.violate(3, `the bridge folds parties ${JSON.stringify(folded.parties)}, the model has ${JSON.stringify(model.parties)}`);
    }
    if (model.state === 'TALKING' && folded.muted !== model.muted) {
      this.violate(3, `the bridge folds muted=${folded.muted} while TALKING, the model has muted=${model.muted}`);
    }
  }

  /** The end of a run: quiet, then the checks that look at the whole run. */
  async finish(): Promise<void> {
    await this.quiesce();
    this.checkReplays();
    if (this.disposeAnswered && this.legDisposeCalls === 0) {
      this.violate(6, "dispose was answered but the leg's dispose() was never called");
    }
    await this.checkBystander();
  }

  /**
   * Invariant 2 at a quiet moment: at most one response per frame so far, and every frame of this
   * connection answered (a frame from before a connection loss is no longer owed).
   */
  private checkResponseCounts(): void {
    const responses = new Map<string, { total: number; lastEpoch: number }>();
    for (const message of this.sent) {
      if (message.header.type !== 'cti.response') continue;
      const id = message.header.requestId ?? '';
      const counts = responses.get(id) ?? { total: 0, lastEpoch: 0 };
      counts.total += 1;
      responses.set(id, counts);
    }
    const lastEpochResponses = new Map<string, number>();
    for (const [id, count] of this.responsesByEpoch) if (count.epoch === this.epoch) lastEpochResponses.set(id, count.count);
    const frames = new Map<string, { total: number; lastEpoch: number }>();
    for (const frame of this.frames) {
      const counts = frames.get(frame.requestId) ?? { total: 0, lastEpoch: 0 };
      counts.total += 1;
      if (frame.epoch === this.epoch) counts.lastEpoch += 1;
      frames.set(frame.requestId, counts);
    }
    for (const [id, counts] of responses) {
      const received = frames.get(id)?.total ?? 0;
      if (counts.total > received) this.violate(2, `${counts.total} responses to ${received} frames with requestId ${id}`);
    }
    for (const [id, counts] of frames) {
      const answered = lastEpochResponses.get(id) ?? 0;
      if (answered < counts.lastEpoch) {
        this.violate(2, `${counts.lastEpoch} frames with requestId ${id} on this connection got ${answered} responses`);
      }
    }
  }

  /**
   * Rule 2 of "How a request is handled": a requestId already answered gets that same response
   * again. The init query is exempt, "not initialized" answers are not remembered, and a "moved"
   * answer comes from the target check, which docs/contract.md does not order against the memory.
   */
  private checkReplays(): void {
    const first = new Map<string, string>();
    for (const message of this.sent) {
      const { header, body } = message;
      if (header.type !== 'cti.response' || header.name === 'conversation.query.init') continue;
      const error = header.errorMessage ?? '';
      if (error.includes('not initialized') || error.includes('moved')) continue;
      const answer = JSON.stringify([header.result, error, body]);
      const id = header.requestId ?? '';
      const earlier = first.get(id);
      if (earlier === undefined) first.set(id, answer);
      else if (earlier !== answer) this.violate(9, `requestId ${id} was answered ${earlier}, then ${answer}`);
    }
  }

  private readonly responsesByEpoch = new Map<string, { epoch: number; count: number }>();

  /** Invariant 7: whatever leg A went through, leg B's destination still works. */
  private async checkBystander(): Promise<void> {
    const target = 'PB1.S-1001.G-1.TEL.I-5522.leg-B';
    try {
      this.bystander.receive({ header: { type: 'cti.query', name: 'conversation.query.init', target, requestId: 'b-1' }, body: {} });
      this.bystander.receive({ header: { type: 'cti.request', name: 'conversation.request.answer', target, requestId: 'b-2' } });
    } catch (error) {
      this.violate(7, `the bystander's receive threw: ${String(error)}`);
    }
    for (let round = 0; round < 20 && this.scheduler.count() > 0; round++) {
      await this.scheduler.waitIdle();
      await settle();
    }
    const answers = this.bystanderSent.filter((message) => message.header.type === 'cti.response');
    const answered = answers.map((message) => `${message.header.requestId} ${message.header.result}`).join(', ');
    if (answered !== 'b-1 SUCCESS, b-2 SUCCESS') this.violate(7, `the bystander leg answered ${answered || 'nothing'}`);
    if (this.bystanderLeg.snapshot().state !== 'TALKING') this.violate(7, 'the bystander leg was not answered');
  }

  /** Brings the leg to the run's initial call before the destination exists. */
  private bringTo(initial: InitialCall): void {
    const far = this.leg.far;
    if (initial === 'DIALING') far.emit({ type: 'dialing' });
    if (initial.startsWith('TALKING') || initial.startsWith('HELD')) far.emit({ type: 'talking' });
    if (initial.startsWith('HELD')) far.emit({ type: 'held' });
    if (initial.endsWith('muted')) far.emit({ type: 'muted' });
    if (initial === 'RELEASED') far.hangUp();
  }

  /**
   * docs/contract.md "Init and the event queue": events wait until the init response. When the queue is
   * full the destination drops its queued state events, re-reads leg.snapshot() into its model and
   * keeps only the one-shot events (busy, failed, transferFailed, conferenceFailed).
   */
  private onPhoneEvent(event: PhoneEvent): void {
    // An odd event (invariant 7's runs only) is no part of the contract's model.
    if (typeof event !== 'object' || event === null) return;
    if (event.type === 'partyAdded' && typeof event.party?.number !== 'string') return;
    const model = this.model;
    if (!model.awaitingInit) {
      applyPhoneEvent(model.view, event);
      return;
    }
    const limit = this.setup.preInitLimit ?? DEFAULT_PRE_INIT_EVENTS;
    if (model.queueFill < limit) {
      model.queued.push(event);
      model.queueFill += 1;
      return;
    }
    model.view = viewOf(this.leg.snapshot());
    model.queued = [...model.queued, event].filter((queued) => ONE_SHOT.includes(queued.type));
    model.queueFill = 0;
  }

  /** Every operation the destination calls on the leg passes here first (invariants 5 and 6). */
  private onLegCall(operation: LegOperationName | 'dispose', args: readonly string[]): 'reject' | 'hang' | 'throw' | undefined {
    this.trace.push(`leg.${operation}(${args.join(', ')})`);
    if (operation === 'dispose') {
      this.legDisposeCalls += 1;
      // A dispose received before the connection dropped may complete while it is down: its
      // response is no longer owed (docs/contract.md), so only a dispose still owed must be answered first.
      const owedOnly = this.frames
        .filter((frame) => frame.name === 'conversation.request.dispose')
        .every((frame) => frame.epoch === this.epoch);
      if (!this.disposeAnswered && owedOnly) this.violate(6, "the leg's dispose() was called before dispose was answered");
      if (this.legDisposeCalls > 1) this.violate(5, "the leg's dispose() was called twice");
    } else {
      if (this.disposeAnswered) this.violate(5, `${operation} was called after dispose was answered`);
      if (!operationAllowed(operation as OperationName, args, this.model.view)) {
        const view = this.model.view;
        this.violate(5, `${operation}(${args.join(', ')}) was called on a model ${view.state}${view.muted ? ' muted' : ''} with parties ${view.parties.map((party) => party.number).join(',')}: not a do cell`);
      }
    }
    const outcome = this.setup.outcomes[this.nextOutcome++ % this.setup.outcomes.length];
    return outcome === 'resolve' ? undefined : outcome;
  }

  /** Every message the destination sends passes here (invariants 1, 2, 4, 6, 8). */
  private onSend(message: Sent): void {
    this.sent.push(message);
    const { header } = message;
    this.trace.push(`sent ${header.type === 'cti.event' ? header.name : `${header.name} ${header.requestId} ${header.result}`}`);
    const validated = validateOutbound(message);
    if (!validated.ok) this.violate(8, `an outgoing message fails the catalogue: ${JSON.stringify(validated.errors)}`);
    if (header.type === 'cti.event') this.onEventSent(message);
    else if (header.type === 'cti.response') this.onResponseSent(message);
    else this.violate(8, `sent a message of type ${header.type}`);
  }

  private onEventSent(message: Sent): void {
    const { name, target } = message.header;
    if (!this.answeredTargets.has(target)) {
      this.violate(1, `event ${name} on a target whose init was not answered on this connection`);
    } else if (target !== this.currentTarget) {
      this.violate(1, `event ${name} on a target the destination moved away from`);
    }
    if (this.disposeAnswered) this.violate(1, `event ${name} after dispose was answered`);
    const sent = this.sentOnTarget.get(target) ?? { started: false, ended: false };
    this.sentOnTarget.set(target, sent);
    if (sent.ended) this.violate(4, `event ${name} after ended on ${target}`);
    if (name === 'conversation.started') {
      if (sent.started) this.violate(4, `started sent twice on ${target}`);
      sent.started = true;
    }
    if (['conversation.talking', 'conversation.held', 'conversation.ended'].includes(name) && !sent.started) {
      this.violate(4, `${name} before started on ${target}`);
    }
    if (name === 'conversation.ended') sent.ended = true;
  }

  private onResponseSent(message: Sent): void {
    const { name, target, requestId = '', result } = message.header;
    const counted = this.responsesByEpoch.get(requestId);
    this.responsesByEpoch.set(requestId, {
      epoch: this.epoch,
      count: counted && counted.epoch === this.epoch ? counted.count + 1 : 1,
    });
    const frame = this.frames.find((candidate) => candidate.requestId === requestId);
    if (!frame) this.violate(2, `a response to requestId ${requestId}, which no well-formed frame carried`);
    else if (frame.name !== name || frame.target !== target) {
      this.violate(2, `the response to ${requestId} says ${name} on ${target}, the frame ${frame.name} on ${frame.target}`);
    }
    if (result !== 'SUCCESS' && result !== 'FAILURE') this.violate(2, `a response with result ${result}`);
    if (name === 'conversation.query.init' && result === 'SUCCESS') {
      this.answeredTargets.add(target);
      this.currentTarget = target;
      if (this.model.awaitingInit) {
        // Right after the init response the queued events are applied, in arrival order.
        this.model.awaitingInit = false;
        this.model.queueFill = 0;
        for (const event of this.model.queued.splice(0)) applyPhoneEvent(this.model.view, event);
      }
    }
    if (name === 'conversation.request.dispose' && result === 'SUCCESS') this.disposeAnswered = true;
    if (name === 'conversation.request.senddtmf' && result === 'SUCCESS' && !this.dtmfAnswered.has(requestId)) {
      this.dtmfAnswered.add(requestId);
      const body = (frame?.frame as { body?: { digits?: string } } | undefined)?.body;
      this.dtmfDigitsPromised += typeof body?.digits === 'string' ? body.digits.length : 0;
      if (this.dtmfDigitsPromised > this.leg.far.tonesHeard) {
        this.violate(6, 'senddtmf was answered SUCCESS before the leg had played its tones');
      }
    }
  }
}
