/**
 * A relay in front of a unix socket, so a test can break a client's connection while the server
 * (linphone-daemon) stays up. While blocked it accepts and closes at once, as a daemon busy with
 * another client does. `onClientData` sees what the client writes before it is passed on, so a
 * test can act while a given command is in flight.
 */
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export class UnixProxy {
  private readonly pairs = new Set<net.Socket>();
  private blocked = false;
  /** Each chunk the client writes (one command line for the linphone adapter), before the server gets it. */
  onClientData: ((text: string) => void) | undefined;

  private constructor(
    readonly path: string,
    private readonly dir: string,
    private readonly server: net.Server,
  ) {}

  static async start(target: string): Promise<UnixProxy> {
    const dir = mkdtempSync(path.join(tmpdir(), 'cti-unix-proxy-'));
    const socketPath = path.join(dir, 'relay.sock');
    let proxy: UnixProxy | undefined;
    const server = net.createServer((client) => proxy?.onClient(client, target));
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    proxy = new UnixProxy(socketPath, dir, server);
    return proxy;
  }

  block(): void {
    this.blocked = true;
  }

  unblock(): void {
    this.blocked = false;
  }

  /** Closes every relayed connection (both sides). */
  dropAll(): void {
    for (const socket of this.pairs) socket.destroy();
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private onClient(client: net.Socket, target: string): void {
    if (this.blocked) {
      client.destroy();
      return;
    }
    const upstream = net.createConnection({ path: target });
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ] as const) {
      this.pairs.add(from);
      from.on('data', (chunk: Buffer) => {
        if (from === client) this.onClientData?.(chunk.toString('utf8'));
        to.write(chunk);
      });
      from.on('close', () => {
        this.pairs.delete(from);
        to.destroy();
      });
      from.on('error', () => to.destroy());
    }
  }
}
