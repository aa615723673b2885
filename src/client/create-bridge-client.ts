/**
 * The bridge client: connects to the bridge as soon as it is created, keeps one conversation
 * destination per phone leg, routes every query and request by the last segment of its target
 * (the leg id) and reconnects after a drop.
 *
 * Responses are owed per connection: a frame received on this connection is answered on this
 * connection, once. A response that completes after its connection closed is not sent on the next
 * one; the destination keeps it in its requestId memory (docs/contract.md).
 *
 * Everything a bridge can make grow is bounded client-wide (limits.ts, RELIABILITY.md); each bound
 * hit is counted in `counters`.
 */
import { createConversationDestination, SignalPool } from '../destination/index.js';
import { LEG_ID_PATTERN, type TelephonyLeg } from '../phone/types.js';
import { createTraceRecorder } from '../trace/recorder.js';
import { reconnectDelay } from './backoff.js';
import { showText } from '../log/index.js';
import { formatHostPort } from '../log/host-port.js';
import { BoundedMap } from '../phone/bounded-map.js';
import { BridgeConnection } from './bridge-connection.js';
import { createReporter } from './client-log.js';
import { failureResponse, nameWithinLimit, requestLabel, routableHeader, type RoutableHeader } from './failure-response.js';
import { newCounters, resolveLimits, type BridgeClientCounters } from './limits.js';
import { trafficRecord } from './records.js';
import {
  CLIENT_DEFAULTS,
  verificationOff,
  type BridgeClientOptions,
  type ClientDestination,
  type ClientDestinationOptions,
} from './options.js';
import { PendingFrames } from './pending.js';
import { HEADER_NAME_LIMIT } from '../../generated/catalogue.js';
import { DEFAULTS as CONVERSATION_DEFAULTS, delayMs } from '../../machines/context.js';
import { validateOutbound } from '../../generated/validators.js';

/**
 * Where the client's connection stands: `connecting` (an attempt under way; the state at
 * creation), `connected`, `waiting` (for the back-off before the next attempt) or `closed` (after
 * close(); final). Read it as `client.state`, hear each change with `onStateChange`.
 */
export type BridgeClientState = 'connecting' | 'connected' | 'waiting' | 'closed';

/**
 * A running bridge client, as createBridgeClient returns it: a few gauges to read and close().
 * It works by itself from creation on (connects, serves the phone's legs, reconnects); there is
 * nothing to start. Its getters never throw.
 */
export interface BridgeClient {
  /** 'connecting' (an attempt under way), 'connected', 'waiting' (to reconnect), 'closed'. */
  readonly state: BridgeClientState;
  /** Legs that have a destination now. */
  readonly legCount: number;
  /** Disposed (and let-go) legs still remembered, so that a late request gets "disposed". */
  readonly disposedCount: number;
  /** Frames of this connection read and not yet answered, and their bytes. */
  readonly pending: { readonly frames: number; readonly bytes: number };
  /** How often each bound was hit, and what went through (a copy). */
  readonly counters: Readonly<BridgeClientCounters>;
  /** Called on every state change. Returns an unsubscribe. */
  onStateChange(listener: (state: BridgeClientState) => void): () => void;
  /**
   * Ends the connection and every destination, stops reconnecting and flushes a recording; the
   * phone stays open (its owner closes it). Resolves when all is closed; calling it again gives
   * the same promise.
   */
  close(): Promise<void>;
}

interface LegEntry {
  readonly leg: TelephonyLeg;
  readonly destination: ClientDestination;
  readonly unsubscribe: () => void;
  graceTimer?: NodeJS.Timeout;
  disposeResponse?: unknown;
}

interface DisposedLeg {
  readonly target: string | undefined;
  /** The SUCCESS that answered the dispose, replayed to a repeat of that same dispose. */
  readonly disposeResponse: unknown;
  /** Let go without a dispose: any later dispose there gets SUCCESS. */
  readonly letGo: boolean;
}

