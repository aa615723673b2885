/**
 * A scripted stand-in for baresip's ctrl_tcp, for the adapter's edge cases that a real baresip
 * cannot be made to show on demand (foreign replies, broken framing, an id-less dial that is
 * cancelled). It records every command and answers through a handler the test sets.
 */
import net from 'node:net';

export interface FakeCommand {
  readonly command: string;
  readonly params?: string;
  readonly connection: number;
}

export type FakeReply = { ok: boolean; data: string } | 'silent';

export class FakeCtrl {
  readonly commands: FakeCommand[] = [];
  /** Decides each reply; default: ok with no data. */
  handler: (command: FakeCommand) => FakeReply = () => ({ ok: true, data: '' });
  private readonly server: net.Server;
  private socket: net.Socket | undefined;
  private connections = 0;
  private readonly waiters = new Set<() => void>();

  private constructor(server: net.Server, readonly port: number) {
    this.server = server;
  }

  static start(): Promise<FakeCtrl> {
    return new Promise((resolve) => {
      let fake: FakeCtrl | undefined;
      const server = net.createServer((socket) => fake?.accept(socket));
      server.listen(0, '127.0.0.1', () => {
        fake = new FakeCtrl(server, (server.address() as net.AddressInfo).port);
        resolve(fake);
      });
    });
  }

  get connectionCount(): number {
    return this.connections;
  }

  /** Sends an event (the JSON of a ctrl_tcp event without `event: true`). */
  event(fields: Record<string, string>): void {
    this.write(JSON.stringify({ event: true, class: 'call', ...fields }));
  }

  /** Writes a payload as a netstring, or raw bytes. */
  write(payload: string): void {
    this.socket?.write(`${Buffer.byteLength(payload)}:${payload},`);
  }

  writeRaw(bytes: string): void {
    this.socket?.write(bytes);
  }

  /** Resolves once `test` holds; checked after every command and connection. */
  until(test: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!test()) return;
        this.waiters.delete(check);
        resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private accept(socket: net.Socket): void {
    // Like baresip: a new client takes over, the old one is closed.
    this.socket?.destroy();
    this.socket = socket;
    const connection = ++this.connections;
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('error', () => undefined);
    socket.on('data', (text: string) => {
      buffer += text;
      for (;;) {
        const colon = buffer.indexOf(':');
        if (colon < 0) return;
        const length = Number(buffer.slice(0, colon));
        if (buffer.length < colon + length + 2) return;
        const message = JSON.parse(buffer.slice(colon + 1, colon + 1 + length)) as { command: string; params?: string; token?: string };
        buffer = buffer.slice(colon + length + 2);
        const command = { command: message.command, params: message.params, connection };
        this.commands.push(command);
        const reply = this.handler(command);
        if (reply !== 'silent' && socket === this.socket) {
          this.write(JSON.stringify({ response: true, ok: reply.ok, data: reply.data, token: message.token }));
        }
        this.wake();
      }
    });
    this.wake();
  }
}
