/**
 * BaresipPhone: a Phone over one baresip 1.0.0 instance's ctrl_tcp interface.
 *
 * One control connection carries every command, one at a time; a per-call command first selects
 * its call with `callfind <Call-ID>`, and the pair runs without anything in between. baresip's
 * events become legs and phone events (see leg.ts). A lost connection (socket closed, a command
 * unanswered, or the periodic check unanswered) fails what was in flight, reconnects, and asks
 * baresip about every live leg again (`callfind`: "call not found" means the call ended). On
 * every (re)connect the calls baresip already has are read and adopted (call-list.ts).
 * Behaviour of 1.0.0 relied on here is written up in the project's telephony lab notes.
 */
import { abortError, raceAbort } from '../../phone/abort.js';
import { BoundedSet } from '../../phone/bounded-set.js';
import { reportDiagnostic, type DiagnosticStyle } from '../../phone/diagnostics.js';
import { dropOldEndedLegs } from '../../phone/ended-legs.js';
import { partyFromPeer } from '../../phone/sip-party.js';
import { tellListeners } from '../../phone/tell-listeners.js';
import type { CallState, LegListener, Phone, TelephonyLeg } from '../../phone/types.js';
import { callStateOf, parseCallList, parseCallStat } from './call-list.js';
import type { CallDirection } from './close-reason.js';
import { BaresipConnection } from './connection.js';
import { BaresipLeg, type CommandSender, type LegChannel } from './leg.js';
import { legIdForCallId } from './leg-id.js';
import type { BaresipEvent, BaresipResponse } from './messages.js';
import { resolveOptions, type BaresipPhoneOptions, type ResolvedOptions } from './options.js';

const DESTINATION = /^[!-~]{1,256}$/;
const MAX_RECONNECT_DELAY_MS = 5000;
/** Call-IDs of disposed or refused calls whose later events are ignored; bounded. */
const MAX_IGNORED_CALL_IDS = 4096;
/** Trouble with baresip is a warning; its coming back is news; the rest is detail. */
const REPORT_STYLE: DiagnosticStyle = { prefix: 'baresip', warn: /lost|failed|threw|cancelled/ };

interface PendingDial {
  aborted: boolean;
  resolve(leg: TelephonyLeg): void;
  reject(error: Error): void;
}

/**
 * A real SIP phone: drives baresip through its ctrl_tcp control port; each call baresip rings or
 * dials is a leg whose id comes from its SIP Call-ID. Create it with `await
 * BaresipPhone.connect(options)`; see docs/baresip.md.
 */
export class BaresipPhone implements Phone {
  private readonly options: ResolvedOptions;
  private connection: BaresipConnection | undefined;
  /** The tail of the command channel: every exclusive section chains onto it. */
  private channelTail: Promise<unknown> = Promise.resolve();
  private readonly legsById = new Map<string, BaresipLeg>();
  private readonly legsByCallId = new Map<string, BaresipLeg>();
  private readonly ignoredCallIds = new BoundedSet<string>(MAX_IGNORED_CALL_IDS);
  private readonly legListeners = new Set<LegListener>();
  private dialing: PendingDial | undefined;
  private dialTail: Promise<unknown> = Promise.resolve();
  private closed = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs: number;
  private checkTimer: NodeJS.Timeout | undefined;
  private checking = false;
  /** Why the control connection was last lost, for the errors of operations meanwhile. */
  private lossReason: string | undefined;

  private readonly legChannel: LegChannel = {
    onCall: (leg, signal, work) => this.onCall(leg, signal, work),
    toUri: (destination) => this.options.toUri(destination),
    dtmfDurationMs: (digits) => this.options.dtmfBaseMs + this.options.dtmfMsPerDigit * digits.length,
    forget: (leg) => this.forget(leg),
    report: (code, message) => this.report(code, message),
  };

  constructor(options: BaresipPhoneOptions) {
    this.options = resolveOptions(options);
    this.reconnectDelayMs = this.options.reconnectDelayMs;
  }

  /** Creates a phone and opens its control connection; rejects when baresip cannot be reached. */
  static async connect(options: BaresipPhoneOptions): Promise<BaresipPhone> {
    const phone = new BaresipPhone(options);
    await phone.connect();
    return phone;
  }

