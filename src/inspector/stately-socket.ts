/**
 * The WebSocket under the Stately transport: one inspection event per text message, as
 * @statelyai/inspect's own WebSocket adapter sends them, held in a bounded queue until the socket
 * opens, reconnecting while the inspection runs. Ours because that adapter keeps reconnecting after
 * stop() when the URL cannot be reached, so a process inspected that way never exits.
 */
import WebSocket from 'ws';
import { toSafeJson } from './safe-json.js';

/** Stately's serialisation depth limit (its `serializationDepthLimit` default); strings whole (the
 * machine definition travels as one). */
const EVENT_LIMITS = { maxDepth: 10, maxString: Number.MAX_SAFE_INTEGER } as const;

export interface StatelySocketOptions {
  readonly url: string;
  /** Wait before connecting again after the socket closed or failed; default 5 s (Stately's). */
  readonly retryMs?: number;
  /** Events kept while the socket is not open, oldest dropped first; default 200 (Stately's). */
  readonly maxQueued?: number;
}

export class StatelySocketAdapter {
  private socket: WebSocket | undefined;
  private readonly queue: string[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: StatelySocketOptions) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.connect();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const socket = this.socket;
    this.socket = undefined;
    if (socket?.readyState === WebSocket.OPEN) socket.close();
    else socket?.terminate();
  }

  /**
   * Resolves once what is queued has gone out, or the connection attempt under way has failed
   * (a handshake takes at most 5 s); at once when there is nothing to wait for.
   */
  flush(): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.CONNECTING || this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('open', () => resolve());
      socket.once('close', () => resolve());
    });
  }

  send(event: unknown): void {
    let text: string;
    try {
      text = JSON.stringify(toSafeJson(event, EVENT_LIMITS));
    } catch {
      return;
    }
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(text);
      return;
    }
    this.queue.push(text);
    if (this.queue.length > (this.options.maxQueued ?? 200)) this.queue.shift();
  }

  private connect(): void {
    if (!this.running) return;
    const socket = new WebSocket(this.options.url, { handshakeTimeout: 5000 });
    this.socket = socket;
    socket.on('open', () => {
      for (const text of this.queue.splice(0)) socket.send(text);
    });
    // 'close' follows every error; reconnecting is decided there.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.retry();
    });
  }

  private retry(): void {
    if (!this.running || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect();
    }, this.options.retryMs ?? 5000);
    // Waiting to reconnect never keeps the process alive.
    this.retryTimer.unref();
  }
}
