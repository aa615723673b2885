/**
 * One CTI leg over one or more linphone-daemon calls. The leg's main call is the agent's call
 * with its first party; a conference adds consult calls, which the daemon mixes locally once each
 * has been added, so the bridge still sees one leg that lists every party (docs/linphone.md,
 * "Conference"). The leg's state follows the daemon's call-state events, never command replies:
 * several replies are wrong (`conference add` answers "Command failed" when it worked).
 */
import { abortError, pause } from '../../phone/abort.js';
import { mutedAfter, stateAfter } from '../../phone/leg-view.js';
import { numberFromUri } from '../../phone/sip-party.js';
import { StateWaits } from '../../phone/state-waits.js';
import { tellListeners } from '../../phone/tell-listeners.js';
import type { CallState, LegSnapshot, Party, PhoneEvent, PhoneEventListener, TelephonyLeg } from '../../phone/types.js';
import { ENDING_STATES } from './events.js';
import { COMMAND_WORD } from './options.js';
import type { DaemonReply } from './reply.js';

export type CallDirection = 'incoming' | 'outgoing';

/** What a leg needs from its phone. */
export interface LegChannel {
  /** Sends one command line; not sent at all when `signal` fires before its turn. */
  send(line: string, expect?: readonly string[], signal?: AbortSignal): Promise<DaemonReply>;
  /** Fetches queued events now rather than at the next poll. */
  pumpSoon(): void;
  toUri(destination: string): string;
  dtmfIntervalMs(): number;
  conferenceJoinTimeoutMs(): number;
  /** How long a consult call may ring before the phone gives up on it (no answer). */
  consultAnswerTimeoutMs(): number;
  /** Rejects when the daemon has no registered account (conference legs then crash it). */
  requireRegistered(what: string, signal: AbortSignal): Promise<void>;
  /**
   * Hangs up the leg's consult call `id` to `number`, answering nothing. When the daemon cannot be
   * told now (the connection is down), the phone hangs it up once the connection is back, if the
   * daemon still has a live call `id` to that number: the far end must not ring on for ever.
   */
  hangUp(id: number, number: string): void;
  /** Routes the events of daemon call `id` to `leg` (consult calls), or stops doing so. */
  attach(id: number, leg: LinphoneLeg): void;
  detach(id: number): void;
  /** The leg has become the daemon's current call: put the global microphone switch to its flag. */
  becameCurrent(leg: LinphoneLeg): void;
  setMicrophone(muted: boolean, signal: AbortSignal): Promise<void>;
  forget(leg: LinphoneLeg): void;
  report(code: string, message: string): void;
}

const S = {
  connected: 'LinphoneCallConnected',
  running: 'LinphoneCallStreamsRunning',
  pausing: 'LinphoneCallPausing',
  paused: 'LinphoneCallPaused',
  pausedByRemote: 'LinphoneCallPausedByRemote',
  updating: 'LinphoneCallUpdating',
  error: 'LinphoneCallError',
} as const;

