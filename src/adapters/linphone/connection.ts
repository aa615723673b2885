/**
 * One client connection to linphone-daemon's unix socket. The daemon serves one client, reads
 * each `read()` as one command and writes each reply with one `write()` without any terminator,
 * so exactly one command is in flight: the next line is written only after the previous reply
 * was taken. A reply is taken as soon as it looks complete (reply.ts) or, failing that, after a
 * short quiet period. Bytes that arrive with no command in flight are dropped and reported.
 * Any fault (socket closed, a command unanswered, a reply too large) ends the connection.
 */
import net from 'node:net';
import { refusalOf } from './commands.js';
import { parseReply, printable, replyLooksComplete, type DaemonReply } from './reply.js';

export interface ConnectionHandlers {
  /** Called once, when the connection ends for any reason other than close(). */
  onLost(reason: string): void;
  /** Bytes nobody asked for (a second reply, say). */
  onStray(text: string): void;
}

export interface ConnectionTimings {
  readonly commandTimeoutMs: number;
  /** Quiet period after which an incomplete-looking reply is taken as it is. */
  readonly settleMs: number;
}

interface PendingCommand {
  readonly line: string;
  readonly signal: AbortSignal | undefined;
  readonly expect: readonly string[];
  resolve(reply: DaemonReply): void;
  reject(error: Error): void;
}

/** The largest reply kept (`help`, the longest seen, is about 2 KB). */
const MAX_REPLY_BYTES = 64 * 1024;

/**
 * The rejection of a LinphoneConnection command whose connection ended before its reply: closed
 * with close(), lost (the socket closed or failed, a command unanswered within its timeout, a
 * reply over 64 KiB), or already down when the command was given. LinphonePhone's operations and
 * `command()` reject with it when the connection drops under them; the phone then reconnects.
 */
export class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

/**
 * Raised by open() when nothing listens on the socket: the daemon is not running.
 * LinphonePhone.connect rejects with it at once, without the retries it gives a busy daemon.
 */
export class DaemonNotRunningError extends Error {
  override readonly name = 'DaemonNotRunningError';
}

/**
 * One client connection to linphone-daemon's unix socket, one command at a time: each command
 * line is written only once the previous reply was taken. LinphonePhone holds one; open one
 * yourself only to talk to a daemon no phone is connected to (the daemon serves one client).
 * Any fault ends the connection: every waiting command rejects with ConnectionLostError and
 * `onLost` is called once (not after close()).
 *
 * `open()` rejects with DaemonNotRunningError when nothing listens on the socket, and with an
 * Error when the socket cannot be reached in `commandTimeoutMs` or the daemon does not answer
 * `version` (most likely it serves another client). `command()` rejects a line refusalOf
 * refuses (a command that crashes the daemon, or not one printable line) with an Error, without
 * sending it.
 *
 * @example
 * const connection = await LinphoneConnection.open('/tmp/cti-agent', { commandTimeoutMs: 5000, settleMs: 20 }, {
 *   onLost: (reason) => console.warn(reason),
 *   onStray: (text) => console.warn('stray', text),
 * });
 * const reply = await connection.command('register-status ALL');
 * connection.close();
 */
