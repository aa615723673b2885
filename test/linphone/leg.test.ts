/**
 * A linphone leg's conference, driven by a scripted daemon: the test plays the call-state events
 * linphone-daemon 5.1.65 gives (docs/linphone.md, "Conference") and reads the commands the leg
 * sends. Timers are vitest's fake ones, so the consult call's ring timeout is checked to the
 * millisecond without waiting for it.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LinphoneLeg, type LegChannel } from '../../src/adapters/linphone/leg.js';
import { parseReply, type DaemonReply } from '../../src/adapters/linphone/reply.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';

const MAIN = 1;
const CONSULT = 2;
const ANSWER_TIMEOUT_MS = 1000;
const JOIN_TIMEOUT_MS = 5000;

function reply(text: string): DaemonReply {
  const parsed = parseReply(text);
  if (!parsed) throw new Error(`not a reply: ${text}`);
  return parsed;
}

/** The leg's side of the phone: records each command line and answers it Ok (`call` with an id). */
class ScriptedDaemon implements LegChannel {
  readonly sent: string[] = [];
  /** When set, the next `call` waits for this reply (a test fires an abort meanwhile). */
  callReply: Promise<DaemonReply> | undefined;
  onCall: (() => void) | undefined;

  send(line: string): Promise<DaemonReply> {
    this.sent.push(line);
    if (line.startsWith('call ')) {
      this.onCall?.();
      const pending = this.callReply;
      this.callReply = undefined;
      return pending ?? Promise.resolve(reply(`Status: Ok\n\nId: ${CONSULT}\n\n`));
    }
    return Promise.resolve(reply('Status: Ok\n'));
  }
  pumpSoon(): void {}
  toUri(destination: string): string {
    return `sip:${destination}@127.0.0.1:5072`;
  }
  dtmfIntervalMs(): number {
    return 150;
  }
  conferenceJoinTimeoutMs(): number {
    return JOIN_TIMEOUT_MS;
  }
  consultAnswerTimeoutMs(): number {
    return ANSWER_TIMEOUT_MS;
  }
  requireRegistered(): Promise<void> {
    return Promise.resolve();
  }
  /** The phone's hang-up is a `terminate` line here (what it owes after a reconnect is the phone's, tested with a real daemon). */
  hangUp(id: number): void {
    void this.send(`terminate ${id}`);
  }
  attach(): void {}
  detach(): void {}
  becameCurrent(): void {}
  setMicrophone(): Promise<void> {
    return Promise.resolve();
  }
  forget(): void {}
  report(): void {}
}

/** Lets the leg's promise chains run (fake timers do not move). */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
}

