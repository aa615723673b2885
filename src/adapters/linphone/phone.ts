/**
 * LinphonePhone: a Phone over one linphone-daemon's unix socket (Debian package linphone-cli,
 * 5.1.65). One connection carries every command, one at a time (connection.ts); events are
 * fetched by polling `pop-event` at a bounded interval; no command that crashes the daemon is
 * ever sent (commands.ts). Daemon calls become legs (leg.ts); a conference adds consult calls to
 * a leg. When the connection drops, the phone reconnects and reads every call it knows of again
 * with `call-status` (events are lost while no client is connected); when nothing listens on the
 * socket any more, the daemon has died and its calls with it: their legs end.
 */
import { abortError, raceAbort } from '../../phone/abort.js';
import { BoundedMap } from '../../phone/bounded-map.js';
import { BoundedSet } from '../../phone/bounded-set.js';
import { reportDiagnostic, type DiagnosticStyle } from '../../phone/diagnostics.js';
import { dropOldEndedLegs } from '../../phone/ended-legs.js';
import { numberFromUri, partyFromPeer } from '../../phone/sip-party.js';
import { tellListeners } from '../../phone/tell-listeners.js';
import type { CallState, LegListener, Phone, TelephonyLeg } from '../../phone/types.js';
import { DaemonNotRunningError, LinphoneConnection } from './connection.js';
import { callStateOfDaemonState, parsePoppedEvent, type DaemonEvent } from './events.js';
import { LinphoneLeg, type CallDirection, type LegChannel } from './leg.js';
import { legIdFor, newNonce } from './leg-id.js';
import { COMMAND_WORD, resolveOptions, type LinphonePhoneOptions, type ResolvedOptions } from './options.js';
import { printable, type DaemonReply } from './reply.js';

const MAX_RECONNECT_DELAY_MS = 5000;
/** Daemon ids of disposed or refused calls whose later events are ignored; bounded. */
const MAX_IGNORED_IDS = 4096;
/** Consult calls owed a hang-up after a reconnect; bounded (the oldest is given up on). */
const MAX_OWED_HANG_UPS = 256;
/** Trouble with the daemon is a warning; its coming back is news; the rest (call details) is debug. */
const REPORT_STYLE: DiagnosticStyle = { prefix: 'linphone', warn: /lost|failed|gone|threw|stray/ };
/** Events taken in one round of polling before others get the channel. */
const MAX_EVENTS_PER_ROUND = 256;
/** A settle period for replies that do not look complete (see connection.ts). */
const REPLY_SETTLE_MS = 20;
const INITIAL_CONNECT_ATTEMPTS = 5;

/**
 * A real SIP phone: drives linphone-daemon (Debian package linphone-cli, liblinphone 5.1.65)
 * through its unix socket; each daemon call is a leg (ids `lp<nonce>-<epoch>-<daemon id>`). It
 * has every optional operation: mute, unmute, transfer, conference, removeParty and sendDtmf
 * (conference and removeParty need a registered `account`). Create it with
 * `await LinphonePhone.connect(options)`; see docs/linphone.md.
 *
 * The constructor throws a RangeError for bad options (see LinphonePhoneOptions). `connect`
 * rejects with DaemonNotRunningError when nothing listens on the socket, and with an Error when
 * the daemon still turns it away after a few retries (another client holds it) or does not
 * answer; the static `connect` then closes the phone. Once connected, a lost connection is
 * reopened by itself and trouble is reported through `onDiagnostic` and `logger`, not thrown; an
 * operation under way when the connection drops rejects. `close()` leaves the calls as they are
 * in the daemon.
 *
 * @example
 * import { LinphonePhone } from 'cti-conversation/linphone';
 * import { createBridgeClient } from 'cti-conversation/client';
 *
 * const phone = await LinphonePhone.connect({ socket: '/tmp/cti-agent' });
 * const client = createBridgeClient({ host: '10.0.0.5', port: 7001, phone });
 * // …
 * await client.close();
 * await phone.close();
 */
