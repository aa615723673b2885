/**
 * The linphone lab as a test fixture: linphone-daemon phones on 127.0.0.1 started with the
 * library's own helper (each with a SIP port and an RTP range of its own), a sipp registrar for
 * the agent, and far ends driven by a deliberately separate, minimal client of their socket (it
 * does not reuse the adapter under test). Everything is stopped by pid.
 */
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startLinphoneDaemon, type LinphoneDaemon, type LinphoneDaemonOptions } from '../../src/adapters/linphone/index.js';
import { freePorts, startProcess, stopProcess, waitForUdp, type RunningProcess } from './baresip-lab-process.js';

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sipp');

/** Starts a linphone-daemon named `name` (its SIP user) on free loopback ports. */
export async function startLinphone(
  name: string,
  options: Partial<LinphoneDaemonOptions> & { readonly contactHost?: string } = {},
): Promise<LinphoneDaemon> {
  const { contactHost, ...daemonOptions } = options;
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const sipPort = await freePorts(2);
    const rtpBase = 20_000 + 40 * Math.floor(Math.random() * 299);
    try {
      const dir = mkdtempSync(path.join(tmpdir(), `cti-linphone-${name}-`));
      const daemon = await startLinphoneDaemon({
        dir,
        sipPort,
        rtpPorts: [rtpBase, rtpBase + 39],
        user: name,
        pipeName: `cti-test-${name}-${process.pid}-${sipPort}`,
        ...daemonOptions,
        // Another host in the contact gives another From address (see LinphoneFarEnd's twins).
        ...(contactHost && { rc: { sip: { contact: `sip:${name}@${contactHost}:${sipPort}` } } }),
      });
      const keep = process.env.CTI_KEEP_LAB_FILES === '1';
      return { ...daemon, stop: async () => {
        await daemon.stop();
        if (!keep) rmSync(dir, { recursive: true, force: true });
      } };
    } catch (error) {
      lastError = error; // most likely a port taken in between: try others
    }
  }
  throw lastError instanceof Error ? lastError : new Error('linphone-daemon did not start');
}

export interface Registrar {
  readonly port: number;
  readonly process: RunningProcess;
  /** The proxy to register with. `localhost`, not 127.0.0.1: with a proxy on the calls' own
   * address, linphone routes the calls to the registrar instead of the far ends. */
  readonly proxy: string;
  stop(): Promise<void>;
}

