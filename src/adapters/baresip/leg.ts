/**
 * One baresip call as a TelephonyLeg. It keeps the snapshot, maps baresip's call events onto
 * phone events, and runs its operations through the phone's serialised command channel, always
 * selecting its own call with `callfind` first (baresip 1.0.0 acts on the "current" call).
 */
import { abortError, pause } from '../../phone/abort.js';
import { mutedAfter, stateAfter } from '../../phone/leg-view.js';
import { StateWaits } from '../../phone/state-waits.js';
import { tellListeners } from '../../phone/tell-listeners.js';
import type {
  CallState,
  LegSnapshot,
  Party,
  PhoneEvent,
  PhoneEventListener,
  TelephonyLeg,
} from '../../phone/types.js';
import { closeEventFor, type CallDirection } from './close-reason.js';
import type { BaresipEvent, BaresipResponse } from './messages.js';

/** What a leg needs from its phone. */
export interface LegChannel {
  /** Selects the call, then runs `work` with the channel held; rejects when the call is gone. */
  onCall<T>(leg: BaresipLeg, signal: AbortSignal, work: (send: CommandSender) => Promise<T>): Promise<T>;
  /** Turns a destination into what baresip dials (a SIP URI or what baresip completes itself). */
  toUri(destination: string): string;
  dtmfDurationMs(digits: string): number;
  forget(leg: BaresipLeg): void;
  report(code: string, message: string): void;
}

export type CommandSender = (command: string, params?: string) => Promise<BaresipResponse>;