describe('a linphone leg conferencing a party', () => {
  let daemon: ScriptedDaemon;
  let leg: LinphoneLeg;
  let recorder: LegRecorder;

  /** Daemon events for one call, in order. */
  async function events(id: number, ...states: string[]): Promise<void> {
    for (const state of states) leg.onCallState(id, `LinphoneCall${state}`);
    await settle();
  }

  /** Places the consult call; the daemon auto-holds the original call and the consult rings. */
  async function consultRinging(): Promise<void> {
    await leg.conference!('carol', never());
    await events(MAIN, 'Pausing', 'Paused');
    await events(CONSULT, 'OutgoingInit', 'OutgoingProgress', 'OutgoingRinging');
  }

  beforeEach(async () => {
    vi.useFakeTimers();
    daemon = new ScriptedDaemon();
    leg = new LinphoneLeg('lp-test', MAIN, 'incoming', { number: 'bob' }, daemon, 'TALKING');
    recorder = new LegRecorder(leg);
    await events(MAIN, 'StreamsRunning');
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('no answer: the consult call is hung up at the ring timeout, not before, and the original call retrieved', async () => {
    await consultRinging();
    expect(daemon.sent).toContain('call sip:carol@127.0.0.1:5072');
    expect(recorder.types).toEqual(['held']);

    await vi.advanceTimersByTimeAsync(ANSWER_TIMEOUT_MS - 1);
    expect(daemon.sent).not.toContain(`terminate ${CONSULT}`);
    expect(recorder.types).toEqual(['held']);

    await vi.advanceTimersByTimeAsync(1);
    expect(daemon.sent.slice(-2)).toEqual([`terminate ${CONSULT}`, `call-resume ${MAIN}`]);
    const failed = await recorder.waitFor('conferenceFailed');
    expect(failed.reason).toMatch(/no answer/);
    expect(failed.reason).toContain(`${ANSWER_TIMEOUT_MS} ms`);

    await events(MAIN, 'Resuming', 'StreamsRunning');
    await events(CONSULT, 'End', 'Released'); // the hung-up call's own end: no longer the leg's
    expect(recorder.types).toEqual(['held', 'conferenceFailed', 'talking']);
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an answer stops the ring timeout: the party joins and nothing is hung up later', async () => {
    await consultRinging();
    await vi.advanceTimersByTimeAsync(ANSWER_TIMEOUT_MS - 1);
    await events(CONSULT, 'Connected', 'StreamsRunning');
    expect(daemon.sent.slice(-2)).toEqual([`conference add ${MAIN}`, `conference add ${CONSULT}`]);
    await events(MAIN, 'Resuming', 'StreamsRunning');
    await events(CONSULT, 'Updating', 'StreamsRunning');
    expect(recorder.types).toEqual(['held', 'partyAdded', 'talking']);
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(10 * JOIN_TIMEOUT_MS);
    expect(daemon.sent).not.toContain(`terminate ${CONSULT}`);
    expect(recorder.types).not.toContain('conferenceFailed');
    expect(leg.snapshot().parties).toEqual([{ number: 'bob' }, { number: 'carol' }]);
  });

  it('a join that times out after the daemon brought the original back into the conference reports talking again', async () => {
    await consultRinging();
    await events(CONSULT, 'Connected', 'StreamsRunning');
    expect(daemon.sent.slice(-2)).toEqual([`conference add ${MAIN}`, `conference add ${CONSULT}`]);
    await events(MAIN, 'Resuming', 'StreamsRunning'); // the original runs again, in the daemon's conference
    const current = vi.spyOn(daemon, 'becameCurrent');
    await vi.advanceTimersByTimeAsync(JOIN_TIMEOUT_MS); // the consult call never re-INVITEs
    expect(current).toHaveBeenCalledWith(leg);
    const failed = await recorder.waitFor('conferenceFailed');
    expect(failed.reason).toMatch(/did not join the calls into a conference in time/);
    expect(daemon.sent).toContain(`terminate ${CONSULT}`);
    await events(CONSULT, 'End', 'Released');
    expect(recorder.types).toEqual(['held', 'conferenceFailed', 'talking']);
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
  });

  for (const [how, state, reason] of [
    ['fails (486, 404, 480: LinphoneCallError)', 'Error', /failed: busy, not found, unavailable or unreachable/],
    ['is declined (603: LinphoneCallEnd)', 'End', /declined/],
  ] as const) {
    it(`a consult call that ${how} reports conferenceFailed at once, retrieves the original and stops the ring timeout`, async () => {
      await consultRinging();
      await events(CONSULT, state, 'Released');
      const failed = await recorder.waitFor('conferenceFailed');
      expect(failed.reason).toMatch(reason);
      expect(daemon.sent.at(-1)).toBe(`call-resume ${MAIN}`);
      expect(vi.getTimerCount()).toBe(0);
      await events(MAIN, 'Resuming', 'StreamsRunning');
      await vi.advanceTimersByTimeAsync(2 * ANSWER_TIMEOUT_MS);
      expect(recorder.types).toEqual(['held', 'conferenceFailed', 'talking']);
      expect(daemon.sent).not.toContain(`terminate ${CONSULT}`);
    });
  }

  it('a consult call that fails while the original is still pausing retrieves it once it is paused', async () => {
    await leg.conference!('carol', never());
    await events(MAIN, 'Pausing');
    await events(CONSULT, 'OutgoingInit', 'Error');
    expect(daemon.sent).not.toContain(`call-resume ${MAIN}`);
    await events(MAIN, 'Paused');
    expect(daemon.sent.at(-1)).toBe(`call-resume ${MAIN}`);
  });

  it('the ring timeout is stopped when the original party hangs up, when the phone closes and on dispose', async () => {
    await consultRinging();
    await events(MAIN, 'End', 'Released');
    expect(recorder.types).toEqual(['held', 'ended']);
    expect(daemon.sent.at(-1)).toBe(`terminate ${CONSULT}`);
    expect(vi.getTimerCount()).toBe(0);

    for (const stop of [(other: LinphoneLeg) => other.stopWaiting('the linphone phone was closed'), (other: LinphoneLeg) => void other.dispose()]) {
      const other = new LinphoneLeg('lp-other', MAIN, 'incoming', { number: 'bob' }, daemon, 'TALKING');
      other.onCallState(MAIN, 'LinphoneCallStreamsRunning');
      await other.conference!('carol', never());
      expect(vi.getTimerCount()).toBe(1);
      stop(other);
      expect(vi.getTimerCount()).toBe(0);
    }
  });

  describe('aborted before the consult call is placed (the abort fires while `call` is in flight)', () => {
    /** Starts conference(), aborts once `call` is sent, then gives the daemon's reply. */
    async function abortedConference(): Promise<unknown> {
      const controller = new AbortController();
      let answer!: (reply: DaemonReply) => void;
      daemon.callReply = new Promise((resolve) => (answer = resolve));
      daemon.onCall = () => controller.abort(new Error('cancelled by release'));
      const outcome = leg.conference!('carol', controller.signal).then(
        () => 'resolved',
        (error: unknown) => error,
      );
      await settle();
      answer(reply(`Status: Ok\n\nId: ${CONSULT}\n\n`));
      return outcome;
    }

    it('hangs the consult call up, and retrieves the original once the daemon has paused it', async () => {
      const outcome = await abortedConference();
      expect(outcome).toBeInstanceOf(Error);
      expect((outcome as Error).message).toBe('cancelled by release');
      expect(daemon.sent.at(-1)).toBe(`terminate ${CONSULT}`);
      // The daemon paused the original call when it placed the consult call; the events come
      // only now (they are fetched after the reply). call-resume before Paused is refused.
      await events(MAIN, 'Pausing');
      expect(daemon.sent).not.toContain(`call-resume ${MAIN}`);
      await events(MAIN, 'Paused');
      expect(daemon.sent.at(-1)).toBe(`call-resume ${MAIN}`);
      expect(leg.snapshot().state).toBe('HELD');
      await events(MAIN, 'Resuming', 'StreamsRunning');
      expect(recorder.types).toEqual(['held', 'talking']);
      expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
      expect(recorder.types).not.toContain('conferenceFailed');
      expect(vi.getTimerCount()).toBe(0);
    });

    it('retrieves the original even when an older StreamsRunning of it was still queued', async () => {
      await abortedConference();
      await events(MAIN, 'StreamsRunning', 'Pausing', 'Paused');
      expect(daemon.sent.at(-1)).toBe(`call-resume ${MAIN}`);
    });

    it('retrieves the original at once when it was already held', async () => {
      leg.onCallState(MAIN, 'LinphoneCallPaused');
      expect(leg.snapshot().state).toBe('HELD');
      await abortedConference();
      expect(daemon.sent.slice(-2)).toEqual([`terminate ${CONSULT}`, `call-resume ${MAIN}`]);
    });

    it('does not undo a hold the agent asks for meanwhile', async () => {
      await abortedConference();
      const held = leg.hold(never());
      await settle();
      expect(daemon.sent.at(-1)).toBe(`call-pause ${MAIN}`);
      await events(MAIN, 'Pausing', 'Paused');
      await held;
      expect(leg.snapshot().state).toBe('HELD');
      expect(daemon.sent).not.toContain(`call-resume ${MAIN}`);
    });

    it('a new conference right after takes over: its consult call ringing keeps the original held', async () => {
      await abortedConference();
      await leg.conference!('dave', never());
      await events(MAIN, 'Pausing', 'Paused');
      await events(CONSULT, 'OutgoingInit', 'OutgoingProgress', 'OutgoingRinging');
      expect(daemon.sent).not.toContain(`call-resume ${MAIN}`);
      expect(leg.snapshot().state).toBe('HELD');
    });

    it('does not retrieve the original on a later pause once it has come back by itself', async () => {
      await abortedConference();
      await events(MAIN, 'Pausing', 'StreamsRunning');
      // The daemon pausing it later (another call answered, say) is not this conference's doing.
      await events(MAIN, 'Pausing', 'Paused');
      expect(daemon.sent).not.toContain(`call-resume ${MAIN}`);
    });
  });
});
