/**
 * DeskPhone: an adapter that lets the conversation destination drive a DeskPhoneDriver. It turns
 * the driver's callbacks into phone events and its `done` callbacks into promises, following "The
 * adapter contract" (src/phone/types.ts, docs/conformance.md).
 */
import type * as cti from 'cti-conversation';
import type { DeskCallState, DeskPhoneDriver } from './desk-phone-driver.js';

type Done = (error?: Error) => void;
type Command = (done: Done) => void;

/** What each desk phone state means to the contract: the leg's state and the event that reports it. */
const FROM_DESK: Record<DeskCallState, readonly [cti.CallState, cti.PhoneEvent]> = {
  ringing: ['RINGING', { type: 'ringing' }],
  connected: ['TALKING', { type: 'talking' }],
  held: ['HELD', { type: 'held' }],
  idle: ['RELEASED', { type: 'ended' }],
};

/** Leg ids end a dotted target, so they must match ^[A-Za-z0-9_-]{1,128}$. A numeric handle fits
 * once prefixed; a phone whose own call ids do not fit uses the base64url of their SHA-256. */
const legIdOf = (handle: number): string => `desk-${handle}`;

/** One listener's failure is its own: the others still hear. */
function tellEach<T>(listeners: readonly ((value: T) => void)[], value: T): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch {
      // Nothing throws back into the phone's callbacks.
    }
  }
}

export class DeskLeg implements cti.TelephonyLeg {
  readonly id: string;
  // The snapshot is kept from the events this leg delivered, so it never lags them.
  private state: cti.CallState = 'RINGING';
  private muted = false;
  private listeners: cti.PhoneEventListener[] = [];
  private disposed = false;
  /** The leg's commands, in the order they were given (see `send`). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly handle: number,
    private readonly caller: cti.Party,
    private readonly desk: DeskPhoneDriver,
    private readonly forget: (leg: DeskLeg) => void,
  ) {
    this.id = legIdOf(handle);
  }

  snapshot(): cti.LegSnapshot {
    // At least one party: an inbound leg lists its caller.
    return { state: this.state, parties: [{ ...this.caller }], muted: this.muted };
  }

  subscribe(listener: cti.PhoneEventListener): () => void {
    if (this.disposed) return () => {};
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  answer(signal: AbortSignal): Promise<void> {
    return this.send(signal, (done) => this.desk.answer(this.handle, done));
  }
  hold(signal: AbortSignal): Promise<void> {
    return this.send(signal, this.unlessAlready('held', (done) => this.desk.hold(this.handle, done)));
  }
  retrieve(signal: AbortSignal): Promise<void> {
    return this.send(signal, this.unlessAlready('connected', (done) => this.desk.resume(this.handle, done)));
  }
  release(signal: AbortSignal): Promise<void> {
    return this.send(signal, this.unlessAlready('idle', (done) => this.desk.hangUp(this.handle, done)));
  }
  mute(signal: AbortSignal): Promise<void> {
    return this.send(signal, this.setMuted(true));
  }
  unmute(signal: AbortSignal): Promise<void> {
    return this.send(signal, this.setMuted(false));
  }
  // transfer, conference, removeParty, sendDtmf: the desk phone cannot, so they are simply absent
  // and the destination answers such requests "not supported by this phone".

  /** Frees what the adapter holds for this leg. It never hangs up: the call goes on at the desk. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.listeners = [];
    this.forget(this);
  }

  /** DeskPhone hands over each driver callback about this call. */
  stateChanged(state: DeskCallState): void {
    this.deliver(FROM_DESK[state][0], this.muted, FROM_DESK[state][1]);
  }
  muteChanged(muted: boolean): void {
    this.deliver(this.state, muted, { type: muted ? 'muted' : 'unmuted' });
  }

  private deliver(state: cti.CallState, muted: boolean, event: cti.PhoneEvent): void {
    if (this.disposed || this.state === 'RELEASED') return;
    [this.state, this.muted] = [state, muted]; // first, so each listener's snapshot shows the event
    tellEach(this.listeners, event);
  }

  /** Does nothing (and reports nothing) when the phone already has the call in `state`. */
  private unlessAlready(state: DeskCallState, command: Command): Command {
    return (done) => (this.desk.state(this.handle) === state ? done() : command(done));
  }
  /** The mute key only toggles: press it only when the phone's real state differs from the wish,
   * or a second mute would unmute the call. */
  private setMuted(muted: boolean): Command {
    return (done) => (this.desk.isMuted(this.handle) === muted ? done() : this.desk.pressMuteKey(this.handle, done));
  }

  /**
   * Sends one command after the previous one is done: "is it muted yet?" holds only if nothing else
   * is in flight. An abort rejects at once; a command not yet sent is dropped, one already sent runs
   * on (the driver cannot take it back) and its callbacks still update the leg.
   */
  private send(signal: AbortSignal, command: Command): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.disposed) return Promise.reject(new Error(`leg ${this.id} is disposed`));
    const turn = this.queue.then(
      () =>
        new Promise<void>((resolve, reject) => {
          if (signal.aborted) return reject(signal.reason); // aborted while waiting its turn: never sent
          command((error) => (error ? reject(error) : resolve()));
        }),
    );
    this.queue = turn.catch(() => undefined);
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }
}

export class DeskPhone implements cti.Phone {
  // A leg stays listed until disposed, released or not: the bridge may still ask for its state.
  private readonly live = new Map<string, DeskLeg>();
  private listeners: cti.LegListener[] = [];

  constructor(readonly driver: DeskPhoneDriver) {
    // The driver has one slot per callback: the adapter takes them and routes by call handle.
    driver.onIncoming = (handle, number, name) => {
      const caller: cti.Party = name === undefined ? { number } : { number, name };
      this.announce(new DeskLeg(handle, caller, driver, (leg) => this.live.delete(leg.id)));
    };
    driver.onCallState = (handle, state) => this.live.get(legIdOf(handle))?.stateChanged(state);
    driver.onMuteKey = (handle, muted) => this.live.get(legIdOf(handle))?.muteChanged(muted);
  }

  leg(id: string): DeskLeg | undefined {
    return this.live.get(id);
  }
  legs(): readonly DeskLeg[] {
    return [...this.live.values()];
  }
  onLeg(listener: cti.LegListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }
  // No `dial`: the desk phone only takes calls, so the optional method is left out.

  /** Lets go of the driver and every leg; the calls themselves stay with the desk phone. */
  async close(): Promise<void> {
    this.driver.onIncoming = this.driver.onCallState = this.driver.onMuteKey = undefined;
    for (const leg of this.legs()) await leg.dispose();
    this.listeners = [];
  }

  private announce(leg: DeskLeg): void {
    this.live.set(leg.id, leg);
    tellEach(this.listeners, leg);
  }
}
