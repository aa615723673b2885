/** Helpers for the inspector tests: a loopback WebSocket receiver and an awaitable message queue. */
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** Collects parsed JSON messages and lets a test await the first one matching a predicate. */
export class MessageLog<T = Record<string, unknown>> {
  readonly messages: T[] = [];
  private waiters: { match: (message: T) => boolean; resolve: (message: T) => void }[] = [];

  push(message: T): void {
    this.messages.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (!waiter.match(message)) return true;
      waiter.resolve(message);
      return false;
    });
  }

  next(match: (message: T) => boolean): Promise<T> {
    const found = this.messages.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

/** A WebSocket server on 127.0.0.1 that logs every JSON message any client sends. */
export async function startReceiver(): Promise<{
  url: string;
  log: MessageLog;
  /** Resolves when the first client has closed its connection. */
  disconnected: Promise<void>;
  close(): Promise<void>;
}> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const log = new MessageLog();
  let reportDisconnected!: () => void;
  const disconnected = new Promise<void>((resolve) => {
    reportDisconnected = resolve;
  });
  server.on('connection', (socket) => {
    socket.on('message', (data) => log.push(JSON.parse(data.toString()) as Record<string, unknown>));
    socket.on('close', () => reportDisconnected());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    log,
    disconnected,
    close: async () => {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A WebSocket client that logs every JSON message the server sends. */
export async function connectClient(url: string): Promise<{ socket: WebSocket; log: MessageLog }> {
  const socket = new WebSocket(url);
  const log = new MessageLog();
  socket.on('message', (data) => log.push(JSON.parse(data.toString()) as Record<string, unknown>));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, log };
}