const DTMF_DIGITS = /^[0-9*#A-Da-d]{1,64}$/;
/** A destination goes into a baresip command line, so no spaces or control characters. */
const DESTINATION = /^[!-~]{1,256}$/;

export class BaresipLeg implements TelephonyLeg {
  private state: CallState;
  private muted = false;
  private answered = false;
  private readonly listeners = new Set<PhoneEventListener>();
  private readonly waits = new StateWaits();
  private disposed = false;
  private endedWith: ((reason: string) => void) | undefined;
  /** Resolves with a sentence once the call has ended or the phone closed (cuts waits short). */
  readonly gone: Promise<string>;
  /** Events held back until the code that dialled this leg had a chance to subscribe. */
  private deferred: BaresipEvent[] | undefined;

  constructor(
    readonly id: string,
    readonly callId: string,
    readonly direction: CallDirection,
    private readonly party: Party,
    private readonly channel: LegChannel,
    initialState?: CallState,
  ) {
    this.state = initialState ?? (direction === 'incoming' ? 'RINGING' : 'DIALING');
    this.answered = this.state === 'TALKING' || this.state === 'HELD';
    this.gone = new Promise((resolve) => (this.endedWith = resolve));
  }

  get ended(): boolean {
    return this.state === 'RELEASED';
  }

  snapshot(): LegSnapshot {
    return { state: this.state, parties: [this.party], muted: this.muted };
  }

  subscribe(listener: PhoneEventListener): () => void {
    if (!this.disposed) this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Holds events back until the next macrotask, so a `dial` caller sees them all. */
  deferEvents(): void {
    this.deferred = [];
    setImmediate(() => {
      const events = this.deferred ?? [];
      this.deferred = undefined;
      for (const event of events) this.onBaresipEvent(event);
    });
  }

  /** One event from baresip about this call. */
  onBaresipEvent(event: BaresipEvent): void {
    if (this.deferred) {
      this.deferred.push(event);
      return;
    }
    switch (event.type) {
      case 'CALL_ESTABLISHED':
        this.answered = true;
        if (this.state === 'RINGING' || this.state === 'DIALING') this.apply({ type: 'talking' });
        return;
      case 'CALL_CLOSED':
        this.apply(closeEventFor(this.direction, this.answered, event.param ?? ''));
        return;
      case 'TRANSFER_FAILED':
        if (this.state === 'TALKING' || this.state === 'HELD') {
          this.apply({ type: 'transferFailed', reason: event.param?.trim() || 'the transfer failed' });
        }
        return;
      default:
        // CALL_RINGING / CALL_PROGRESS keep an outbound call DIALING; the rest is media detail.
        return;
    }
  }

  /** baresip's listing says the call is in `state` (read after a reconnect): catch up with it. */
  syncState(state: CallState): void {
    if (this.ended || state === this.state || state === 'RINGING' || state === 'DIALING') return;
    // Answered (and perhaps held) while we could not hear baresip.
    if (state === 'TALKING' || this.state === 'RINGING' || this.state === 'DIALING') {
      this.answered = true;
      this.apply({ type: 'talking' });
    }
    if (state === 'HELD') this.apply({ type: 'held' });
  }

  /** The call is gone without a CALL_CLOSED (lost while disconnected, or after a failed transfer). */
  markGone(reason: string): void {
    if (!this.ended) this.apply({ type: 'ended', reason });
  }

  /** Updates the snapshot first, then tells the listeners. */
  apply(event: PhoneEvent): void {
    if (this.ended) return;
    this.state = stateAfter(this.state, event);
    this.muted = mutedAfter(this.muted, event);
    tellListeners([...this.listeners], event, (error) =>
      this.channel.report('listener-threw', `a listener of leg ${this.id} threw: ${(error as Error).message}`),
    );
    if (this.state === 'RELEASED') this.endedWith?.(`the call has ended`);
    this.waits.notify();
  }

  /** The phone closed: nothing more will be heard of this call, so nothing waits for it. */
  stopWaiting(reason: string): void {
    this.waits.stop(reason);
    this.endedWith?.(reason);
    this.waits.notify();
  }

  /** Resolves once the state passes `test`; rejects when `signal` fires or the phone closes first. */
  private until(test: (state: CallState) => boolean, signal: AbortSignal): Promise<void> {
    return this.waits.until(() => test(this.state), signal);
  }

  /**
   * `accept` replies ok even when answering fails (a broken audio source leaves the call
   * INCOMING), so answer resolves only once baresip reports the call established.
   */
  async answer(signal: AbortSignal): Promise<void> {
    await this.simple(signal, 'accept');
    await this.until((state) => state !== 'RINGING', signal);
    if (this.ended) throw new Error('the call ended before it was answered');
  }

  /** Resolves once baresip reports the call closed (it does so before its reply, as a rule). */
  async release(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (this.ended) return;
    try {
      await this.simple(signal, 'hangup');
    } catch (error) {
      // Hanging up a call that is already gone has done its job.
      if (!this.ended) throw error;
    }
    await this.until((state) => state === 'RELEASED', signal);
  }

  hold(signal: AbortSignal): Promise<void> {
    return this.channel.onCall(this, signal, async (send) => {
      expectOk(await send('hold'), 'hold');
      // baresip 1.0.0 reports no hold event on either side: a hold it accepted is the event.
      if (this.state === 'TALKING') this.apply({ type: 'held' });
    });
  }

  retrieve(signal: AbortSignal): Promise<void> {
    return this.channel.onCall(this, signal, async (send) => {
      expectOk(await send('resume'), 'resume');
      if (this.state === 'HELD') this.apply({ type: 'talking' });
    });
  }

  mute(signal: AbortSignal): Promise<void> {
    return this.setMuted(true, signal);
  }

  unmute(signal: AbortSignal): Promise<void> {
    return this.setMuted(false, signal);
  }

  transfer(destination: string, signal: AbortSignal): Promise<void> {
    if (!DESTINATION.test(destination)) {
      return Promise.reject(new Error('transfer: the destination must be 1-256 printable characters without spaces'));
    }
    let uri: string;
    try {
      uri = this.channel.toUri(destination);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    if (!DESTINATION.test(uri)) {
      return Promise.reject(new Error('transfer: toUri gave something that is not a single printable word'));
    }
    return this.channel.onCall(this, signal, async (send) => {
      expectOk(await send('transfer', uri), 'transfer');
    });
  }

  async sendDtmf(digits: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (!DTMF_DIGITS.test(digits)) throw new Error('senddtmf: digits may hold only 0-9, *, # and A-D');
    await this.channel.onCall(this, signal, async (send) => {
      expectOk(await send('sndcode', digits), 'sndcode');
    });
    // sndcode replies before any tone has gone out, so wait for them to be played.
    await pause(this.channel.dtmfDurationMs(digits), signal, this.gone);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    this.channel.forget(this);
  }

  private simple(signal: AbortSignal, command: string): Promise<void> {
    return this.channel.onCall(this, signal, async (send) => {
      expectOk(await send(command), command);
    });
  }

  /**
   * `mute` is a toggle in 1.0.0 and its reply is the only way to see the state. When the state
   * is already as wanted, nothing is sent; when a toggle lands the wrong way (the state was not
   * what the last reply said), it is toggled back at once.
   */
  private setMuted(wanted: boolean, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    if (this.muted === wanted && !this.ended) return Promise.resolve();
    return this.channel.onCall(this, signal, async (send) => {
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const reply = await send('mute');
        expectOk(reply, 'mute');
        const now = parseMuteReply(reply.data);
        if (now === undefined) throw new Error(`baresip gave an unexpected reply to mute: ${reply.data.trim()}`);
        if (now !== this.muted) this.apply({ type: now ? 'muted' : 'unmuted' });
        if (now === wanted) return;
      }
      throw new Error('baresip did not reach the wanted mute state');
    });
  }
}

export function parseMuteReply(data: string): boolean | undefined {
  if (/call un-?muted/i.test(data)) return false;
  if (/call muted/i.test(data)) return true;
  return undefined;
}

function expectOk(response: BaresipResponse, command: string): void {
  if (!response.ok) {
    const detail = response.data.trim();
    throw new Error(`baresip refused ${command}${detail ? `: ${detail}` : ''}`);
  }
}
