/**
 * A TCP relay between the adapter and baresip's ctrl_tcp, so a test can break the control
 * connection the ways a network does: cut it, refuse new ones, or swallow baresip's replies.
 */
import net from 'node:net';

export class TcpProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket; silent: boolean }>();
  private refusing = false;

  private constructor(
    server: net.Server,
    readonly port: number,
  ) {
    this.server = server;
  }

  static start(targetPort: number): Promise<TcpProxy> {
    return new Promise((resolve, reject) => {
      let proxy: TcpProxy | undefined;
      const server = net.createServer((client) => proxy?.accept(client, targetPort));
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        proxy = new TcpProxy(server, (server.address() as net.AddressInfo).port);
        resolve(proxy);
      });
    });
  }

  /** Connections open now. */
  get connections(): number {
    return this.pairs.size;
  }

  /** Drops every open connection. */
  cut(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  /** While refusing, new connections are closed at once. */
  refuse(refusing: boolean): void {
    this.refusing = refusing;
  }

  /** Open connections stay up, but nothing baresip sends reaches the client any more. */
  silence(): void {
    for (const pair of this.pairs) pair.silent = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: net.Socket, targetPort: number): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.createConnection({ host: '127.0.0.1', port: targetPort });
    const pair = { client, upstream, silent: false };
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (!pair.silent) client.write(chunk);
    });
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  }
}