export class LinphonePhone implements Phone {
  private readonly options: ResolvedOptions;
  private connection: LinphoneConnection | undefined;
  private readonly nonce = newNonce();
  /** Raised on every (re)connect: part of each new leg id, so ids never repeat. */
  private epoch = 0;
  private readonly legsById = new Map<string, LinphoneLeg>();
  /** Daemon call id → the leg that owns the call (main or consult). */
  private readonly calls = new Map<number, LinphoneLeg>();
  private readonly ignoredIds = new BoundedSet<number>(MAX_IGNORED_IDS);
  /**
   * Consult calls a leg gave up on while the daemon could not be told (daemon id → the far end's
   * number): hung up after the reconnect, when the daemon still has that call (see hangUpOwed).
   */
  private readonly owedHangUps = new BoundedMap<number, string>(MAX_OWED_HANG_UPS);
  private highestId = 0;
  private readonly legListeners = new Set<LegListener>();
  /** The global microphone switch as last set; undefined when unknown. */
  private microphoneMuted: boolean | undefined;
  private closed = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private polling = false;
  private pollAgain = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelayMs: number;
  private lossReason: string | undefined;
  /** Set once the daemon was found not running during an outage (its legs are already ended). */
  private daemonGone = false;

  private readonly legChannel: LegChannel = {
    send: (line, expect, signal) => this.send(line, expect, signal),
    pumpSoon: () => this.pollNow(),
    toUri: (destination) => this.options.toUri(destination),
    dtmfIntervalMs: () => this.options.dtmfIntervalMs,
    conferenceJoinTimeoutMs: () => this.options.conferenceJoinTimeoutMs,
    consultAnswerTimeoutMs: () => this.options.consultAnswerTimeoutMs,
    requireRegistered: (what, signal) => this.requireRegistered(what, signal),
    hangUp: (id, number) => this.hangUp(id, number),
    attach: (id, leg) => {
      this.calls.set(id, leg);
      this.highestId = Math.max(this.highestId, id);
    },
    detach: (id) => {
      this.calls.delete(id);
      this.ignore(id);
    },
    becameCurrent: (leg) => this.becameCurrent(leg),
    setMicrophone: (muted, signal) => this.setMicrophone(muted, signal),
    forget: (leg) => this.forget(leg),
    report: (code, message) => this.report(code, message),
  };

  constructor(options: LinphonePhoneOptions) {
    this.options = resolveOptions(options);
    this.reconnectDelayMs = this.options.reconnectDelayMs;
  }

  /** Creates a phone and opens its connection; rejects when the daemon cannot be reached. */
  static async connect(options: LinphonePhoneOptions): Promise<LinphonePhone> {
    const phone = new LinphonePhone(options);
    try {
      await phone.connect();
    } catch (error) {
      await phone.close();
      throw error;
    }
    return phone;
  }

