/**
 * The bridge's side of the wire: a TCP (or TLS) server that accepts a client, sends it init
 * queries and requests with fresh GUIDs, resolves each with its response, collects the events per
 * target and checks the traffic against the invariants of docs/contract.md (see ConformanceChecker).
 *
 * Every send goes to the newest open connection. A request whose connection closes before the
 * response rejects with BridgeConnectionClosedError (the response is no longer owed).
 */
import { buildInboundMessage } from '../../generated/builders.js';
import { CATALOGUE, isMessageName, type InboundMessageName } from '../../generated/catalogue.js';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { attachFrameSocket, DEFAULT_MAX_FRAME_BYTES, encodeFrame, OUTBOUND_HEADROOM_BYTES, type ByteOrder, type FrameSocket } from '../wire/index.js';
import { ConformanceChecker, type OutboundValidator } from './conformance-checker.js';
import type { ExpectedModel, FoldedModel } from './fold-events.js';
import type { ConformanceReport } from './report.js';

/**
 * createBridgeSimulator's options: where to listen (default 127.0.0.1, a free port), TLS, framing
 * and timeouts.
 */
export interface BridgeSimulatorOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 0: the system picks a free port (read it from `simulator.port`). */
  readonly port?: number;
  /** Serve TLS with this key and certificate (PEM). */
  readonly tls?: {
    readonly key: string | Buffer;
    readonly cert: string | Buffer;
    /** Authorities a client certificate must come from (with requestCert). */
    readonly ca?: string | Buffer;
    /** Ask every client for a certificate and refuse those without a valid one (mutual TLS). */
    readonly requestCert?: boolean;
  };
  readonly byteOrder?: ByteOrder;
  /** Largest frame accepted from the client; default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** Reject a request whose response has not come after this long; default: wait as long as it takes. */
  readonly responseTimeoutMs?: number;
  /** Replaces the generated outbound validator (tests of the checker itself). */
  readonly validate?: OutboundValidator;
}

/** A message as it travels: `{ header, body }`. */
export interface WireMessage {
  readonly header: {
    readonly type: string;
    readonly name: string;
    readonly target: string;
    readonly requestId?: string;
    readonly result?: 'SUCCESS' | 'FAILURE';
    readonly errorMessage?: string;
    readonly [key: string]: unknown;
  };
  readonly body: Record<string, unknown>;
}

/**
 * One thing the simulator saw: a message either way, a bad frame, or a connection opening or
 * closing.
 */
export type TrafficEntry =
  | { readonly direction: 'bridge→client'; readonly connection: number; readonly message: unknown }
  | { readonly direction: 'client→bridge'; readonly connection: number; readonly message: unknown }
  | { readonly direction: 'client→bridge'; readonly connection: number; readonly problem: string }
  | { readonly direction: 'connection'; readonly connection: number; readonly event: 'opened' | 'closed' };

/** Per request: its requestId (default a fresh UUID) and how long to wait for the response. */
export interface RequestOptions {
  /** Reuse a requestId (to test replay); default a fresh GUID. */
  readonly requestId?: string;
  readonly responseTimeoutMs?: number;
}

/** A request's connection closed before its response came (the response is no longer owed). */
export class BridgeConnectionClosedError extends Error {
  constructor(readonly requestName: string, readonly target: string) {
    super(`the client connection closed before the response to ${requestName} on ${target}`);
    this.name = 'BridgeConnectionClosedError';
  }
}

/** No response came within the response timeout. */
export class BridgeResponseTimeoutError extends Error {
  constructor(readonly requestName: string, readonly target: string, readonly timeoutMs: number) {
    super(`no response to ${requestName} on ${target} within ${timeoutMs} ms`);
    this.name = 'BridgeResponseTimeoutError';
  }
}

/**
 * The bridge's side of the wire: send queries and requests to the connected client and await their
 * responses, await its events, and read the conformance report.
 */
