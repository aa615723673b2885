/**
 * The bridge client: connects to the bridge as soon as it is created, keeps one conversation
 * destination per phone leg, routes every query and request by the last segment of its target
 * (the leg id, protocol.md "Targets") and reconnects after a drop.
 *
 * Responses are owed per connection: a frame received on this connection is answered on this
 * connection, once. A response that completes after its connection closed is not sent on the next
 * one (design.md, "Init and the event queue"); the destination keeps it in its requestId memory.
 */
import { createConversationDestination } from '../destination/index.js';
import { LEG_ID_PATTERN, type TelephonyLeg } from '../phone/types.js';
import { reconnectDelay } from './backoff.js';
import { BoundedMap } from './bounded-map.js';
import { BridgeConnection } from './bridge-connection.js';
import { failureResponse, routableHeader, shortName, type RoutableHeader } from './failure-response.js';
import {
  CLIENT_DEFAULTS,
  type BridgeClientDiagnostic,
  type BridgeClientOptions,
  type ClientDestination,
  type ClientDestinationOptions,
} from './options.js';

export type BridgeClientState = 'connecting' | 'connected' | 'waiting' | 'closed';

export interface BridgeClient {
  /** 'connecting' (an attempt under way), 'connected', 'waiting' (to reconnect), 'closed'. */
  readonly state: BridgeClientState;
  /** Legs that have a destination now. */
  readonly legCount: number;
  /** Called on every state change. Returns an unsubscribe. */
  onStateChange(listener: (state: BridgeClientState) => void): () => void;
  /** Ends the connection and every destination; the phone stays open (its owner closes it). */
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
  readonly disposeResponse: unknown;
}