  /** Opens the connection (once; later losses reconnect by themselves). */
  async connect(): Promise<void> {
    if (this.closed) throw new Error('the linphone phone is closed');
    if (this.connection?.isOpen) return;
    // The daemon turns a client away while it still holds the previous one (it notices a closed
    // client a moment later): a few quick retries cover a client that has just left.
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.openConnection();
        break;
      } catch (error) {
        if (error instanceof DaemonNotRunningError || attempt >= INITIAL_CONNECT_ATTEMPTS || this.closed) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
    await this.afterConnect();
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

  async dial(destination: string, signal: AbortSignal): Promise<TelephonyLeg> {
    if (signal.aborted) throw abortError(signal);
    if (!COMMAND_WORD.test(destination)) throw new Error('dial: the destination must be 1-256 printable characters without spaces');
    const uri = this.options.toUri(destination);
    if (typeof uri !== 'string' || !COMMAND_WORD.test(uri)) throw new Error('dial: toUri gave something that is not a single printable word');
    // Not raced against the signal: once sent, the reply's id is needed to hang the call up.
    const reply = await this.send(`call ${uri}`, ['Id'], signal);
    if (!reply.ok) throw new Error(`linphone-daemon could not place the call${reply.reason ? `: ${reply.reason}` : ''}`);
    const id = Number(reply.fields.get('Id'));
    if (!Number.isSafeInteger(id) || id < 1) throw new Error('dial: linphone-daemon gave no call id');
    if (signal.aborted || this.closed) {
      this.ignore(id);
      this.send(`terminate ${id}`).catch(() => undefined);
      throw signal.aborted ? abortError(signal) : new Error('the linphone phone is closed');
    }
    return this.addLeg(id, 'outgoing', { number: numberFromUri(uri) }, 'DIALING');
  }

  /** Runs one raw daemon command (diagnostics); crashing commands are refused (see commands.ts). */
  command(line: string, signal?: AbortSignal): Promise<DaemonReply> {
    return this.send(line, [], signal);
  }

  /** Closes the connection. Calls stay as they are in the daemon. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.pollTimer);
    this.connection?.close();
    this.connection = undefined;
    for (const leg of this.legsById.values()) leg.stopWaiting('the linphone phone was closed');
  }

  // ---- the connection ---------------------------------------------------------------------

  private send(line: string, expect: readonly string[] = [], signal?: AbortSignal): Promise<DaemonReply> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.closed) return Promise.reject(new Error('the linphone phone is closed'));
    const connection = this.connection;
    if (!connection?.isOpen) {
      return Promise.reject(new Error(`the linphone-daemon connection is down (${this.lossReason ?? 'not connected'}; reconnecting)`));
    }
    const run = connection.command(line, expect, signal);
    // A command already written cannot be taken back; callers that need its reply (call) pass no signal race.
    return signal && !line.startsWith('call ') ? raceAbort(run, signal) : run;
  }

  private async openConnection(): Promise<void> {
    const connection = await LinphoneConnection.open(
      this.options.socket,
      { commandTimeoutMs: this.options.commandTimeoutMs, settleMs: REPLY_SETTLE_MS },
      {
        onLost: (reason) => {
          if (this.connection === connection) this.onLost(reason);
        },
        onStray: (text) => this.report('stray-reply', `linphone-daemon sent bytes nobody asked for: ${text}`),
      },
    );
    if (this.closed) {
      connection.close();
      throw new Error('the linphone phone is closed');
    }
    this.connection = connection;
    this.epoch += 1;
    this.microphoneMuted = undefined;
  }

  private async afterConnect(): Promise<void> {
    await this.hangUpOwed();
    await this.syncCalls();
    await this.ensureAccount();
    this.pollNow();
  }

  private onLost(reason: string): void {
    this.connection = undefined;
    clearTimeout(this.pollTimer);
    this.lossReason = `lost: ${reason}`;
    this.report('connection-lost', `the linphone-daemon connection was lost (${reason}); reconnecting`);
    this.reconnectDelayMs = this.options.reconnectDelayMs;
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(delay: number): void {
    if (this.closed) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.openConnection().then(
        () => {
          this.daemonGone = false;
          this.report('reconnected', 'the linphone-daemon connection is back; reading the calls again');
          this.afterConnect().catch((error: Error) => this.report('sync-failed', error.message));
        },
        (error: Error) => {
          if (error instanceof DaemonNotRunningError) this.onDaemonNotRunning(error.message);
          else this.report('reconnect-failed', error.message);
          const delayNow = this.reconnectDelayMs;
          this.reconnectDelayMs = Math.min(this.reconnectDelayMs * 2, MAX_RECONNECT_DELAY_MS);
          this.scheduleReconnect(delayNow);
        },
      );
    }, delay);
  }

  /** Nothing listens on the socket: the daemon process is gone and every call it had with it. */
  private onDaemonNotRunning(message: string): void {
    if (this.daemonGone) return;
    this.daemonGone = true;
    this.report('daemon-gone', `${message}: its calls are gone`);
    for (const leg of [...this.legsById.values()]) leg.markGone('linphone-daemon stopped; the call is gone');
    this.calls.clear();
    this.ignoredIds.clear();
    this.owedHangUps.clear();
    this.highestId = 0;
  }

  // ---- events -----------------------------------------------------------------------------

  /** Fetches every queued event now, then again after the poll interval. */
  private pollNow(): void {
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.closed || !this.connection?.isOpen) return;
    clearTimeout(this.pollTimer);
    this.polling = true;
    void this.pollRound().finally(() => {
      this.polling = false;
      if (this.closed || !this.connection?.isOpen) return;
      if (this.pollAgain) {
        this.pollAgain = false;
        this.pollNow();
      } else {
        this.pollTimer = setTimeout(() => this.pollNow(), this.options.pollIntervalMs);
      }
    });
  }

