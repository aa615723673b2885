/**
 * One TCP connection to baresip's ctrl_tcp: netstring-framed JSON, one command in flight at a
 * time (responses carry our token, but baresip runs commands on the call it has selected, so
 * nothing is gained by overlapping them), each with a timeout. Any fault ends the connection; the
 * phone then reconnects with a new one.
 */
import net from 'node:net';
import { encodeNetstring, NetstringDecoder } from './netstring.js';
import { parseBaresipMessage, type BaresipEvent, type BaresipResponse } from './messages.js';
import { formatHostPort } from '../../log/host-port.js';

export interface ConnectionHandlers {
  onEvent(event: BaresipEvent): void;
  /** Called once, when the connection ends for any reason other than close(). */
  onLost(reason: string): void;
}

interface PendingCommand {
  readonly token: string;
  readonly frame: Buffer;
  readonly label: string;
  resolve(response: BaresipResponse): void;
  reject(error: Error): void;
}

export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

export class BaresipConnection {
  private readonly decoder = new NetstringDecoder();
  private readonly queue: PendingCommand[] = [];
  private inFlight: PendingCommand | undefined;
  private timer: NodeJS.Timeout | undefined;
  private ended = false;
  private sequence = 0;

  private constructor(
    private readonly socket: net.Socket,
    private readonly handlers: ConnectionHandlers,
    private readonly commandTimeoutMs: number,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.lose(`socket error: ${error.message}`));
    socket.on('close', () => this.lose('baresip closed the control connection'));
  }

  static open(host: string, port: number, commandTimeoutMs: number, handlers: ConnectionHandlers): Promise<BaresipConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host, port });
      const fail = (error: Error) => {
        socket.destroy();
        reject(new Error(`cannot reach baresip's ctrl_tcp at ${formatHostPort(host, port)}: ${error.message}`));
      };
      const timer = setTimeout(() => fail(new Error('connect timed out')), commandTimeoutMs);
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        resolve(new BaresipConnection(socket, handlers, commandTimeoutMs));
      });
    });
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Runs one command; rejects with ConnectionLostError when the connection ends first. */
  command(command: string, params?: string): Promise<BaresipResponse> {
    if (this.ended) return Promise.reject(new ConnectionLostError('the baresip control connection is down'));
    const token = `cti-${++this.sequence}`;
    const message: Record<string, string> = { command, token };
    if (params !== undefined) message.params = params;
    return new Promise((resolve, reject) => {
      this.queue.push({ token, frame: encodeNetstring(JSON.stringify(message)), label: command, resolve, reject });
      this.pump();
    });
  }

  /** Ends the connection without reporting it lost. */
  close(): void {
    this.finish(undefined, 'the baresip phone was closed');
  }

  private pump(): void {
    if (this.inFlight || this.ended) return;
    const next = this.queue.shift();
    if (!next) return;
    this.inFlight = next;
    this.timer = setTimeout(
      () => this.lose(`baresip did not answer "${next.label}" within ${this.commandTimeoutMs} ms`),
      this.commandTimeoutMs,
    );
    this.socket.write(next.frame);
  }

  private onData(chunk: Buffer): void {
    let payloads: string[];
    try {
      payloads = this.decoder.push(chunk);
    } catch (error) {
      this.lose(`bad framing from baresip: ${(error as Error).message}`);
      return;
    }
    for (const payload of payloads) {
      if (this.ended) return;
      const message = parseBaresipMessage(payload);
      if (message?.kind === 'event') {
        this.handlers.onEvent(message.event);
      } else if (message?.kind === 'response') {
        this.onResponse(message.response);
      }
    }
  }

  private onResponse(response: BaresipResponse): void {
    const pending = this.inFlight;
    // A response to some earlier client of this baresip (or an unknown token) is not ours.
    if (!pending || (response.token !== undefined && response.token !== pending.token)) return;
    clearTimeout(this.timer);
    this.inFlight = undefined;
    pending.resolve(response);
    this.pump();
  }

  private lose(reason: string): void {
    this.finish(reason, `the baresip control connection was lost (${reason})`);
  }

  private finish(lostReason: string | undefined, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.timer);
    this.socket.destroy();
    const failed = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const pending of failed) pending.reject(new ConnectionLostError(message));
    if (lostReason !== undefined) this.handlers.onLost(lostReason);
  }
}