/** True when the name's first segment is `conversation`, without splitting the name. */
function ofConversation(name: string): boolean {
  const dot = name.indexOf('.');
  return dot === -1 ? name === 'conversation' : dot === 12 && name.startsWith('conversation');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** What a disposed entry costs, roughly: its strings (two bytes a character) and a fixed part. */
function disposedBytes(legId: string, target: string | undefined, response: unknown): number {
  const h = isRecord(response) && isRecord(response['header']) ? response['header'] : undefined;
  const text = (value: unknown): number => (typeof value === 'string' ? value.length : 0);
  return 2 * (legId.length + text(target) + text(h?.['target']) + text(h?.['requestId']) + text(h?.['name'])) + 256;
}

/**
 * Creates a bridge client and starts it: it connects to the bridge at once (TCP, or TLS with
 * `tls`), gives every leg of `options.phone` a conversation destination, routes each query and
 * request by the last segment of its target (the leg id), answers what it cannot route itself
 * (unknown leg, not implemented, disposed, busy), and reconnects with back-off after a drop,
 * re-syncing every leg through the bridge's init. Defaults: BridgeClientOptions, CLIENT_DEFAULTS,
 * LIMIT_DEFAULTS; what each limit does: RELIABILITY.md.
 *
 * Throws only what Node throws at once for options it cannot use (a port outside 0-65535 is a
 * RangeError; a TLS certificate or key it cannot read), and what the phone's `onLeg` throws.
 * Everything later (a bridge it cannot reach, bad frames, a destination or phone
 * that fails, a recording that stops) is a diagnostic (`onDiagnostic`, `logger`), never an
 * exception or an unhandled rejection.
 *
 * @example
 * import { createBridgeClient } from 'cti-conversation/client';
 * import { SimulatedPhone } from 'cti-conversation';
 *
 * const phone = new SimulatedPhone();
 * const client = createBridgeClient({ host: '127.0.0.1', port: 7001, phone, logger: console });
 * client.onStateChange((state) => console.log('bridge:', state));
 * // … later
 * await client.close();
 * await phone.close();
 */
export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const phone = options.phone;
  const highWaterMarkBytes = options.highWaterMarkBytes ?? CLIENT_DEFAULTS.highWaterMarkBytes;
  // Timer lengths as the destinations read theirs: a bad one is the default, a longer one than a timer takes is capped.
  const backpressureLimitMs = delayMs(options.backpressureLimitMs, CLIENT_DEFAULTS.backpressureLimitMs);
  const releasedGraceMs = delayMs(options.releasedGraceMs, CLIENT_DEFAULTS.releasedGraceMs);
  // The destinations' grace for an ended, initialised leg never disposed (read as they read it).
  const letGoAfterMs = delayMs(options.destination?.letGoAfterMs, CONVERSATION_DEFAULTS.letGoAfterMs);
  const limits = resolveLimits(options.limits, options.disposedLegLimit);
  const makeDestination: (o: ClientDestinationOptions) => ClientDestination = options.createDestination ?? createConversationDestination;
  const insecure = verificationOff(options.tls);
  // One pool of unheard abort signals for every leg (see SignalPool).
  const signalPool = new SignalPool();

  const legs = new Map<string, LegEntry>();
  const disposed = new BoundedMap<string, DisposedLeg>(limits.disposedLegs, limits.disposedBytes);
  const pending = new PendingFrames();
  const counters = newCounters();
  let connection: BridgeConnection | undefined;
  let state: BridgeClientState = 'connecting';
  let attempt = 0;
  let failuresInRow = 0;
  let firstFailureAt = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const stateListeners = new Set<(s: BridgeClientState) => void>();
  const { clock: _clock, ...recordedSettings } = options.destination ?? {};
  const recording = typeof options.record === 'string' ? { file: options.record } : options.record;
  const recorder =
    recording && createTraceRecorder({ onError: (error) => diagnose('record-failed', `recording to ${recording.file} stopped: ${error.message}`, { level: 'error' }), ...recording }, recordedSettings);

  const where = formatHostPort(options.host, options.port);
  const reporter = createReporter({
    ...(options.logger !== undefined && { logger: options.logger }),
    ...(options.logLevel !== undefined && { logLevel: options.logLevel }),
    ...(options.onDiagnostic !== undefined && { onDiagnostic: options.onDiagnostic }),
  });
  const diagnose = reporter.report;
  /** Someone hears diagnostics; without one, destinations' reports are only counted, never passed on. */
  const listening = options.onDiagnostic !== undefined || options.logger !== undefined;
  /**
   * The bounds a destination hits report themselves as diagnostics (rare paths: a request answered
   * SUCCESS reports nothing), counted here whether or not anyone listens. One hook for every leg
   * when nobody listens; a leg's own hook counts too when someone does.
   */
  const countBound = (code: string): boolean => {
    switch (code) {
      case 'queue-full':
        counters.queueBusy++;
        return true;
      case 'request-memory-full':
        counters.requestMemoryFull++;
        return true;
      case 'pre-init-queue-full':
        counters.preInitOverflows++;
        return true;
      case 'one-shot-events-dropped':
        counters.oneShotOverflows++;
        return true;
      case 'earlier-target-forgotten':
        counters.earlierTargetsForgotten++;
        return true;
      default:
        return false;
    }
  };
  const countOnly = (d: { code: string }): void => void countBound(d.code);

  const setState = (next: BridgeClientState): void => {
    if (state === next) return;
    state = next;
    for (const listener of stateListeners) {
      try {
        listener(next);
      } catch {
        // ignored, as above
      }
    }
  };

  /** Present only when someone listens (a recorder or onTraffic): otherwise no traffic record is built. */
  const onTraffic = options.onTraffic;
  const traffic =
    onTraffic !== undefined || recorder
      ? (direction: 'bridge→client' | 'client→bridge', message: unknown): void => {
          recorder?.traffic(direction, message);
          if (onTraffic === undefined) return;
          try {
            onTraffic(trafficRecord(direction, message));
          } catch {
            // ignored, as above
          }
        }
      : undefined;

  /** Every outbound message goes through here: responses only when owed on this connection. */
  const send = (message: unknown): void => {
    const h = isRecord(message) && isRecord(message['header']) ? message['header'] : undefined;
    const target = typeof h?.['target'] === 'string' ? h['target'] : undefined;
    // The message's name is shown only when something went wrong: a diagnostic string is built
    // on the rare path, never per message sent.
    if (!connection?.open) {
      counters.notSent++;
      diagnose('not-sent', `${showText(h?.['name'])} not sent: not connected to the bridge`, { target });
      return;
    }
    if (h?.['type'] === 'cti.response' && !pending.settle(String(h['requestId']))) {
      counters.notSent++;
      diagnose('response-not-owed', `a response to ${showText(h?.['name'])} (requestId ${showText(h['requestId'])}) is not owed on this connection; not sent`, { target });
      return;
    }
    const error = connection.send(message);
    if (error) {
      counters.sendFailures++;
      diagnose('send-failed', `could not send ${showText(h?.['name'])}: ${showText(error.message, 200)}`, { target });
      return;
    }
    counters.framesOut++;
    traffic?.('client→bridge', message);
  };

  const fail = (header: RoutableHeader, code: string, errorMessage: string, legId?: string): void => {
    diagnose(code, errorMessage, { target: header.target, ...(legId !== undefined && { legId }) });
    send(failureResponse(header, errorMessage));
  };

  const route = (message: Record<string, unknown>, bytes: number): void => {
    counters.framesIn++;
    traffic?.('bridge→client', message);
    const header = routableHeader(message);
    if (typeof header === 'string') {
      counters.unroutable++;
      diagnose('malformed-header', `${header}; no response is possible`);
      return;
    }
    // Owed from here on: every path below answers exactly once, now or when the leg is done.
    pending.add(header.requestId, bytes);
    if (!nameWithinLimit(header.name)) {
      counters.namesTooLong++;
      fail(header, 'name-too-long', `header.name must be ${HEADER_NAME_LIMIT.minLength} to ${HEADER_NAME_LIMIT.maxLength} characters long (it has ${header.name.length}): "${showText(header.name)}"`);
      return;
    }
    // Strings for failures (the quoted short name among them) are built only on the failure paths.
    const request = (): string => requestLabel(header.name);
    if (pending.frames > limits.pendingFrames || pending.bytes > limits.pendingBytes) {
      counters.busy++;
      fail(header, 'busy', `${request()}: the client is busy (${pending.frames - 1} frames, ${pending.bytes - bytes} bytes unanswered); try again later (busy)`);
      return;
    }
    if (!ofConversation(header.name)) {
      const dot = header.name.indexOf('.');
      const kind = dot === -1 ? header.name : header.name.slice(0, dot);
      fail(header, 'not-implemented', `${request()}: this client does not implement the ${showText(kind) || 'unnamed'} destination (${showText(header.name)} is not implemented)`);
      return;
    }
    const legId = header.target.slice(header.target.lastIndexOf('.') + 1);
    const gone = disposed.get(legId);
    if (gone) {
      const isDispose = header.name === 'conversation.request.dispose';
      const replay = gone.disposeResponse;
      if (isDispose && isRecord(replay) && isRecord(replay['header']) && replay['header']['requestId'] === header.requestId) {
        send(replay);
        return;
      }
      if (isDispose && gone.letGo) {
        // The client let go of the leg itself; the bridge's dispose finds it done. A SUCCESS must
        // fit the catalogue (a target or requestId over its limit gets the FAILURE saying so).
        const success = validateOutbound({ header: { type: 'cti.response', name: header.name, target: header.target, requestId: header.requestId, result: 'SUCCESS' }, body: {} });
        if (success.ok) send(success.message);
        else fail(header, 'bad-header', `${request()}: ${success.errors[0]?.path ?? 'header'} ${success.errors[0]?.message ?? 'does not fit the catalogue'}`, legId);
        return;
      }
      fail(header, 'disposed', `${request()}: this conversation was disposed (disposed)`, legId);
      return;
    }
    const entry = legs.get(legId);
    if (!entry) {
      fail(header, 'unknown-leg', `${request()}: the phone has no call leg "${showText(legId)}" (unknown leg)`, showText(legId));
      return;
    }
    try {
      entry.destination.receive(message);
    } catch (error) {
      // The destination promises not to throw; if it does, the bridge still gets its answer.
      fail(header, 'destination-error', `${request()}: the client could not handle this request (${showText(String(error), 200)})`, legId);
    }
  };

  const rememberDisposed = (legId: string, value: DisposedLeg): void => {
    const before = disposed.evicted;
    disposed.set(legId, value, disposedBytes(legId, value.target, value.disposeResponse));
    const forgotten = disposed.evicted - before;
    if (forgotten > 0) {
      counters.disposedForgotten += forgotten;
      diagnose('disposed-forgotten', `${forgotten} disposed leg(s) forgotten to keep the disposed set within ${limits.disposedLegs} legs and ${limits.disposedBytes} bytes`);
    }
  };

  /**
   * Forgets a leg. 'disposed': the bridge disposed it. 'let-go': the destination let go of an
   * ended leg the bridge never disposed (its target stays, so a late dispose gets SUCCESS).
   * 'dropped': a leg never initialised, or the client closing (nothing to remember).
   */
  const forget = (legId: string, why: 'disposed' | 'let-go' | 'dropped'): void => {
    const entry = legs.get(legId);
    if (!entry) return;
    legs.delete(legId);
    recorder?.legForgotten(legId, why);
    clearTimeout(entry.graceTimer);
    try {
      entry.unsubscribe();
    } catch {
      // ignored: the leg is being let go anyway
    }
    if (why === 'disposed') {
      rememberDisposed(legId, { target: entry.destination.target, disposeResponse: entry.disposeResponse, letGo: false });
      diagnose('leg-disposed', `leg ${legId} disposed; forgotten`, { legId });
    } else if (why === 'let-go') {
      counters.legsLetGo++;
      rememberDisposed(legId, { target: entry.destination.target, disposeResponse: undefined, letGo: true });
      diagnose('leg-let-go', `leg ${legId} ended and the bridge did not dispose it within the grace period; let go`, { legId });
    }
    try {
      entry.destination.stop();
    } catch {
      // ignored
    }
  };

  /**
   * A leg that ended is let go after a grace period unless the bridge disposes it first. Released
   * before the bridge ever initialised it: after releasedGraceMs, here. Initialised: the
   * destination lets go of it after its own grace (letGoAfterMs), and this timer of the same length
   * is the backstop for the one case the destination cannot see: the connection dropped and the
   * bridge never initialised the leg again, so the end waits in the destination's pre-init queue
   * and its chart never reaches RELEASED. Whichever comes first forgets the leg; the other finds
   * nothing to do.
   */
  const scheduleGrace = (legId: string): void => {
    const entry = legs.get(legId);
    if (!entry || entry.graceTimer) return;
    if (entry.destination.target !== undefined) {
      entry.graceTimer = setTimeout(() => {
        if (legs.get(legId) === entry) forget(legId, 'let-go');
      }, letGoAfterMs);
      entry.graceTimer.unref?.();
      return;
    }
    entry.graceTimer = setTimeout(() => {
      const current = legs.get(legId);
      if (current !== entry) return;
      if (current.destination.target !== undefined) {
        // Initialised during the grace: from now on the initialised leg's grace applies.
        current.graceTimer = undefined;
        scheduleGrace(legId);
        return;
      }
      forget(legId, 'dropped');
      counters.legsLetGo++;
      current.leg.dispose().catch(() => undefined);
      diagnose('leg-let-go', `leg ${legId} ended and was never initialised by the bridge within ${releasedGraceMs} ms; let go`, { legId });
    }, releasedGraceMs);
    entry.graceTimer.unref?.();
  };

  const addLeg = (leg: TelephonyLeg): void => {
    if (closing || legs.has(leg.id)) return;
    if (typeof leg.id !== 'string' || !LEG_ID_PATTERN.test(leg.id)) {
      diagnose('bad-leg-id', `the phone reported a leg whose id does not match ${LEG_ID_PATTERN}; it cannot be addressed`);
      return;
    }
    if (legs.size >= limits.legs) {
      counters.legsRefused++;
      diagnose('leg-limit', `leg ${leg.id} not served: the client already serves ${limits.legs} legs (limits.legs)`, { legId: leg.id });
      return;
    }
    disposed.delete(leg.id);
    const legId = leg.id;
    let entry: LegEntry | undefined;
    let destination: ClientDestination;
    try {
      const recorded = recorder?.leg(leg);
      destination = makeDestination({
        leg: recorded?.leg ?? leg,
        ...(recorded && { tap: recorded.tap }),
        ...options.destination,
        ...(options.inspect && { inspect: options.inspect.observerFor(legId) }),
        send: (message) => {
          const h = message.header as Record<string, unknown>;
          if (h['name'] === 'conversation.request.dispose' && h['type'] === 'cti.response' && h['result'] === 'SUCCESS') {
            const current = legs.get(legId);
            if (current) current.disposeResponse = message;
          }
          send(message);
        },
        // The destination's own reports: failures and bounds hit are worth a warning, the rest
        // (dups, ignored events) is detail. Counted always; passed on only when someone listens.
        onDiagnostic: listening
          ? (d: { code: string; message: string; target?: string }) => {
              const bound = countBound(d.code);
              diagnose(d.code, d.message, { ...(d.target !== undefined && { target: d.target }), legId, level: bound || /fail|threw|error|invalid|bad/.test(d.code) ? 'warn' : 'debug' });
            }
          : countOnly,
        onDisposed: () => forget(legId, 'disposed'),
        onLetGo: () => forget(legId, 'let-go'),
        signalPool,
      });
    } catch (error) {
      diagnose('bad-leg-id', `could not create a destination for leg ${legId}: ${showText(String(error), 200)}`, { legId, level: 'error' });
      return;
    }
    let unsubscribe: () => void = () => undefined;
    try {
      unsubscribe = leg.subscribe((event) => {
        if (event.type === 'ended' || event.type === 'busy' || event.type === 'failed') scheduleGrace(legId);
      });
    } catch {
      // The destination subscribes on its own; the grace period is a nicety.
    }
    entry = { leg, destination, unsubscribe };
    legs.set(legId, entry);
    try {
      if (leg.snapshot().state === 'RELEASED') scheduleGrace(legId);
    } catch {
      // ignored: a leg whose snapshot throws is the destination's concern
    }
  };

  const connect = (): void => {
    setState('connecting');
    pending.clear();
    if (insecure) {
      // Every attempt, not once: a log read later must show it for each connection it made.
      diagnose('tls-unverified', `TLS certificate verification is OFF for ${where} (insecureSkipVerify / rejectUnauthorized: false): anyone on the path can read and change the traffic`);
    }
    connection = new BridgeConnection(
      {
        host: options.host,
        port: options.port,
        tls: options.tls,
        byteOrder: options.byteOrder,
        maxFrameBytes: options.maxFrameBytes,
        highWaterMarkBytes,
        backpressureLimitMs,
        maxUnsentBytes: limits.unsentBytes,
        keepAliveMs: options.keepAliveMs ?? CLIENT_DEFAULTS.keepAliveMs,
      },
      {
        onOpen: () => {
          if (failuresInRow > 0) {
            const seconds = Math.round((Date.now() - firstFailureAt) / 1000);
            diagnose('reconnecting', `reached the bridge after ${failuresInRow} failed attempt(s) over ${seconds} s`);
          }
          attempt = 0;
          failuresInRow = 0;
          counters.connections++;
          setState('connected');
          recorder?.connectionOpened();
          diagnose('connected', `connected to the bridge at ${where}${options.tls ? (insecure ? ' (TLS, certificate NOT verified)' : ' (TLS)') : ''}`);
        },
        onMessage: route,
        onBadFrame: (bad) => {
          counters.badFrames++;
          diagnose('bad-frame', `the bridge sent a bad frame: ${bad.message}`);
        },
        onFatal: (error) => {
          counters.framesTooLarge++;
          diagnose('frame-too-large', `the bridge sent an unusable frame: ${error.message}`);
        },
        onBackpressure: (s, bytes) => {
          if (s === 'paused') {
            counters.backpressurePauses++;
            diagnose('backpressure-paused', `${bytes} bytes wait to be sent; stopped reading from the bridge`);
          } else if (s === 'resumed') diagnose('backpressure-resumed', 'the bridge caught up; reading again');
          else if (s === 'timed-out') {
            counters.backpressureTimeouts++;
            diagnose('backpressure-timeout', `the bridge has not read for ${backpressureLimitMs} ms (${bytes} bytes waiting); closing the connection`);
          } else {
            counters.unsentOverflows++;
            diagnose('unsent-overflow', `${bytes} bytes wait to be sent, over the limit of ${limits.unsentBytes} (limits.unsentBytes); closing the connection, the reconnect re-syncs every leg`);
          }
        },
        onClose: (reason, wasOpen) => {
          connection = undefined;
          pending.clear();
          const why = reason ? `: ${showText(reason, 200)}` : '';
          if (wasOpen) {
            recorder?.connectionLost(reason);
            for (const entry of legs.values()) {
              try {
                entry.destination.connectionLost();
              } catch {
                // One destination's trouble must not touch another.
              }
            }
            diagnose('disconnected', `the connection to the bridge at ${where} closed${why}`);
          } else if (!closing) {
            counters.connectFailures++;
            if (failuresInRow === 0) firstFailureAt = Date.now();
            failuresInRow++;
          }
          if (closing) return;
          const delay = reconnectDelay(attempt++, options.reconnect);
          setState('waiting');
          if (!wasOpen) {
            // The first failure and every 10th (and then every 100th) say so at warn level, with
            // the back-off: a client that cannot reach its bridge is never silent for long.
            const loud = failuresInRow === 1 || (failuresInRow <= 100 ? failuresInRow % 10 === 0 : failuresInRow % 100 === 0);
            const seconds = Math.round((Date.now() - firstFailureAt) / 1000);
            const times = failuresInRow > 1 ? `; ${failuresInRow} attempts failed over ${seconds} s` : '';
            diagnose('connect-failed', `could not connect to the bridge at ${where}${why}${times}; next attempt in ${delay} ms`, { level: loud ? 'warn' : 'debug' });
          } else {
            diagnose('reconnecting', `reconnecting in ${delay} ms (attempt ${attempt})`);
          }
          reconnectTimer = setTimeout(() => {
            reconnectTimer = undefined;
            if (!closing) connect();
          }, delay);
        },
      },
    );
  };

  const stopListening = phone.onLeg((leg) => {
    try {
      addLeg(leg);
    } catch {
      // addLeg reports its own trouble; nothing may throw into the phone
    }
  });
  try {
    for (const leg of phone.legs()) addLeg(leg);
  } catch (error) {
    diagnose('bad-leg-id', `could not list the phone's legs: ${showText(String(error), 200)}`, { level: 'error' });
  }
  connect();

  return {
    get state() {
      return state;
    },
    get legCount() {
      return legs.size;
    },
    get disposedCount() {
      return disposed.size;
    },
    get pending() {
      return { frames: pending.frames, bytes: pending.bytes };
    },
    get counters() {
      return { ...counters, logLinesSuppressed: reporter.suppressed };
    },
    onStateChange(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closing ??= (async () => {
        clearTimeout(reconnectTimer);
        try {
          stopListening();
        } catch {
          // ignored
        }
        for (const legId of [...legs.keys()]) forget(legId, 'dropped');
        await connection?.close();
        await recorder?.close();
        setState('closed');
        diagnose('closed', 'bridge client closed');
      })();
      return closing;
    },
  };
}