export interface BridgeSimulator {
  readonly host: string;
  readonly port: number;
  /** A client is connected now. */
  readonly connected: boolean;
  /** Connections accepted so far. */
  readonly connectionCount: number;
  /** Resolves once `count` connections (default 1) have been accepted and one is open. */
  waitForConnection(count?: number): Promise<void>;
  /** Sends conversation.query.init; resolves with the response. */
  init(target: string, options?: RequestOptions): Promise<WireMessage>;
  /** Sends a request (`'hold'` means conversation.request.hold; a dotted name is sent as is). */
  request(target: string, name: string, body?: Record<string, unknown>, options?: RequestOptions): Promise<WireMessage>;
  /** Sends any message; resolves with the response when it has a requestId, else at once with undefined. */
  send(message: unknown, options?: Pick<RequestOptions, 'responseTimeoutMs'>): Promise<WireMessage | undefined>;
  /**
   * Sends several messages as one byte stream, written in pieces cut at the given byte offsets
   * (none: one write holding every frame), to test a client's framing; resolves with each response
   * (undefined for a message that awaits none).
   */
  sendSplit(
    messages: readonly unknown[],
    splitAt?: readonly number[],
    options?: Pick<RequestOptions, 'responseTimeoutMs'>,
  ): Promise<(WireMessage | undefined)[]>;
  /** Writes raw bytes to the client (garbage, hand-made frames). */
  sendBytes(bytes: Uint8Array): void;
  /** Events received on a target, all connections, in order. */
  events(target: string): readonly WireMessage[];
  /** Event names on a target, without the `conversation.` prefix. */
  eventNames(target: string): string[];
  /** Resolves with the first event named `name` (short or full) at index `from` or later. */
  waitForEvent(target: string, name: string, from?: number): Promise<WireMessage>;
  /** Resolves once the target has at least `count` events. */
  waitForEvents(target: string, count: number): Promise<readonly WireMessage[]>;
  /** Resolves once `condition` holds; it is checked after every message and connection change. */
  waitUntil(condition: () => boolean): Promise<void>;
  /** Invariant 3: compares the fold of the wire with the leg's real model; returns the problems. */
  checkModel(target: string, expected: ExpectedModel): string[];
  folded(target: string): FoldedModel | undefined;
  /** Every frame both ways and every connection change, as they happen. Returns an unsubscribe. */
  onTraffic(listener: (entry: TrafficEntry) => void): () => void;
  /** Closes the current client connection (the bridge "drops" it); resolves once it is closed. */
  dropConnection(): Promise<void>;
  /** Stops reading from the client (its writes back up) / starts again. */
  pauseReading(): void;
  resumeReading(): void;
  report(): ConformanceReport;
  /** Closes every connection and the server. */
  close(): Promise<void>;
}