  /** Opens the control connection (once; later losses reconnect by themselves). */
  async connect(): Promise<void> {
    if (this.closed) throw new Error('the baresip phone is closed');
    if (this.connection?.isOpen) return;
    await this.openConnection();
    await this.syncCalls('the call ended before the baresip control connection was opened');
  }

  get connected(): boolean {
    return this.connection?.isOpen ?? false;
  }

  leg(id: string): TelephonyLeg | undefined {
    return this.legsById.get(id);
  }

  legs(): readonly TelephonyLeg[] {
    return [...this.legsById.values()];
  }

  onLeg(listener: LegListener): () => void {
    this.legListeners.add(listener);
    return () => this.legListeners.delete(listener);
  }

  /**
   * Places a call; one dial at a time, because baresip's `dial` reply has no Call-ID: the first
   * outgoing event with an unseen Call-ID after the command is this call.
   */
  dial(destination: string, signal: AbortSignal): Promise<TelephonyLeg> {
    if (!DESTINATION.test(destination)) {
      return Promise.reject(new Error('dial: the destination must be 1-256 printable characters without spaces'));
    }
    const run = this.dialTail.then(() => {
      const uri = this.options.toUri(destination);
      if (!DESTINATION.test(uri)) throw new Error('dial: toUri gave something that is not a single printable word');
      return this.dialOnce(uri, signal);
    });
    this.dialTail = run.catch(() => undefined);
    return run;
  }

  /** Runs one raw ctrl_tcp command on the control channel (diagnostics). */
  command(command: string, params?: string, signal?: AbortSignal): Promise<BaresipResponse> {
    return this.exclusive(signal, (send) => send(command, params));
  }

  /** Closes the control connection. Calls stay as they are in baresip. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.checkTimer);
    this.connection?.close();
    this.connection = undefined;
    this.failDial(new Error('dial failed: the baresip phone was closed'));
    for (const leg of this.legsById.values()) leg.stopWaiting('the baresip phone was closed');
  }

  private async openConnection(): Promise<void> {
    const connection = await BaresipConnection.open(this.options.host, this.options.port, this.options.commandTimeoutMs, {
      onEvent: (event) => {
        if (this.connection === connection) this.onEvent(event);
      },
      onLost: (reason) => {
        if (this.connection === connection) this.onLost(reason);
      },
    });
    if (this.closed) {
      connection.close();
      throw new Error('the baresip phone is closed');
    }
    this.connection = connection;
    this.startChecks();
  }

  /** Runs `work` with the command channel to itself; nothing else is sent in between. */
  private exclusive<T>(signal: AbortSignal | undefined, work: (send: CommandSender) => Promise<T>): Promise<T> {
    const run = this.channelTail.then(async () => {
      if (signal?.aborted) throw abortError(signal);
      if (this.closed) throw new Error('the baresip phone is closed');
      const connection = this.connection;
      if (!connection?.isOpen) {
        throw new Error(`the baresip control connection is down (${this.lossReason ?? 'not connected'}; reconnecting)`);
      }
      return work((command, params) => connection.command(command, params));
    });
    this.channelTail = run.catch(() => undefined);
    return signal ? raceAbort(run, signal) : run;
  }

  private onCall<T>(leg: BaresipLeg, signal: AbortSignal, work: (send: CommandSender) => Promise<T>): Promise<T> {
    if (leg.ended) return Promise.reject(new Error('the call has ended'));
    return this.exclusive(signal, async (send) => {
      if (!(await selectCall(send, leg.callId))) {
        leg.markGone('baresip no longer has this call');
        throw new Error('the call has ended (baresip no longer has it)');
      }
      return work(send);
    });
  }

