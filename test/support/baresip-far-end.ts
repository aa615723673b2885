/**
 * A far-end phone for the tests: a baresip of the lab driven through its own ctrl_tcp by a
 * deliberately separate, minimal client (it does not reuse the adapter under test). It records
 * every event, so a test can assert what the far end received, in order.
 */
import net from 'node:net';
import type { BaresipInstance } from './baresip-lab.js';

export interface FarEvent {
  readonly type: string;
  readonly direction?: string;
  readonly peeruri?: string;
  readonly peerdisplayname?: string;
  readonly id?: string;
  readonly param?: string;
}

export interface FarReply {
  readonly ok: boolean;
  readonly data: string;
}

interface Waiter {
  readonly test: (event: FarEvent) => boolean;
  readonly resolve: (event: FarEvent) => void;
}

export class FarEnd {
  readonly events: FarEvent[] = [];
  private buffer = Buffer.alloc(0);
  private readonly replies = new Map<string, (reply: FarReply) => void>();
  private readonly waiters = new Set<Waiter>();
  private sequence = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private socket!: net.Socket;
  private closed = false;
  /** Set while a lost control connection is being opened again; commands wait for it. */
  private reopening: Promise<void> | undefined;

  private constructor(
    readonly phone: BaresipInstance,
    socket: net.Socket,
  ) {
    this.attach(socket);
  }

  static async connect(phone: BaresipInstance): Promise<FarEnd> {
    return new FarEnd(phone, await FarEnd.open(phone));
  }

  private static open(phone: BaresipInstance): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection({ host: '127.0.0.1', port: phone.ctrlPort });
      socket.once('error', reject);
      socket.once('connect', () => resolve(socket));
    });
  }

  private attach(socket: net.Socket): void {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClose(socket));
  }

  /**
   * A control connection that closes under a test (seen once in CI, cause unknown) must not leave
   * every later test waiting on a reply that never comes: the commands waiting get a failed reply,
   * the connection is opened again, and the next commands go over it. Events sent meanwhile are lost.
   */
  private onClose(socket: net.Socket): void {
    if (this.closed || socket !== this.socket) return;
    console.warn(`far end ${this.phone.name}: its control connection closed; opening it again`);
    for (const resolve of this.replies.values()) resolve({ ok: false, data: 'the far end control connection closed' });
    this.replies.clear();
    this.buffer = Buffer.alloc(0);
    this.reopening = (async () => {
      for (let attempt = 1; attempt <= 50 && !this.closed; attempt += 1) {
        try {
          const fresh = await FarEnd.open(this.phone);
          if (this.closed) fresh.destroy();
          else this.attach(fresh);
          return;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    })();
  }

  get uri(): string {
    return this.phone.uri;
  }

  /** Sends one command and waits for its reply; commands go one at a time. */
  command(command: string, params?: string): Promise<FarReply> {
    const run = this.tail.then(
      async () => {
        await this.reopening;
        return new Promise<FarReply>((resolve) => {
          const token = `far-${++this.sequence}`;
          const body = Buffer.from(JSON.stringify(params === undefined ? { command, token } : { command, params, token }));
          this.replies.set(token, resolve);
          this.socket.write(Buffer.concat([Buffer.from(`${body.length}:`), body, Buffer.from(',')]));
        });
      },
    );
    this.tail = run;
    return run;
  }

  /** Selects the call, then runs the command on it. */
  async onCall(callId: string, command: string, params?: string): Promise<FarReply> {
    const found = await this.command('callfind', callId);
    if (!/setting current call/.test(found.data)) throw new Error(`far end ${this.phone.name} has no call ${callId}`);
    return this.command(command, params);
  }

  /** The first event (already received or still to come) that passes `test`. */
  waitFor(test: (event: FarEvent) => boolean, from = 0): Promise<FarEvent> {
    const seen = this.events.slice(from).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.waiters.add({ test, resolve }));
  }

  waitForType(type: string, callId?: string, from = 0): Promise<FarEvent> {
    return this.waitFor((event) => event.type === type && (callId === undefined || event.id === callId), from);
  }

  /** The digits this phone received as DTMF, in order. */
  dtmfReceived(callId?: string): string {
    return this.events
      .filter((event) => event.type === 'CALL_DTMF_START' && (callId === undefined || event.id === callId))
      .map((event) => event.param ?? '')
      .join('');
  }

  /** The audio direction of the call (audio_debug's `audio dir=`), the only view of hold in 1.0.0. */
  async audioDirection(callId: string): Promise<string> {
    const reply = await this.onCall(callId, 'audio_debug');
    const match = /audio dir=(\w+)/.exec(reply.data);
    if (!match) throw new Error(`no audio direction in audio_debug of ${this.phone.name}`);
    return match[1];
  }

  /** Hangs up every call this phone still has. */
  async hangUpAll(): Promise<void> {
    for (let round = 0; round < 8; round += 1) {
      const list = await this.command('listcalls');
      if (/Active calls \(0\)/.test(list.data)) return;
      await this.command('hangup');
    }
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const colon = this.buffer.indexOf(0x3a);
      if (colon < 0) return;
      const length = Number(this.buffer.subarray(0, colon).toString('ascii'));
      if (this.buffer.length < colon + length + 2) return;
      const text = this.buffer.subarray(colon + 1, colon + 1 + length).toString('utf8');
      this.buffer = this.buffer.subarray(colon + length + 2);
      let message: Record<string, unknown>;
      try {
        message = JSON.parse(text) as Record<string, unknown>;
      } catch {
        console.warn(`far end ${this.phone.name}: skipped a message that is not JSON (${text.length} bytes)`);
        continue;
      }
      if (message.response === true) {
        const resolve = this.replies.get(String(message.token));
        this.replies.delete(String(message.token));
        resolve?.({ ok: message.ok === true, data: typeof message.data === 'string' ? message.data : '' });
      } else if (message.event === true) {
        const event = message as unknown as FarEvent;
        this.events.push(event);
        for (const waiter of [...this.waiters]) {
          if (waiter.test(event)) {
            this.waiters.delete(waiter);
            waiter.resolve(event);
          }
        }
      }
    }
  }
}