const DTMF_DIGITS = /^[0-9*#A-Da-d]{1,64}$/;
const DISSOLVE_WAIT_MS = 5000;

/** A consult call placed by conference(): calling, then joining the conference, then joined. */
interface Consult {
  readonly id: number;
  readonly party: Party;
  phase: 'calling' | 'joining' | 'joined';
  lastState: string;
  addsSent: boolean;
  sawUpdating: boolean;
  /** The ring timeout while calling, the join timeout while joining. */
  timer: NodeJS.Timeout | undefined;
}

export class LinphoneLeg implements TelephonyLeg {
  private state: CallState;
  private muted = false;
  private answered: boolean;
  private parties: Party[];
  private readonly consults = new Map<number, Consult>();
  private mainState = '';
  private releasing = false;
  private transferring = false;
  private transferHeldByRemote = false;
  /** The agent left a running conference (`conference leave`): the leg is HELD, the others talk on. */
  private agentLeft = false;
  /**
   * The original call must come back once the daemon has paused it: a consult call failed while
   * the original was still pausing, or a conference was aborted while its `call` was in flight
   * (the daemon's auto-hold of the original shows only after the reply). Dropped when the agent
   * holds, retrieves or conferences, and when the pause did not happen after all.
   */
  private resumeWanted = false;
  /**
   * The last party left: the daemon dissolves the conference and re-INVITEs the main call
   * (Updating, then StreamsRunning); until then the call refuses hold. Operations wait for it.
   */
  private dissolving: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<PhoneEventListener>();
  private readonly waits = new StateWaits();
  private disposed = false;
  private endedWith: ((reason: string) => void) | undefined;
  /** Resolves with a sentence once the call has ended or the phone closed (cuts waits short). */
  readonly gone: Promise<string>;

  constructor(
    readonly id: string,
    private mainId: number,
    readonly direction: CallDirection,
    party: Party,
    private readonly channel: LegChannel,
    initialState?: CallState,
  ) {
    this.state = initialState ?? (direction === 'incoming' ? 'RINGING' : 'DIALING');
    this.answered = this.state === 'TALKING' || this.state === 'HELD';
    this.parties = [party];
    this.gone = new Promise((resolve) => (this.endedWith = resolve));
  }

  get ended(): boolean {
    return this.state === 'RELEASED';
  }

  /** The daemon ids of every call of this leg (main first). */
  get daemonIds(): number[] {
    return [this.mainId, ...this.consults.keys()];
  }

  get mainCallId(): number {
    return this.mainId;
  }

  get mainParty(): Party {
    return this.parties[0]!;
  }

  get isMuted(): boolean {
    return this.muted;
  }

  /** Whether a party has joined through the daemon's local conference. */
  get inConference(): boolean {
    return [...this.consults.values()].some((consult) => consult.phase === 'joined');
  }

  snapshot(): LegSnapshot {
    return { state: this.state, parties: [...this.parties], muted: this.muted };
  }

  subscribe(listener: PhoneEventListener): () => void {
    if (!this.disposed) this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- events from the daemon -------------------------------------------------------------

  /** A `call-state-changed` event for one of this leg's calls. */
  onCallState(id: number, daemonState: string): void {
    if (this.ended) return;
    if (id === this.mainId) this.onMainState(daemonState);
    else {
      const consult = this.consults.get(id);
      if (consult) this.onConsultState(consult, daemonState);
    }
  }

  private onMainState(daemonState: string): void {
    const before = this.mainState;
    this.mainState = daemonState;
    switch (daemonState) {
      case S.connected:
      case S.running:
        // Running again straight from Pausing: the pause did not happen, there is nothing to get back.
        // (A running event from before the pause does not count: it can still be queued behind a `call`.)
        if (daemonState === S.running && before === S.pausing) this.resumeWanted = false;
        if (daemonState === S.running && this.dissolving) this.dissolved();
        if (this.transferring && this.transferHeldByRemote && daemonState === S.running) {
          // The transferee came back to us instead of ending the call: its new call failed.
          this.transferring = false;
          this.transferHeldByRemote = false;
          this.apply({ type: 'transferFailed', reason: 'the transfer target did not take the call' });
        }
        if (this.state === 'RINGING' || this.state === 'DIALING') {
          this.answered = true;
          this.apply({ type: 'talking' });
        } else if (this.heldForConference()) {
          this.apply({ type: 'talking' });
        }
        if (daemonState === S.running) this.currentIfAlone();
        this.checkJoins();
        return;
      case S.paused:
        if (this.state === 'TALKING' && !this.inConference) this.apply({ type: 'held' });
        if (this.resumeWanted) this.resumeMainWhenPaused();
        return;
      case S.pausedByRemote:
        if (this.transferring) this.transferHeldByRemote = true;
        return;
      default:
        if (ENDING_STATES.has(daemonState)) this.mainEnded(daemonState);
    }
  }

  private mainEnded(daemonState: string): void {
    this.resumeWanted = false;
    const joined = [...this.consults.values()].find((consult) => consult.phase === 'joined');
    if (joined && !this.releasing) {
      // The first party left a conference: the leg carries on with the next one as its main call.
      const left = this.parties[0]!;
      this.channel.detach(this.mainId);
      this.consults.delete(joined.id);
      this.mainId = joined.id;
      this.mainState = joined.lastState;
      this.parties = this.parties.slice(1);
      this.apply({ type: 'partyRemoved', number: left.number });
      return;
    }
    this.dropConsults();
    if (this.transferring) this.apply({ type: 'ended', reason: 'transferred' });
    else if (!this.answered && this.direction === 'outgoing' && !this.releasing) {
      if (daemonState === S.error) {
        this.apply({
          type: 'failed',
          reason: 'the call failed: busy, not found, unavailable or unreachable (linphone-daemon gives no SIP status)',
        });
      } else this.apply({ type: 'busy' }); // the far end declined the call while it rang
    } else this.apply({ type: 'ended' });
  }

  private onConsultState(consult: Consult, daemonState: string): void {
    consult.lastState = daemonState;
    const ending = ENDING_STATES.has(daemonState);
    switch (consult.phase) {
      case 'calling':
        if (daemonState === S.connected || daemonState === S.running) {
          consult.phase = 'joining';
          void this.join(consult);
        } else if (ending) {
          this.consultFailed(
            consult,
            daemonState === S.error
              ? 'the conference call failed: busy, not found, unavailable or unreachable'
              : 'the conference call was declined or ended before it was answered',
          );
        }
        return;
      case 'joining':
        if (daemonState === S.updating) consult.sawUpdating = true;
        if (ending) this.consultFailed(consult, 'the consulted party left before the conference was joined');
        else this.checkJoins();
        return;
      case 'joined':
        if (ending) this.partyLeft(consult);
        return;
    }
  }

  /** Adds both calls to the daemon's local conference; the replies are unreliable, the states tell. */
  private async join(consult: Consult): Promise<void> {
    clearTimeout(consult.timer); // the ring timeout: the party answered
    consult.timer = setTimeout(
      () => this.abandon(consult, 'linphone-daemon did not join the calls into a conference in time'),
      this.channel.conferenceJoinTimeoutMs(),
    );
    try {
      for (const id of [this.mainId, consult.id]) {
        const reply = await this.channel.send(`conference add ${id}`);
        this.channel.report('conference-add', `conference add ${id}: ${reply.ok ? 'Ok' : reply.reason} (not relied on)`);
      }
      consult.addsSent = true;
      this.channel.pumpSoon();
      this.checkJoins();
    } catch (error) {
      this.abandon(consult, `the conference could not be set up: ${(error as Error).message}`);
    }
  }

  private joinPending(): boolean {
    return [...this.consults.values()].some((consult) => consult.phase === 'joining');
  }

  private checkJoins(): void {
    for (const consult of this.consults.values()) {
      if (
        consult.phase === 'joining' &&
        consult.addsSent &&
        consult.sawUpdating &&
        consult.lastState === S.running &&
        this.mainState === S.running
      ) {
        clearTimeout(consult.timer);
        consult.phase = 'joined';
        this.parties.push(consult.party);
        this.apply({ type: 'partyAdded', party: consult.party });
        if (this.state === 'HELD' && !this.agentLeft) this.apply({ type: 'talking' });
      }
    }
  }

  /** Gives up on a consult call not (yet) in the conference: hangs it up and gets the original back. */
  private abandon(consult: Consult, reason: string): void {
    if (this.consults.get(consult.id) !== consult || consult.phase === 'joined' || this.ended) return;
    this.hangUpQuietly(consult);
    this.consultFailed(consult, reason);
  }

  private consultFailed(consult: Consult, reason: string): void {
    clearTimeout(consult.timer);
    this.consults.delete(consult.id);
    this.channel.detach(consult.id);
    this.apply({ type: 'conferenceFailed', reason });
    this.resumeMainWhenPaused();
    // After `conference add` the daemon may already have brought the original back (running, in
    // its conference): no pause or resume of it will follow, so the leg is talking again now.
    if (this.mainState === S.running && this.heldForConference()) {
      this.apply({ type: 'talking' });
      this.currentIfAlone();
    }
  }

  /** HELD by a conference (not by the agent) with no join pending: a running original talks again. */
  private heldForConference(): boolean {
    return this.state === 'HELD' && !this.agentLeft && !this.joinPending();
  }

  /** A talking call with no consult calls is the daemon's current call again. */
  private currentIfAlone(): void {
    if (this.state === 'TALKING' && this.consults.size === 0) this.channel.becameCurrent(this);
  }

  private partyLeft(consult: Consult): void {
    this.consults.delete(consult.id);
    this.channel.detach(consult.id);
    const index = this.parties.indexOf(consult.party);
    if (index >= 0) this.parties.splice(index, 1);
    if (this.consults.size === 0) {
      // Bounded: should the daemon not re-INVITE, the leg carries on after a few seconds.
      this.dissolving = setTimeout(() => this.dissolved(), DISSOLVE_WAIT_MS);
    }
    this.apply({ type: 'partyRemoved', number: consult.party.number });
  }

  private dissolved(): void {
    clearTimeout(this.dissolving);
    this.dissolving = undefined;
    // The daemon dissolved a conference left with one party: the main call is current again.
    if (this.state === 'TALKING') this.channel.becameCurrent(this);
    this.waits.notify();
  }

  /** Waits until a conference left by its last party has become a plain call again. */
  private settled(signal: AbortSignal): Promise<void> {
    return this.until(() => this.dissolving === undefined || this.ended, signal);
  }

  /**
   * Gets the original call back: now if it is paused, else once its Paused event comes. The daemon
   * refuses to resume a call until it is paused. `pauseComing` is for a conference aborted while its
   * `call` was in flight: the daemon paused the original to place the consult call, but the events
   * saying so come after the reply, so the call may still read as running here. Otherwise only a
   * call already pausing is waited for.
   */
  private resumeMainWhenPaused(pauseComing = false): void {
    if (this.agentLeft || this.ended) return;
    if (this.mainState === S.paused) this.resumeMain();
    else this.resumeWanted = pauseComing || this.mainState === S.pausing;
  }

  private resumeMain(): void {
    this.resumeWanted = false;
    this.channel.send(`call-resume ${this.mainId}`).then(
      () => this.channel.pumpSoon(),
      (error: Error) => this.channel.report('resume-failed', `could not retrieve the original call: ${error.message}`),
    );
  }

  private dropConsults(): void {
    for (const consult of this.consults.values()) {
      clearTimeout(consult.timer);
      this.channel.detach(consult.id);
      if (!ENDING_STATES.has(consult.lastState)) this.hangUpQuietly(consult);
    }
    this.consults.clear();
  }

  private hangUpQuietly(consult: Consult): void {
    this.channel.hangUp(consult.id, consult.party.number);
  }

  /** A state read with `call-status` after a (re)connect: catch up with it. */
  syncState(id: number, state: CallState, daemonState: string): void {
    if (this.ended) return;
    if (id !== this.mainId) {
      const consult = this.consults.get(id);
      if (consult && daemonState !== consult.lastState) this.onConsultState(consult, daemonState);
      return;
    }
    this.mainState = daemonState;
    if (state === this.state || state === 'RINGING' || state === 'DIALING') return;
    if (state === 'TALKING' || this.state === 'RINGING' || this.state === 'DIALING') {
      this.answered = true;
      if (!(this.state === 'HELD' && this.agentLeft)) this.apply({ type: 'talking' });
    }
    if (state === 'HELD' && this.state === 'TALKING') this.apply({ type: 'held' });
  }

  /** One of the leg's calls is gone without an event (lost while disconnected, or the daemon died). */
  callGone(id: number, reason: string): void {
    if (this.ended) return;
    const consult = this.consults.get(id);
    if (consult) {
      this.onConsultState(consult, 'LinphoneCallEnd');
      return;
    }
    if (id === this.mainId) this.markGone(reason);
  }

  markGone(reason: string): void {
    if (this.ended) return;
    clearTimeout(this.dissolving);
    this.dissolving = undefined;
    this.dropConsults();
    this.apply({ type: 'ended', reason });
  }

  /** Updates the snapshot first, then tells the listeners. */
  private apply(event: PhoneEvent): void {
    if (this.ended) return;
    this.state = stateAfter(this.state, event);
    this.muted = mutedAfter(this.muted, event);
    tellListeners([...this.listeners], event, (error) =>
      this.channel.report('listener-threw', `a listener of leg ${this.id} threw: ${(error as Error).message}`),
    );
    if (this.state === 'RELEASED') {
      clearTimeout(this.dissolving);
      this.dissolving = undefined;
      this.endedWith?.('the call has ended');
    }
    this.waits.notify();
  }

  /** The phone closed: nothing more will be heard of this call, so nothing waits for it. */
  stopWaiting(reason: string): void {
    this.waits.stop(reason);
    clearTimeout(this.dissolving);
    for (const consult of this.consults.values()) clearTimeout(consult.timer);
    this.endedWith?.(reason);
    this.waits.notify();
  }

  /** Resolves once `test` passes; rejects when `signal` fires or the phone closes first. */
  private until(test: () => boolean, signal: AbortSignal): Promise<void> {
    return this.waits.until(test, signal, () => this.channel.pumpSoon());
  }

  // ---- operations -------------------------------------------------------------------------

  private async run(line: string, what: string, signal: AbortSignal, expect: readonly string[] = []): Promise<DaemonReply> {
    if (signal.aborted) throw abortError(signal);
    if (this.ended) throw new Error(`${what}: the call has ended`);
    const reply = await this.channel.send(line, expect, signal);
    if (!reply.ok) throw new Error(`linphone-daemon refused ${what}${reply.reason ? `: ${reply.reason}` : ''}`);
    return reply;
  }

  async answer(signal: AbortSignal): Promise<void> {
    await this.run(`answer ${this.mainId}`, 'answer', signal);
    await this.until(() => this.state !== 'RINGING', signal);
    if (this.ended) throw new Error('the call ended before it was answered');
  }

  async release(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (this.ended) return;
    this.releasing = true;
    for (const consult of this.consults.values()) this.hangUpQuietly(consult);
    try {
      await this.run(`terminate ${this.mainId}`, 'release', signal);
    } catch (error) {
      if (signal.aborted) throw error;
      if (/no call with such id/i.test((error as Error).message)) this.markGone('the call was already gone');
      else if (!this.ended) throw error;
    }
    await this.until(() => this.ended, signal);
  }

  async hold(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (this.state === 'HELD') return;
    await this.settled(signal);
    this.resumeWanted = false; // the agent wants it held: the phone no longer gets it back by itself
    if (this.inConference) {
      // A conference leg cannot be paused; leaving the conference keeps the others talking.
      await this.run(`conference leave ${this.mainId}`, 'hold (leaving the conference)', signal);
      this.agentLeft = true;
      this.apply({ type: 'held' });
      return;
    }
    await this.run(`call-pause ${this.mainId}`, 'hold', signal);
    await this.until(() => this.state !== 'TALKING', signal);
  }

  async retrieve(signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (this.state === 'TALKING') return;
    if (this.agentLeft) {
      await this.run(`conference enter ${this.mainId}`, 'retrieve (entering the conference)', signal);
      this.agentLeft = false;
      this.apply({ type: 'talking' });
      return;
    }
    for (const consult of [...this.consults.values()]) {
      if (consult.phase !== 'joined') {
        this.hangUpQuietly(consult);
        clearTimeout(consult.timer);
        this.consults.delete(consult.id);
        this.channel.detach(consult.id);
        this.apply({ type: 'conferenceFailed', reason: 'the conference call was cancelled by retrieve' });
      }
    }
    this.resumeWanted = false;
    await this.run(`call-resume ${this.mainId}`, 'retrieve', signal);
    await this.until(() => this.state !== 'HELD', signal);
  }

  mute(signal: AbortSignal): Promise<void> {
    return this.setMuted(true, signal);
  }

  unmute(signal: AbortSignal): Promise<void> {
    return this.setMuted(false, signal);
  }

  /**
   * The daemon's microphone switch is global, unreadable and eventless: the leg keeps its own
   * flag, sets the switch while it is the current (talking) call, and reports the change itself.
   * A held leg only keeps the flag; the switch follows when the leg is current again.
   */
  private async setMuted(wanted: boolean, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (this.ended) throw new Error(`${wanted ? 'mute' : 'unmute'}: the call has ended`);
    if (this.muted === wanted) return;
    if (this.consults.size > 0) {
      throw new Error(`${wanted ? 'mute' : 'unmute'}: not possible in a conference (linphone-daemon has no current call to mute)`);
    }
    await this.settled(signal);
    if (this.state === 'TALKING') await this.channel.setMicrophone(wanted, signal);
    this.apply({ type: wanted ? 'muted' : 'unmuted' });
  }

  transfer(destination: string, signal: AbortSignal): Promise<void> {
    return this.withUri('transfer', destination, signal, async (uri) => {
      if (this.consults.size > 0) throw new Error('transfer: not possible in a conference');
      await this.settled(signal);
      await this.run(`call-transfer ${this.mainId} ${uri}`, 'transfer', signal);
      this.transferring = true;
      this.transferHeldByRemote = false;
    });
  }

  /**
   * Places the consult call and resolves once it is placed (a person may take longer to answer
   * than any request deadline). The daemon holds the main call meanwhile; the answer joins both
   * calls into the local conference (partyAdded, then talking). No answer within the ring timeout
   * (consultAnswerTimeoutMs), a decline or a failure ends the consult call, gives the main call back
   * and reports conferenceFailed (docs/linphone.md, "Conference").
   */
  conference(destination: string, signal: AbortSignal): Promise<void> {
    return this.withUri('conference', destination, signal, async (uri) => {
      if (this.state !== 'TALKING' && this.state !== 'HELD') throw new Error(`conference: not possible while the call is ${this.state}`);
      if (this.agentLeft) throw new Error('conference: retrieve the call first (the agent has left the conference)');
      if ([...this.consults.values()].some((consult) => consult.phase !== 'joined')) {
        throw new Error('conference: another party is already being called');
      }
      await this.channel.requireRegistered('conference', signal);
      // This call will pause the original (the daemon's auto-hold); what happens next is this consult's.
      this.resumeWanted = false;
      const reply = await this.run(`call ${uri}`, 'the conference call', signal, ['Id']);
      const id = Number(reply.fields.get('Id'));
      if (!Number.isSafeInteger(id) || id < 1) throw new Error('conference: linphone-daemon gave no call id');
      const consult: Consult = {
        id,
        party: { number: numberFromUri(uri) },
        phase: 'calling',
        lastState: '',
        addsSent: false,
        sawUpdating: false,
        timer: undefined,
      };
      this.consults.set(id, consult);
      this.channel.attach(id, this);
      if (signal.aborted || this.ended) {
        this.consults.delete(id);
        this.channel.detach(id);
        this.hangUpQuietly(consult);
        this.resumeMainWhenPaused(true);
        throw signal.aborted ? abortError(signal) : new Error('conference: the call has ended');
      }
      // The far end may ring for ever (no PBX in between to give up): no answer is the phone's call.
      const ringMs = this.channel.consultAnswerTimeoutMs();
      consult.timer = setTimeout(() => this.abandon(consult, `no answer: the conference call was not answered within ${ringMs} ms`), ringMs);
      this.channel.pumpSoon();
    });
  }

  /** Ends that party's call; the others stay in the conference (or back to one call). */
  async removeParty(number: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    const consult = [...this.consults.values()].find((candidate) => candidate.phase === 'joined' && candidate.party.number === number);
    const id = consult?.id ?? (this.inConference && this.parties[0]?.number === number ? this.mainId : undefined);
    if (id === undefined) throw new Error('removeparty: that number is not a party of this conference');
    await this.channel.requireRegistered('removeparty', signal);
    await this.run(`terminate ${id}`, 'removeparty', signal);
    await this.until(() => this.ended || !this.parties.some((party) => party.number === number), signal);
    await this.settled(signal);
  }

  /** One digit per command (the daemon sends only the first), paced; resolves after the last has had its time. */
  async sendDtmf(digits: string, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (!DTMF_DIGITS.test(digits)) throw new Error('senddtmf: digits may hold only 0-9, *, # and A-D');
    if (this.state !== 'TALKING') throw new Error(`senddtmf: not possible while the call is ${this.state}`);
    if (this.consults.size > 0) throw new Error('senddtmf: not possible in a conference (linphone-daemon sends no DTMF there)');
    await this.settled(signal);
    for (const digit of digits) {
      await this.run(`dtmf ${digit}`, 'senddtmf', signal);
      await pause(this.channel.dtmfIntervalMs(), signal, this.gone);
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.listeners.clear();
    for (const consult of this.consults.values()) clearTimeout(consult.timer);
    this.channel.forget(this);
  }

  private async withUri(what: string, destination: string, signal: AbortSignal, work: (uri: string) => Promise<void>): Promise<void> {
    if (signal.aborted) throw abortError(signal);
    if (!COMMAND_WORD.test(destination)) throw new Error(`${what}: the destination must be 1-256 printable characters without spaces`);
    const uri = this.channel.toUri(destination);
    if (typeof uri !== 'string' || !COMMAND_WORD.test(uri)) throw new Error(`${what}: toUri gave something that is not a single printable word`);
    await work(uri);
  }
}