const LEVELS: Record<string, BridgeClientDiagnostic['level']> = {
  connected: 'info',
  disconnected: 'warn',
  'connect-failed': 'warn',
  reconnecting: 'info',
  'bad-frame': 'warn',
  'frame-too-large': 'error',
  'malformed-header': 'warn',
  'unknown-leg': 'warn',
  'not-implemented': 'warn',
  disposed: 'debug',
  'backpressure-paused': 'warn',
  'backpressure-resumed': 'info',
  'backpressure-timeout': 'error',
  'response-not-owed': 'debug',
  'not-sent': 'debug',
  'send-failed': 'error',
  'bad-leg-id': 'error',
  'leg-let-go': 'info',
  'leg-disposed': 'debug',
  closed: 'info',
  'destination-error': 'error',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function createBridgeClient(options: BridgeClientOptions): BridgeClient {
  const phone = options.phone;
  const highWaterMarkBytes = options.highWaterMarkBytes ?? CLIENT_DEFAULTS.highWaterMarkBytes;
  const backpressureLimitMs = options.backpressureLimitMs ?? CLIENT_DEFAULTS.backpressureLimitMs;
  const releasedGraceMs = options.releasedGraceMs ?? CLIENT_DEFAULTS.releasedGraceMs;
  const makeDestination: (o: ClientDestinationOptions) => ClientDestination = options.createDestination ?? createConversationDestination;

  const legs = new Map<string, LegEntry>();
  const disposed = new BoundedMap<string, DisposedLeg>(options.disposedLegLimit ?? CLIENT_DEFAULTS.disposedLegLimit);
  /** requestId → frames on the current connection still owed a response. */
  let owed = new Map<string, number>();
  let connection: BridgeConnection | undefined;
  let state: BridgeClientState = 'connecting';
  let attempt = 0;
  let failuresInRow = 0;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let closing: Promise<void> | undefined;
  const stateListeners = new Set<(s: BridgeClientState) => void>();

  const where = `${options.host}:${options.port}`;

  const diagnose = (code: string, message: string, extra: { target?: string; legId?: string; level?: BridgeClientDiagnostic['level'] } = {}): void => {
    const level = extra.level ?? LEVELS[code] ?? 'info';
    const d: BridgeClientDiagnostic = {
      code,
      message,
      level,
      ...(extra.target !== undefined && { target: extra.target }),
      ...(extra.legId !== undefined && { legId: extra.legId }),
    };
    try {
      options.onDiagnostic?.(d);
    } catch {
      // A hook's failure must not stop the client.
    }
    const logger = options.logger;
    if (!logger) return;
    const line = `bridge client: ${message}${d.target ? ` [${d.target}]` : d.legId ? ` [leg ${d.legId}]` : ''} (${code})`;
    try {
      if (level === 'debug') logger.debug?.(line);
      else logger[level](line);
    } catch {
      // Same: logging must not throw into the client.
    }
  };

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

  const traffic = (direction: 'bridge→client' | 'client→bridge', message: unknown): void => {
    try {
      options.onTraffic?.({ direction, message });
    } catch {
      // ignored, as above
    }
  };

  /** Every outbound message goes through here: responses only when owed on this connection. */
  const send = (message: unknown): void => {
    const h = isRecord(message) && isRecord(message['header']) ? message['header'] : undefined;
    const target = typeof h?.['target'] === 'string' ? h['target'] : undefined;
    if (!connection?.open) {
      diagnose('not-sent', `${String(h?.['name'])} not sent: not connected to the bridge`, { target });
      return;
    }
    if (h?.['type'] === 'cti.response') {
      const requestId = String(h['requestId']);
      const count = owed.get(requestId) ?? 0;
      if (count === 0) {
        diagnose('response-not-owed', `a response to ${String(h['name'])} (requestId ${requestId}) is not owed on this connection; not sent`, { target });
        return;
      }
      if (count === 1) owed.delete(requestId);
      else owed.set(requestId, count - 1);
    }
    const error = connection.send(message);
    if (error) {
      diagnose('send-failed', `could not send ${String(h?.['name'])}: ${error.message}`, { target });
      return;
    }
    traffic('client→bridge', message);
  };

  const fail = (header: RoutableHeader, code: string, errorMessage: string, legId?: string): void => {
    diagnose(code, errorMessage, { target: header.target, ...(legId !== undefined && { legId }) });
    send(failureResponse(header, errorMessage));
  };

  const route = (message: Record<string, unknown>): void => {
    traffic('bridge→client', message);
    const header = routableHeader(message);
    if (typeof header === 'string') {
      diagnose('malformed-header', `${header}; no response is possible`);
      return;
    }
    owed.set(header.requestId, (owed.get(header.requestId) ?? 0) + 1);
    const request = shortName(header.name);
    const kind = header.name.split('.')[0];
    if (kind !== 'conversation') {
      fail(header, 'not-implemented', `${request}: this client does not implement the ${kind || 'unnamed'} destination (${header.name} is not implemented)`);
      return;
    }
    const legId = header.target.slice(header.target.lastIndexOf('.') + 1);
    const gone = disposed.get(legId);
    if (gone) {
      const replay = gone.disposeResponse;
      if (header.name === 'conversation.request.dispose' && isRecord(replay) && isRecord(replay['header']) && replay['header']['requestId'] === header.requestId) {
        send(replay);
        return;
      }
      fail(header, 'disposed', `${request}: this conversation was disposed (disposed)`, legId);
      return;
    }
    const entry = legs.get(legId);
    if (!entry) {
      fail(header, 'unknown-leg', `${request}: the phone has no call leg "${legId.slice(0, 128)}" (unknown leg)`, legId);
      return;
    }
    try {
      entry.destination.receive(message);
    } catch (error) {
      // The destination promises not to throw; if it does, the bridge still gets its answer.
      fail(header, 'destination-error', `${request}: the client could not handle this request (${String(error)})`, legId);
    }
  };

  const forget = (legId: string, why: 'disposed' | 'let-go'): void => {
    const entry = legs.get(legId);
    if (!entry) return;
    legs.delete(legId);
    clearTimeout(entry.graceTimer);
    try {
      entry.unsubscribe();
    } catch {
      // ignored: the leg is being let go anyway
    }
    if (why === 'disposed') {
      disposed.set(legId, { target: entry.destination.target, disposeResponse: entry.disposeResponse });
      diagnose('leg-disposed', `leg ${legId} disposed; forgotten`, { legId });
    }
    try {
      entry.destination.stop();
    } catch {
      // ignored
    }
  };

  /** A leg released before the bridge ever initialised it is let go after a grace period. */
  const scheduleGrace = (legId: string): void => {
    const entry = legs.get(legId);
    if (!entry || entry.graceTimer || entry.destination.target !== undefined) return;
    entry.graceTimer = setTimeout(() => {
      const current = legs.get(legId);
      if (!current || current.destination.target !== undefined) return;
      forget(legId, 'let-go');
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
    disposed.delete(leg.id);
    const legId = leg.id;
    let entry: LegEntry | undefined;
    let destination: ClientDestination;
    try {
      destination = makeDestination({
        leg,
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
        // The destination's own reports: failures are worth a warning, the rest (dups, ignored events) is detail.
        onDiagnostic: (d) =>
          diagnose(d.code, d.message, { ...(d.target !== undefined && { target: d.target }), legId, level: /fail|threw|error|invalid|bad/.test(d.code) ? 'warn' : 'debug' }),
        onDisposed: () => forget(legId, 'disposed'),
      });
    } catch (error) {
      diagnose('bad-leg-id', `could not create a destination for leg ${legId}: ${String(error)}`, { legId, level: 'error' });
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
    owed = new Map();
    connection = new BridgeConnection(
      {
        host: options.host,
        port: options.port,
        tls: options.tls,
        byteOrder: options.byteOrder,
        maxFrameBytes: options.maxFrameBytes,
        highWaterMarkBytes,
        backpressureLimitMs,
        keepAliveMs: options.keepAliveMs ?? CLIENT_DEFAULTS.keepAliveMs,
      },
      {
        onOpen: () => {
          attempt = 0;
          failuresInRow = 0;
          setState('connected');
          diagnose('connected', `connected to the bridge at ${where}${options.tls ? ' (TLS)' : ''}`);
        },
        onMessage: route,
        onBadFrame: (bad) => diagnose('bad-frame', `the bridge sent a bad frame: ${bad.message}`),
        onFatal: (error) => diagnose('frame-too-large', `the bridge sent an unusable frame: ${error.message}`),
        onBackpressure: (s, bytes) => {
          if (s === 'paused') diagnose('backpressure-paused', `${bytes} bytes wait to be sent; stopped reading from the bridge`);
          else if (s === 'resumed') diagnose('backpressure-resumed', 'the bridge caught up; reading again');
          else diagnose('backpressure-timeout', `the bridge has not read for ${backpressureLimitMs} ms (${bytes} bytes waiting); closing the connection`);
        },
        onClose: (reason, wasOpen) => {
          connection = undefined;
          owed = new Map();
          if (wasOpen) {
            for (const entry of legs.values()) {
              try {
                entry.destination.connectionLost();
              } catch {
                // One destination's trouble must not touch another.
              }
            }
            diagnose('disconnected', `the connection to the bridge at ${where} closed${reason ? `: ${reason}` : ''}`);
          } else if (!closing) {
            failuresInRow++;
            // The first failure and every 20th are worth a warning; the rest would flood the log.
            const level = failuresInRow === 1 || failuresInRow % 20 === 0 ? 'warn' : 'debug';
            const times = failuresInRow > 1 ? ` (${failuresInRow} attempts in a row)` : '';
            diagnose('connect-failed', `could not connect to the bridge at ${where}${reason ? `: ${reason}` : ''}${times}`, { level });
          }
          if (closing) return;
          const delay = reconnectDelay(attempt++, options.reconnect);
          setState('waiting');
          diagnose('reconnecting', `reconnecting in ${delay} ms (attempt ${attempt})`, { level: attempt > 1 ? 'debug' : 'info' });
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
    diagnose('bad-leg-id', `could not list the phone's legs: ${String(error)}`, { level: 'error' });
  }
  connect();

  return {
    get state() {
      return state;
    },
    get legCount() {
      return legs.size;
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
        for (const legId of [...legs.keys()]) forget(legId, 'let-go');
        await connection?.close();
        setState('closed');
        diagnose('closed', 'bridge client closed');
      })();
      return closing;
    },
  };
}