interface Pending {
  readonly name: string;
  readonly target: string;
  readonly connection: number;
  readonly resolve: (message: WireMessage) => void;
  readonly reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

interface Connection {
  readonly id: number;
  readonly socket: net.Socket;
  readonly frames: FrameSocket;
  open: boolean;
}

export function fullName(name: string): string {
  if (name.includes('.')) return name;
  return name === 'init' ? 'conversation.query.init' : `conversation.request.${name}`;
}

function eventName(name: string): string {
  return name.includes('.') && name.startsWith('conversation.') ? name : `conversation.${name}`;
}

/**
 * Starts a bridge simulator listening for a client and resolves once it listens.
 * @throws (a rejection) when it cannot listen on the address given.
 */
export async function createBridgeSimulator(options: BridgeSimulatorOptions = {}): Promise<BridgeSimulator> {
  const checker = new ConformanceChecker(options.validate);
  // The client's answers may exceed the frame limit by the headroom (src/wire/frame-options.ts).
  const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  const frameOptions = { byteOrder: options.byteOrder, maxFrameBytes: maxFrameBytes + OUTBOUND_HEADROOM_BYTES, maxSendBytes: maxFrameBytes };
  const connections: Connection[] = [];
  const pending = new Map<string, Pending[]>();
  const eventsByTarget = new Map<string, WireMessage[]>();
  const trafficListeners = new Set<(entry: TrafficEntry) => void>();
  type Waiter = { condition: () => boolean; resolve: () => void };
  /** Waiters on no particular target (checked after every message) and per target (after its own). */
  let waiters: Waiter[] = [];
  const targetWaiters = new Map<string, Waiter[]>();
  let paused = false;

  const emit = (entry: TrafficEntry): void => {
    for (const listener of trafficListeners) {
      try {
        listener(entry);
      } catch {
        // A listener's failure must not stop the simulator.
      }
    }
  };
  const settle = (list: Waiter[]): Waiter[] => {
    const still: Waiter[] = [];
    for (const w of list) {
      let done = false;
      try {
        done = w.condition();
      } catch {
        done = false;
      }
      if (done) w.resolve();
      else still.push(w);
    }
    return still;
  };
  const wake = (target?: string): void => {
    if (waiters.length > 0) waiters = settle(waiters);
    const own = target === undefined ? undefined : targetWaiters.get(target);
    if (own) {
      const still = settle(own);
      if (still.length) targetWaiters.set(target!, still);
      else targetWaiters.delete(target!);
    }
  };
  const waitUntil = (condition: () => boolean, target?: string): Promise<void> =>
    new Promise((resolve) => {
      if (condition()) return resolve();
      if (target === undefined) waiters.push({ condition, resolve });
      else targetWaiters.set(target, [...(targetWaiters.get(target) ?? []), { condition, resolve }]);
    });
  const current = (): Connection | undefined => {
    for (let i = connections.length - 1; i >= 0; i--) if (connections[i]!.open) return connections[i];
    return undefined;
  };

  const onClientMessage = (connection: Connection, message: Record<string, unknown>): void => {
    emit({ direction: 'client→bridge', connection: connection.id, message });
    checker.clientSent(connection.id, message);
    const h = message['header'] as Record<string, unknown> | undefined;
    let target: string | undefined;
    if (h && typeof h === 'object') {
      target = typeof h['target'] === 'string' ? h['target'] : undefined;
      if (h['type'] === 'cti.event' && target) {
        const list = eventsByTarget.get(target) ?? [];
        list.push(message as unknown as WireMessage);
        eventsByTarget.set(target, list);
      } else if (h['type'] === 'cti.response' && typeof h['requestId'] === 'string') {
        const queue = pending.get(h['requestId']);
        const index = queue ? queue.findIndex((p) => p.connection === connection.id) : -1;
        if (queue && index >= 0) {
          const [p] = queue.splice(index, 1);
          if (queue.length === 0) pending.delete(h['requestId']);
          clearTimeout(p!.timer);
          p!.resolve(message as unknown as WireMessage);
        }
      }
    }
    wake(target);
  };

  const onConnection = (socket: net.Socket): void => {
    const id = connections.length + 1;
    socket.setNoDelay(true);
    let connection: Connection;
    const frames = attachFrameSocket(
      socket,
      {
        onMessage: (message) => onClientMessage(connection, message),
        onBadFrame: (bad) => {
          checker.clientBadFrame(id, bad);
          emit({ direction: 'client→bridge', connection: id, problem: bad.message });
          wake();
        },
        onFatal: (error) => {
          checker.clientFatal(id, error);
          emit({ direction: 'client→bridge', connection: id, problem: error.message });
        },
      },
      frameOptions,
    );
    connection = { id, socket, frames, open: true };
    connections.push(connection);
    checker.connectionOpened(id);
    if (paused) socket.pause();
    socket.on('error', () => {
      // 'close' follows; a reset by the client is part of what the simulator is for.
    });
    socket.on('close', () => {
      connection.open = false;
      checker.connectionClosed(id);
      for (const [requestId, queue] of pending) {
        const kept = queue.filter((p) => {
          if (p.connection !== id) return true;
          clearTimeout(p.timer);
          p.reject(new BridgeConnectionClosedError(p.name, p.target));
          return false;
        });
        if (kept.length === 0) pending.delete(requestId);
        else pending.set(requestId, kept);
      }
      emit({ direction: 'connection', connection: id, event: 'closed' });
      wake();
    });
    emit({ direction: 'connection', connection: id, event: 'opened' });
    wake();
  };

  const server = options.tls
    ? tls.createServer(
        {
          key: options.tls.key,
          cert: options.tls.cert,
          ca: options.tls.ca,
          requestCert: options.tls.requestCert ?? false,
          rejectUnauthorized: options.tls.requestCert ?? false,
        },
        onConnection,
      )
    : net.createServer(onConnection);
  // A TLS handshake that fails never becomes a connection; nothing to record.
  server.on('tlsClientError', () => undefined);
  // Every raw socket, handshake done or not, so close() never waits on a lingering peer.
  const rawSockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    rawSockets.add(socket);
    socket.once('close', () => rawSockets.delete(socket));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as net.AddressInfo).port;

  const describe = (message: unknown) => {
    const h = (typeof message === 'object' && message !== null ? (message as Record<string, unknown>)['header'] : undefined) as
      | Record<string, unknown>
      | undefined;
    const requestId = typeof h?.['requestId'] === 'string' ? h['requestId'] : undefined;
    return {
      name: typeof h?.['name'] === 'string' ? h['name'] : '(no name)',
      target: typeof h?.['target'] === 'string' ? h['target'] : '(no target)',
      requestId,
      awaitsResponse: requestId !== undefined && (h?.['type'] === 'cti.query' || h?.['type'] === 'cti.request'),
    };
  };

  /**
   * Records a message just written and, for a query or request, waits for its response. Called
   * after the write: a frame that could not go out is owed nothing, and the response cannot come
   * before this returns (socket reads are asynchronous).
   */
  const track = (connection: Connection, message: unknown, timeoutMs: number | undefined): Promise<WireMessage | undefined> => {
    const { name, target, requestId, awaitsResponse } = describe(message);
    checker.bridgeSent(connection.id, message);
    emit({ direction: 'bridge→client', connection: connection.id, message });
    if (!awaitsResponse || requestId === undefined) return Promise.resolve(undefined);
    return new Promise<WireMessage>((resolve, reject) => {
      const entry: Pending = { name, target, connection: connection.id, resolve, reject };
      if (timeoutMs && timeoutMs > 0) {
        entry.timer = setTimeout(() => {
          const queue = pending.get(requestId) ?? [];
          const index = queue.indexOf(entry);
          if (index >= 0) queue.splice(index, 1);
          if (queue.length === 0) pending.delete(requestId);
          reject(new BridgeResponseTimeoutError(name, target, timeoutMs));
        }, timeoutMs);
      }
      const queue = pending.get(requestId) ?? [];
      queue.push(entry);
      pending.set(requestId, queue);
    });
  };