export class LinphoneConnection {
  private readonly queue: PendingCommand[] = [];
  private inFlight: PendingCommand | undefined;
  private buffer = '';
  private commandTimer: NodeJS.Timeout | undefined;
  private settleTimer: NodeJS.Timeout | undefined;
  private ended = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly handlers: ConnectionHandlers,
    private readonly timings: ConnectionTimings,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    socket.on('error', (error) => this.lose(`socket error: ${error.message}`));
    socket.on('close', () => this.lose('linphone-daemon closed the connection'));
  }

  /**
   * Connects and checks the daemon answers `version` (a daemon already serving another client
   * accepts the connection and closes it at once, which fails here).
   */
  static async open(path: string, timings: ConnectionTimings, handlers: ConnectionHandlers): Promise<LinphoneConnection> {
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const candidate = net.createConnection({ path });
      const timer = setTimeout(() => fail(new Error('connect timed out')), timings.commandTimeoutMs);
      const fail = (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        candidate.destroy();
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') {
          reject(new DaemonNotRunningError(`linphone-daemon is not running at ${path} (${error.code})`));
        } else {
          reject(new Error(`cannot reach linphone-daemon at ${path}: ${error.message}`));
        }
      };
      candidate.once('error', fail);
      candidate.once('connect', () => {
        clearTimeout(timer);
        candidate.off('error', fail);
        resolve(candidate);
      });
    });
    let ready = false;
    const early: string[] = [];
    const connection = new LinphoneConnection(socket, {
      onLost: (reason) => (ready ? handlers.onLost(reason) : early.push(reason)),
      onStray: (text) => handlers.onStray(text),
    }, timings);
    try {
      const reply = await connection.command('version', ['Version']);
      if (!reply.ok) throw new Error(`unexpected reply to version: ${reply.reason}`);
    } catch (error) {
      connection.close();
      const why = early[0] ?? (error as Error).message;
      throw new Error(`linphone-daemon at ${path} did not serve this client (${why}; is another client connected?)`);
    }
    ready = true;
    return connection;
  }

  /** False once the connection has ended (lost or closed); it never opens again. */
  get isOpen(): boolean {
    return !this.ended;
  }

  /**
   * Runs one command line; `expect` names fields a successful reply must carry before it counts
   * as complete. Rejects a refused command without sending it, a command whose `signal` fired
   * before its turn without sending it, and with ConnectionLostError when the connection ends first.
   */
  command(line: string, expect: readonly string[] = [], signal?: AbortSignal): Promise<DaemonReply> {
    const refusal = refusalOf(line);
    if (refusal) return Promise.reject(new Error(`refused to send a command to linphone-daemon: ${refusal}`));
    if (this.ended) return Promise.reject(new ConnectionLostError('the linphone-daemon connection is down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ line, signal, expect, resolve, reject });
      this.pump();
    });
  }

  /** Ends the connection without reporting it lost. */
  close(): void {
    this.finish(undefined, 'the linphone phone was closed');
  }

  private pump(): void {
    if (this.inFlight || this.ended) return;
    let next = this.queue.shift();
    while (next?.signal?.aborted) {
      next.reject(new Error('the command was cancelled before it was sent'));
      next = this.queue.shift();
    }
    if (!next) return;
    this.inFlight = next;
    this.buffer = '';
    this.commandTimer = setTimeout(
      () => this.lose(`linphone-daemon did not answer "${next.line.split(' ')[0]}" within ${this.timings.commandTimeoutMs} ms`),
      this.timings.commandTimeoutMs,
    );
    this.socket.write(`${next.line}\n`);
  }

  private onData(chunk: string): void {
    if (this.ended) return;
    const pending = this.inFlight;
    if (!pending) {
      this.handlers.onStray(printable(chunk));
      return;
    }
    this.buffer += chunk;
    if (this.buffer.length > MAX_REPLY_BYTES) {
      this.lose(`a reply from linphone-daemon exceeded ${MAX_REPLY_BYTES} bytes`);
      return;
    }
    clearTimeout(this.settleTimer);
    if (replyLooksComplete(this.buffer, pending.expect)) this.take();
    else this.settleTimer = setTimeout(() => this.take(), this.timings.settleMs);
  }

  private take(): void {
    const pending = this.inFlight;
    if (!pending || this.ended) return;
    clearTimeout(this.settleTimer);
    const reply = parseReply(this.buffer);
    if (!reply) {
      this.lose(`linphone-daemon answered "${pending.line.split(' ')[0]}" with something that is not a reply: ${printable(this.buffer, 80)}`);
      return;
    }
    clearTimeout(this.commandTimer);
    this.inFlight = undefined;
    this.buffer = '';
    pending.resolve(reply);
    this.pump();
  }

  private lose(reason: string): void {
    this.finish(reason, `the linphone-daemon connection was lost (${reason})`);
  }

  private finish(lostReason: string | undefined, message: string): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.commandTimer);
    clearTimeout(this.settleTimer);
    this.socket.destroy();
    const failed = [...(this.inFlight ? [this.inFlight] : []), ...this.queue.splice(0)];
    this.inFlight = undefined;
    for (const pending of failed) pending.reject(new ConnectionLostError(message));
    if (lostReason !== undefined) this.handlers.onLost(lostReason);
  }
}