  private async pollRound(): Promise<void> {
    try {
      for (let taken = 0; taken < MAX_EVENTS_PER_ROUND; taken += 1) {
        const reply = await this.send('pop-event', ['Size']);
        if (!reply.ok) return;
        const popped = parsePoppedEvent(reply);
        if (popped.event) this.onEvent(popped.event);
        if (!popped.event || popped.remaining === 0) return;
      }
    } catch {
      // A lost connection is handled by onLost; the next round starts after the reconnect.
    }
  }

  private onEvent(event: DaemonEvent): void {
    if (this.closed || event.kind !== 'call-state') return;
    const { id, state, from } = event;
    const known = this.calls.get(id);
    if (known) {
      known.onCallState(id, state);
      return;
    }
    if (this.ignoredIds.has(id)) return;
    this.highestId = Math.max(this.highestId, id);
    // Only a new incoming call starts a leg; other unknown ids are calls someone else placed, or
    // the id of a `call` the daemon refused (it may still report events for it).
    if (state === 'LinphoneCallIncomingReceived') this.addLeg(id, 'incoming', partyFromPeer(from, undefined), 'RINGING');
  }

  /**
   * Reads the calls the daemon has (`call-status` on every known id and a few beyond the highest:
   * there is no call list): known legs catch up, gone calls end their legs, unknown live calls are
   * adopted. A known id whose far end changed belongs to a restarted daemon: the old leg ends.
   */
  private async syncCalls(): Promise<void> {
    const ids = new Set<number>(this.calls.keys());
    for (let id = this.highestId + 1; id <= this.highestId + this.options.probeIds; id += 1) ids.add(id);
    for (const id of [...ids].sort((a, b) => a - b)) {
      const reply = await this.send(`call-status ${id}`, ['State']);
      const known = this.calls.get(id);
      if (!reply.ok) {
        known?.callGone(id, 'the call ended while the linphone-daemon connection was down');
        continue;
      }
      const daemonState = reply.fields.get('State') ?? '';
      const remote = reply.fields.get('From') ?? '';
      const state = callStateOfDaemonState(daemonState);
      this.highestId = Math.max(this.highestId, id);
      if (known && this.sameFarEnd(known, id, remote)) {
        if (state === 'RELEASED') known.callGone(id, 'the call ended while the linphone-daemon connection was down');
        else if (state) known.syncState(id, state, daemonState);
        continue;
      }
      if (known) known.callGone(id, 'linphone-daemon was restarted; the call is gone');
      if (!state || state === 'RELEASED' || this.ignoredIds.has(id)) continue;
      const direction = directionOf(reply.fields.get('Direction'), state);
      this.addLeg(id, direction, partyFromPeer(remote, undefined), state);
    }
  }

  private sameFarEnd(leg: LinphoneLeg, id: number, remote: string): boolean {
    if (id !== leg.mainCallId) return true; // consult calls are checked by their state alone
    return remote === '' || numberFromUri(remote) === leg.mainParty.number;
  }

  private addLeg(id: number, direction: CallDirection, party: { number: string }, state: CallState): LinphoneLeg {
    const leg = new LinphoneLeg(legIdFor(this.nonce, this.epoch, id), id, direction, party, this.legChannel, state);
    this.legsById.set(leg.id, leg);
    this.calls.set(id, leg);
    this.highestId = Math.max(this.highestId, id);
    dropOldEndedLegs(this.legsById, this.options.maxEndedLegs, (ended) => this.forget(ended));
    tellListeners([...this.legListeners], leg, (error) =>
      this.report('listener-threw', `a leg listener threw: ${(error as Error).message}`),
    );
    return leg;
  }

  // ---- what legs need ---------------------------------------------------------------------