  private dialOnce(uri: string, signal: AbortSignal): Promise<TelephonyLeg> {
    if (signal.aborted) return Promise.reject(abortError(signal));
    return new Promise<TelephonyLeg>((resolve, reject) => {
      const onAbort = () => {
        pending.aborted = true;
        reject(abortError(signal));
      };
      const pending: PendingDial = {
        aborted: false,
        resolve: (leg) => {
          signal.removeEventListener('abort', onAbort);
          resolve(leg);
        },
        reject: (error) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.exclusive(signal, async (send) => {
        // Armed before the command is sent: the call's first event can come before the reply.
        this.dialing = pending;
        const disarm = () => {
          if (this.dialing === pending) this.dialing = undefined;
        };
        const reply = await send('dial', uri).catch((error: Error) => {
          disarm();
          throw error;
        });
        if (!reply.ok) {
          disarm();
          throw new Error(`baresip refused dial${reply.data.trim() ? `: ${reply.data.trim()}` : ''}`);
        }
        // An abort from here on leaves the dial armed: its call is hung up when it shows up. But
        // not for ever: a call that never shows up must not take over the next outgoing call.
        this.expireDial(pending);
      }).catch((error: Error) => pending.reject(error));
    });
  }

  /**
   * After dialClaimMs, a dial still armed asks baresip for its calls once (a call whose first event
   * was missed is adopted by the sync and claims the dial); if still unclaimed it is disarmed, and
   * fails unless it was cancelled.
   */
  private expireDial(pending: PendingDial): void {
    const timer = setTimeout(() => {
      if (this.dialing !== pending || this.closed) return;
      this.syncCalls('baresip no longer has this call')
        .catch(() => undefined)
        .then(() => {
          if (this.dialing !== pending) return;
          this.dialing = undefined;
          this.report('dial-unclaimed', `a dial baresip accepted showed no call within ${this.options.dialClaimMs} ms; disarmed`);
          if (!pending.aborted) pending.reject(new Error(`dial failed: baresip accepted the dial but no call showed up within ${this.options.dialClaimMs} ms`));
        });
    }, this.options.dialClaimMs);
    timer.unref?.();
  }

  private failDial(error: Error): void {
    const pending = this.dialing;
    this.dialing = undefined;
    pending?.reject(error);
  }

  private onEvent(event: BaresipEvent): void {
    if (this.closed || !event.callId) return;
    let leg = this.legsByCallId.get(event.callId);
    if (!leg) {
      if (this.ignoredCallIds.has(event.callId)) return;
      leg = this.newLegFor(event, event.callId);
      if (!leg) return;
    }
    leg.onBaresipEvent(event);
    // 1.0.0 destroys the transferor's call after TRANSFER_FAILED without a CALL_CLOSED: ask.
    if (event.type === 'TRANSFER_FAILED') this.confirmStillThere(leg, 'baresip ended the call after the failed transfer');
  }

  private newLegFor(event: BaresipEvent, callId: string): BaresipLeg | undefined {
    const incoming = event.direction === 'incoming';
    if (incoming ? event.type !== 'CALL_INCOMING' : event.direction !== 'outgoing' || !event.type.startsWith('CALL_')) {
      return undefined; // a call from before our connection, or not a call event at all
    }
    const pending = incoming ? undefined : this.dialing;
    if (pending) this.dialing = undefined;
    if (pending?.aborted) {
      // The dial was cancelled before baresip told us the call's id: hang that call up.
      this.ignore(callId);
      this.exclusive(undefined, async (send) => {
        if (await selectCall(send, callId)) await send('hangup');
      }).catch((error: Error) => this.report('cancelled-dial', `could not hang up a cancelled dial: ${error.message}`));
      return undefined;
    }
    return this.addLeg(
      new BaresipLeg(
        legIdForCallId(callId),
        callId,
        incoming ? 'incoming' : 'outgoing',
        partyFromPeer(event.peerUri, event.peerDisplayName),
        this.legChannel,
      ),
      pending,
    );
  }

  /** A call found in baresip's listing that we never heard of. */
  private adopt(callId: string, direction: CallDirection, peerUri: string, peerName: string | undefined, state: CallState): void {
    // An outgoing call nobody announced yet is the pending dial's (its far end has been silent).
    const pending = direction === 'outgoing' && !this.dialing?.aborted ? this.dialing : undefined;
    if (pending) this.dialing = undefined;
    const leg = new BaresipLeg(legIdForCallId(callId), callId, direction, partyFromPeer(peerUri, peerName), this.legChannel, state);
    this.addLeg(leg, pending);
  }

  private addLeg(leg: BaresipLeg, pending: PendingDial | undefined): BaresipLeg {
    this.legsById.set(leg.id, leg);
    this.legsByCallId.set(leg.callId, leg);
    dropOldEndedLegs(this.legsById, this.options.maxEndedLegs, (ended) => this.forget(ended));
    if (pending) leg.deferEvents();
    tellListeners([...this.legListeners], leg, (error) =>
      this.report('listener-threw', `a leg listener threw: ${(error as Error).message}`),
    );
    pending?.resolve(leg);
    return leg;
  }

  /**
   * Reads the calls baresip has: adopts those we have not heard of (they began before our
   * connection or while it was down), brings known legs up to date, and ends the legs whose call
   * is gone (`callfind` answers "call not found").
   */
  private syncCalls(reasonIfGone: string): Promise<void> {
    return this.exclusive(undefined, async (send) => {
      const seen = new Set<string>();
      const list = await send('listcalls');
      for (const listed of list.ok ? parseCallList(list.data) : []) {
        if (!(await send('line', String(listed.line))).ok) continue;
        const details = parseCallStat((await send('callstat')).data);
        if (!details) continue;
        seen.add(details.callId);
        const state = callStateOf(details.direction, details.state, listed.onHold);
        const known = this.legsByCallId.get(details.callId);
        if (known) {
          if (state) known.syncState(state);
        } else if (state && !this.ignoredCallIds.has(details.callId)) {
          this.adopt(details.callId, details.direction, details.peerUri ?? listed.peerUri, details.peerName, state);
        }
      }
      for (const leg of [...this.legsByCallId.values()]) {
        if (!leg.ended && !seen.has(leg.callId) && !(await selectCall(send, leg.callId))) leg.markGone(reasonIfGone);
      }
    }).catch((error: Error) => this.report('sync-failed', `could not read baresip's calls: ${error.message}`));
  }

  private confirmStillThere(leg: BaresipLeg, reasonIfGone: string): void {
    if (leg.ended) return;
    this.exclusive(undefined, async (send) => {
      if (!(await selectCall(send, leg.callId))) leg.markGone(reasonIfGone);
    }).catch(() => undefined); // a lost connection re-checks every leg after reconnecting
  }

  private onLost(reason: string): void {
    this.connection = undefined;
    this.lossReason = `lost: ${reason}`;
    this.report('connection-lost', `the baresip control connection was lost (${reason}); reconnecting`);
    this.failDial(new Error(`dial failed: the baresip control connection was lost (${reason})`));
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.openConnection().then(
        () => {
          this.reconnectDelayMs = this.options.reconnectDelayMs;
          this.report('reconnected', 'the baresip control connection is back; checking the calls');
          void this.syncCalls('the call ended while the baresip control connection was down');
        },
        (error: Error) => {
          this.report('reconnect-failed', error.message);
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelayMs);
  }

  /** A cheap command now and then, so a silent connection is noticed by the command timeout. */
  private startChecks(): void {
    if (this.checkTimer || this.options.checkIntervalMs === 0) return;
    this.checkTimer = setInterval(() => {
      if (this.checking || !this.connection?.isOpen) return;
      this.checking = true;
      this.exclusive(undefined, (send) => send('listcalls'))
        .catch(() => undefined)
        .finally(() => (this.checking = false));
    }, this.options.checkIntervalMs);
    this.checkTimer.unref();
  }

  private forget(leg: BaresipLeg): void {
    if (this.legsById.get(leg.id) === leg) this.legsById.delete(leg.id);
    if (this.legsByCallId.get(leg.callId) === leg) this.legsByCallId.delete(leg.callId);
    this.ignore(leg.callId);
  }

  private ignore(callId: string): void {
    this.ignoredCallIds.add(callId);
  }

  private report(code: string, message: string): void {
    reportDiagnostic(this.options, REPORT_STYLE, code, message);
  }
}

/** `callfind` answers "setting current call: <id>" when the call exists. */
async function selectCall(send: CommandSender, callId: string): Promise<boolean> {
  const reply = await send('callfind', callId);
  return reply.ok && /setting current call/i.test(reply.data);
}
