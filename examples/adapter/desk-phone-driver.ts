/**
 * A made-up "desk phone" SDK, standing in for the vendor library a real adapter wraps. Its API is
 * imperative, with callbacks: commands take a `done(error?)` callback, and the phone reports what
 * happens to its calls through callback slots. Like many desk phones, its mute key only toggles.
 *
 * The `simulate…` and `isUp` members play the other end of the line, for the example and its test.
 */
export type DeskCallState = 'ringing' | 'connected' | 'held' | 'idle';
type Done = (error?: Error) => void;

interface DeskCall {
  state: DeskCallState;
  muted: boolean;
}

export class DeskPhoneDriver {
  /** A call rings; `handle` names it in every later callback and command. */
  onIncoming?: (handle: number, callerNumber: string, callerName?: string) => void;
  /** A call changed state (the phone reports this before it calls a command's `done`). */
  onCallState?: (handle: number, state: DeskCallState) => void;
  onMuteKey?: (handle: number, muted: boolean) => void;

  private readonly calls = new Map<number, DeskCall>();
  private nextHandle = 1;

  answer(handle: number, done: Done): void {
    this.command(handle, ['ringing'], done, (call) => this.move(handle, call, 'connected'));
  }
  hangUp(handle: number, done: Done): void {
    this.command(handle, ['ringing', 'connected', 'held'], done, (call) => this.move(handle, call, 'idle'));
  }
  hold(handle: number, done: Done): void {
    this.command(handle, ['connected'], done, (call) => this.move(handle, call, 'held'));
  }
  resume(handle: number, done: Done): void {
    this.command(handle, ['held'], done, (call) => this.move(handle, call, 'connected'));
  }
  pressMuteKey(handle: number, done: Done): void {
    this.command(handle, ['connected', 'held'], done, (call) => {
      call.muted = !call.muted;
      this.onMuteKey?.(handle, call.muted);
    });
  }
  isMuted(handle: number): boolean {
    return this.calls.get(handle)?.muted ?? false;
  }
  state(handle: number): DeskCallState {
    return this.calls.get(handle)?.state ?? 'idle';
  }

  simulateIncoming(number: string, name?: string): number {
    const handle = this.nextHandle++;
    this.calls.set(handle, { state: 'ringing', muted: false });
    this.onIncoming?.(handle, number, name);
    return handle;
  }
  simulateRemoteHangUp(handle: number): void {
    const call = this.calls.get(handle);
    if (call) this.move(handle, call, 'idle');
  }
  isUp(handle: number): boolean {
    return this.calls.has(handle);
  }

  /** The phone answers a command a moment later (as a device on a cable would), never at once. */
  private command(handle: number, allowed: readonly DeskCallState[], done: Done, act: (call: DeskCall) => void): void {
    setImmediate(() => {
      const call = this.calls.get(handle);
      if (!call || !allowed.includes(call.state)) {
        return done(new Error(`desk phone: call ${handle} is ${call?.state ?? 'gone'}`));
      }
      act(call);
      done();
    });
  }
  private move(handle: number, call: DeskCall, state: DeskCallState): void {
    call.state = state;
    if (state === 'idle') this.calls.delete(handle);
    this.onCallState?.(handle, state);
  }
}