  private becameCurrent(leg: LinphoneLeg): void {
    if (this.microphoneMuted === leg.isMuted) return;
    const wanted = leg.isMuted;
    this.send(`call-mute ${wanted ? 1 : 0}`).then(
      (reply) => {
        if (reply.ok) this.microphoneMuted = wanted;
        else this.report('mute-sync-failed', `could not set the microphone for leg ${leg.id}: ${reply.reason}`);
      },
      (error: Error) => this.report('mute-sync-failed', error.message),
    );
  }

  private async setMicrophone(muted: boolean, signal: AbortSignal): Promise<void> {
    const reply = await this.send(`call-mute ${muted ? 1 : 0}`, [], signal);
    if (!reply.ok) throw new Error(`linphone-daemon refused ${muted ? 'mute' : 'unmute'}: ${reply.reason}`);
    this.microphoneMuted = muted;
  }

  private async requireRegistered(what: string, signal: AbortSignal): Promise<void> {
    const reply = await this.send('register-status ALL', [], signal);
    if (!reply.ok || !/State: LinphoneRegistrationOk/.test(reply.body)) {
      throw new Error(
        `${what}: linphone-daemon needs a registered account for conference calls (it crashes when a conference leg ends without one); give the phone an account`,
      );
    }
  }

  /** Registers the configured account unless the daemon already has it registered. */
  private async ensureAccount(): Promise<void> {
    const account = this.options.account;
    if (!account) return;
    const info = await this.send('register-info ALL');
    const already = info.ok && info.body.includes(`Identity: ${account.identity}`);
    if (!already) {
      const words = [account.identity, account.proxy, account.password, account.userid, account.realm].filter(
        (word): word is string => word !== undefined,
      );
      const reply = await this.send(`register ${words.join(' ')}`, ['Id']);
      if (!reply.ok) {
        this.report('register-failed', `linphone-daemon refused to register ${account.identity}: ${reply.reason}`);
        return;
      }
    }
    const deadline = Date.now() + this.options.registerTimeoutMs;
    for (;;) {
      const status = await this.send('register-status ALL');
      if (status.ok && /State: LinphoneRegistrationOk/.test(status.body)) return;
      if (Date.now() >= deadline) {
        this.report('register-failed', `${account.identity} is not registered (${printable(status.body, 120)})`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** `terminate`, answering nothing; owed until the reconnect when it could not reach the daemon. */
  private hangUp(id: number, number: string): void {
    this.send(`terminate ${id}`).catch(() => {
      if (!this.closed) this.owedHangUps.set(id, number);
    });
  }

  /**
   * Hangs up the consult calls given up on while the connection was down, now that it is back:
   * each only when the daemon still has a live call of that id to the same far end (after a
   * daemon restart the id may be another call's). One that cannot be checked stays owed.
   */
  private async hangUpOwed(): Promise<void> {
    for (const [id, number] of [...this.owedHangUps.entries()]) {
      const status = await this.send(`call-status ${id}`, ['State']);
      const state = status.ok ? callStateOfDaemonState(status.fields.get('State') ?? '') : undefined;
      const remote = status.fields.get('From') ?? '';
      if (state !== undefined && state !== 'RELEASED' && (remote === '' || numberFromUri(remote) === number)) {
        const reply = await this.send(`terminate ${id}`);
        this.report('owed-hang-up', `hung up call ${id} to ${number}, given up on while the linphone-daemon connection was down: ${reply.ok ? 'Ok' : reply.reason}`);
      }
      this.owedHangUps.delete(id);
    }
  }

  private forget(leg: LinphoneLeg): void {
    if (this.legsById.get(leg.id) === leg) this.legsById.delete(leg.id);
    for (const id of leg.daemonIds) {
      if (this.calls.get(id) === leg) this.calls.delete(id);
      this.ignore(id);
    }
  }

  private ignore(id: number): void {
    this.ignoredIds.add(id);
  }

  private report(code: string, message: string): void {
    reportDiagnostic(this.options, REPORT_STYLE, code, message);
  }
}

function directionOf(field: string | undefined, state: CallState): CallDirection {
  if (field === 'out' || state === 'DIALING') return 'outgoing';
  return 'incoming';
}