export async function startRegistrar(): Promise<Registrar> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt += 1) {
    const dir = mkdtempSync(path.join(tmpdir(), 'cti-registrar-'));
    const port = await freePorts(2);
    const args = ['-sf', path.join(SCENARIOS, 'registrar.xml'), '-i', '127.0.0.1', '-p', String(port), '-m', '1000', '-nostdin'];
    const process = startProcess('sipp', args, { cwd: dir });
    try {
      await waitForUdp(port, process);
      return {
        port,
        process,
        proxy: `sip:localhost:${port}`,
        stop: async () => {
          await stopProcess(process);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      await stopProcess(process);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  throw lastError instanceof Error ? lastError : new Error('the registrar did not start');
}

/** The call states after which a linphone call is over. */
export const CALL_OVER = /^LinphoneCall(End|Released|Error)$/;

export interface FarCallEvent {
  readonly id: number;
  readonly state: string;
  readonly from: string;
}

/**
 * A far-end phone: a linphone-daemon driven through its socket by this small client. It polls
 * `pop-event` and records call states and received DTMF per call; `autoAnswer` answers every
 * incoming call.
 */
export class LinphoneFarEnd {
  readonly events: FarCallEvent[] = [];
  private readonly tones = new Map<number, string>();
  private readonly waiters = new Set<() => void>();
  private tail: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private pending: { text: string; resolve: (text: string) => void; quiet?: NodeJS.Timeout } | undefined;

  private constructor(
    readonly daemon: LinphoneDaemon,
    private readonly socket: net.Socket,
    private readonly autoAnswer: boolean,
  ) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      const pending = this.pending;
      if (!pending) return;
      pending.text += chunk;
      clearTimeout(pending.quiet);
      // Replies have no terminator: a reply is what arrived once the socket is quiet for a moment.
      pending.quiet = setTimeout(() => {
        this.pending = undefined;
        pending.resolve(pending.text);
      }, 15);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      // Nothing more will be answered: fail what waits instead of hanging.
      const pending = this.pending;
      this.pending = undefined;
      this.closed = true;
      pending?.resolve('Status: Error\nReason: the far end connection closed\n');
    });
  }

  /**
   * Connects and checks the daemon answers (it turns a client away while it still holds an
   * earlier one, and notices a closed client only a moment later: a few tries).
   */
  static async connect(daemon: LinphoneDaemon, options: { autoAnswer?: boolean } = {}): Promise<LinphoneFarEnd> {
    for (let attempt = 1; ; attempt += 1) {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const candidate = net.createConnection({ path: daemon.socket });
        candidate.once('connect', () => resolve(candidate));
        candidate.once('error', reject);
      });
      const far = new LinphoneFarEnd(daemon, socket, options.autoAnswer ?? false);
      const version = await Promise.race([
        far.command('version'),
        new Promise<string>((resolve) => socket.once('close', () => resolve('closed'))),
      ]);
      if (version.startsWith('Status: Ok')) {
        far.poll();
        return far;
      }
      await far.close();
      if (attempt >= 10) throw new Error(`the far end's daemon did not serve this client: ${version}`);
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }

  get uri(): string {
    return this.daemon.uri;
  }

  /** One command; resolves with the raw reply text. */
  command(line: string): Promise<string> {
    const run = this.tail.then(
      () =>
        new Promise<string>((resolve, reject) => {
          if (this.closed) {
            reject(new Error('the far end is closed'));
            return;
          }
          this.pending = { text: '', resolve };
          this.socket.write(`${line}\n`);
        }),
    );
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Places a call; resolves with this far end's id for it. linphone refuses a call while another
   * call holds the sound resources ("sound are locked by another call"): a running call is put
   * on hold first, and a call still ending is waited out (a few retries).
   */
  async call(uri: string): Promise<number> {
    for (const id of new Set(this.events.map((event) => event.id))) {
      if ((await this.state(id)) === 'LinphoneCallStreamsRunning') {
        const from = this.events.length;
        await this.command(`call-pause ${id}`);
        await this.waitFor((event) => event.id === id && event.state === 'LinphoneCallPaused', from);
      }
    }
    let reply = '';
    for (let attempt = 0; attempt < 20; attempt += 1) {
      reply = await this.command(`call ${uri}`);
      const id = /Id: (\d+)/.exec(reply)?.[1];
      if (id) return Number(id);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`the far end could not call ${uri}: ${reply}`);
  }

  async answer(id: number): Promise<void> {
    const reply = await this.command(`answer ${id}`);
    if (!reply.startsWith('Status: Ok')) throw new Error(`the far end could not answer ${id}: ${reply}`);
  }

  /**
   * Ends call `id` and waits (a few seconds at most) until this far end reports it ended: the
   * daemon answers the command before the call is over, and a call placed in that gap from the
   * same address is refused by the other side as busy.
   */
  async terminate(id: number): Promise<void> {
    await this.command(`terminate ${id}`);
    await this.ended(id, 5_000);
  }

  /** Resolves true once call `id` has ended here, or false after `ms`. */
  ended(id: number, ms: number): Promise<boolean> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      this.waitFor((event) => event.id === id && CALL_OVER.test(event.state)).then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
    ]).finally(() => clearTimeout(timer));
  }

  async state(id: number): Promise<string | undefined> {
    const reply = await this.command(`call-status ${id}`);
    return /State: (\S+)/.exec(reply)?.[1];
  }

  /** The digits heard on call `id`, after fetching whatever the daemon has queued. */
  async heard(id: number): Promise<string> {
    await this.drain();
    return this.tones.get(id) ?? '';
  }

  /** The first call-state event at or after `from` that passes `test`. */
  waitFor(test: (event: FarCallEvent) => boolean, from = 0): Promise<FarCallEvent> {
    return new Promise((resolve) => {
      const look = () => {
        const found = this.events.slice(from).find(test);
        if (!found) return;
        this.waiters.delete(look);
        resolve(found);
      };
      this.waiters.add(look);
      look();
    });
  }

  /** The id of the next incoming call (at or after event index `from`). */
  async incoming(from = 0): Promise<number> {
    return (await this.waitFor((event) => event.state === 'LinphoneCallIncomingReceived', from)).id;
  }

  /** Ends every call this far end still has. */
  async hangUpAll(): Promise<void> {
    const ids = new Set(this.events.map((event) => event.id));
    for (const id of ids) {
      const state = await this.state(id);
      if (state) await this.terminate(id);
    }
  }

  async close(): Promise<void> {
    const wasClosed = this.closed;
    this.closed = true;
    clearTimeout(this.timer);
    if (!wasClosed) await this.tail.catch(() => undefined);
    this.socket.destroy();
  }

  private poll(): void {
    if (this.closed) return;
    this.drain()
      .catch(() => undefined)
      .finally(() => {
        if (!this.closed) this.timer = setTimeout(() => this.poll(), 30);
      });
  }

  private async drain(): Promise<void> {
    for (let i = 0; i < 256; i += 1) {
      const reply = await this.command('pop-event');
      const type = /Event-type: (\S+)/.exec(reply)?.[1];
      const id = Number(/Id: (\d+)/.exec(reply)?.[1] ?? 'NaN');
      if (type === 'call-state-changed') {
        const state = /Event: (\S+)/.exec(reply)?.[1] ?? '';
        const event = { id, state, from: /From: (\S+)/.exec(reply)?.[1] ?? '' };
        this.events.push(event);
        if (this.autoAnswer && state === 'LinphoneCallIncomingReceived') void this.answer(id).catch(() => undefined);
        for (const wake of [...this.waiters]) wake();
      } else if (type === 'receiving-tone') {
        this.tones.set(id, (this.tones.get(id) ?? '') + (/Tone: (\S)/.exec(reply)?.[1] ?? ''));
      }
      if (!type || /Size: 0\b/.test(reply)) return;
    }
  }
}