  const send = (message: unknown, timeoutMs = options.responseTimeoutMs): Promise<WireMessage | undefined> => {
    const connection = current();
    const { name, target } = describe(message);
    if (!connection) return Promise.reject(new Error(`no client is connected to send ${name} on ${target}`));
    const written = connection.frames.send(message);
    if (written instanceof Error) return Promise.reject(new Error(`${name} on ${target} could not be sent: ${written.message}`));
    return track(connection, message, timeoutMs);
  };

  const sendSplit = (
    messages: readonly unknown[],
    splitAt: readonly number[] = [],
    timeoutMs = options.responseTimeoutMs,
  ): Promise<(WireMessage | undefined)[]> => {
    const connection = current();
    if (!connection) return Promise.reject(new Error('no client is connected'));
    let stream: Buffer;
    try {
      stream = Buffer.concat(messages.map((m) => encodeFrame(m, frameOptions)));
    } catch (error) {
      return Promise.reject(new Error(`the messages could not be framed: ${error instanceof Error ? error.message : String(error)}`));
    }
    const cuts = [...new Set(splitAt.filter((c) => c > 0 && c < stream.length))].sort((a, b) => a - b);
    let from = 0;
    for (const cut of [...cuts, stream.length]) {
      connection.frames.sendBytes(stream.subarray(from, cut));
      from = cut;
    }
    return Promise.all(messages.map((m) => track(connection, m, timeoutMs)));
  };

  const sendFresh = (target: string, name: string, body: Record<string, unknown>, opts: RequestOptions = {}) => {
    const full = fullName(name);
    const requestId = opts.requestId ?? randomUUID();
    // A catalogue name's header comes from the generated builders; the body is sent as given, and
    // any other name as asked (a simulator must be able to send what a broken bridge would).
    const header =
      isMessageName(full) && CATALOGUE[full].direction === 'inbound'
        ? buildInboundMessage(full as InboundMessageName, target, requestId, {} as never).header
        : { type: full.includes('.query.') ? 'cti.query' : 'cti.request', name: full, target, requestId };
    const message = { header, body };
    return send(message, opts.responseTimeoutMs ?? options.responseTimeoutMs) as Promise<WireMessage>;
  };

  const events = (target: string): readonly WireMessage[] => eventsByTarget.get(target) ?? [];

  return {
    host,
    port,
    get connected() {
      return current() !== undefined;
    },
    get connectionCount() {
      return connections.length;
    },
    waitForConnection: (count = 1) => waitUntil(() => connections.length >= count && current() !== undefined),
    init: (target, opts) => sendFresh(target, 'conversation.query.init', {}, opts),
    request: (target, name, body = {}, opts) => sendFresh(target, name, body, opts),
    send: (message, opts) => send(message, opts?.responseTimeoutMs ?? options.responseTimeoutMs),
    sendSplit: (messages, splitAt, opts) => sendSplit(messages, splitAt, opts?.responseTimeoutMs ?? options.responseTimeoutMs),
    sendBytes(bytes) {
      current()?.frames.sendBytes(bytes);
    },
    events,
    eventNames: (target) => events(target).map((e) => e.header.name.replace(/^conversation\./, '')),
    async waitForEvent(target, name, from = 0) {
      const full = eventName(name);
      const find = () => events(target).slice(from).find((e) => e.header.name === full);
      await waitUntil(() => find() !== undefined, target);
      return find()!;
    },
    async waitForEvents(target, count) {
      await waitUntil(() => events(target).length >= count, target);
      return events(target);
    },
    waitUntil: (condition) => waitUntil(condition),
    checkModel: (target, expected) => checker.checkModel(target, expected),
    folded: (target) => checker.folded(target),
    onTraffic(listener) {
      trafficListeners.add(listener);
      return () => trafficListeners.delete(listener);
    },
    async dropConnection() {
      const connection = current();
      if (!connection) return;
      const closed = waitUntil(() => !connection.open);
      connection.socket.destroy();
      await closed;
    },
    pauseReading() {
      paused = true;
      for (const c of connections) if (c.open) c.socket.pause();
    },
    resumeReading() {
      paused = false;
      for (const c of connections) if (c.open) c.socket.resume();
    },
    report: () => checker.report(),
    async close() {
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const c of connections) if (c.open) c.socket.destroy();
      for (const socket of rawSockets) socket.destroy();
      await closing;
    },
  };
}
