/**
 * Starts a linphone-daemon (Debian package linphone-cli) with a configuration that is safe for
 * labs, tests and demos, and stops it by its pid. The configuration carries what the daemon
 * needs to work at all and to stay on the given address (docs/linphone.md, "The rc file"):
 * `[storage] uri=null` (without a database the daemon answers on its socket but never binds a
 * SIP port), `sip_tcp_port=0`/`sip_tls_port=0` (-1 would mean a random port), no hostname
 * guessing, SIP and RTP bound to one address, and a long ringing timeout (the default rejects an
 * unanswered call after 30 s). The daemon rewrites its rc file, so each start writes a fresh one.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * How startLinphoneDaemon starts a linphone-daemon, and what linphoneRc writes in its rc file.
 * Only `sipPort` is required; the defaults are on each field.
 */
export interface LinphoneDaemonOptions {
  /** The SIP UDP port. */
  readonly sipPort: number;
  /** The RTP port range for audio, e.g. [17000, 17049]. Default [7078, 7177]. */
  readonly rtpPorts?: readonly [number, number];
  /** The address SIP and RTP bind to and the contact uses. Default 127.0.0.1. */
  readonly address?: string;
  /** The user part of the phone's own address. Default 'agent'. */
  readonly user?: string;
  /** The socket is /tmp/<pipeName>. Default cti-linphone-<random>. */
  readonly pipeName?: string;
  /** Where the rc, the log and the daemon's HOME go. Default a new temporary folder (removed by stop). */
  readonly dir?: string;
  /** Seconds an unanswered incoming call rings before the daemon rejects it. Default 600. */
  readonly incomingTimeoutS?: number;
  /** Extra `[section]` key/value pairs for the rc (they win over the defaults). */
  readonly rc?: Readonly<Record<string, Readonly<Record<string, string | number>>>>;
  /** The program; default 'linphone-daemon' from PATH. */
  readonly program?: string;
  /** How long to wait for the socket and the SIP port. Default 15 000 ms. */
  readonly startTimeoutMs?: number;
}

/**
 * A linphone-daemon started by startLinphoneDaemon: its pid, the socket to give
 * LinphonePhone.connect, its SIP port and address, its folder and log file. Stop it with
 * `stop()`.
 */
export interface LinphoneDaemon {
  readonly pid: number;
  /** The unix socket to give LinphonePhone.connect. */
  readonly socket: string;
  /** The SIP UDP port it listens on (`sipPort` as given). */
  readonly sipPort: number;
  /** The phone's own SIP address, e.g. sip:agent@127.0.0.1:5070. */
  readonly uri: string;
  /** The folder of its rc, log, stdout (`daemon.out`) and HOME. */
  readonly dir: string;
  /** The daemon's own log (`--log`), in `dir`. */
  readonly logFile: string;
  /** Resolves with the exit code (null when a signal ended it). */
  readonly exited: Promise<number | null>;
  /** Whether the process has not exited yet. */
  alive(): boolean;
  /**
   * SIGINT (the daemon unregisters and removes its socket), then SIGKILL after 8 s; by pid.
   * Resolves once it has exited, and removes `dir` when startLinphoneDaemon made it. Safe to call
   * again, or after the daemon has died.
   */
  stop(): Promise<void>;
}

const WORD = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The rc file startLinphoneDaemon writes for these options (docs/linphone.md, "The rc file"): SIP
 * on UDP `sipPort` only (`sip_tcp_port=0`, `sip_tls_port=0`), SIP and RTP bound to `address`
 * (default 127.0.0.1) without hostname guessing, the contact `sip:USER@ADDRESS:PORT`,
 * `inc_timeout` (default 600 s), the RTP ports (default 7078-7177), video off and
 * `[storage] uri=null`. `options.rc` is merged over these, key by key in each section. Pure and
 * never throws: it checks nothing (startLinphoneDaemon checks the port and the words).
 *
 * @example
 * // test/fixtures/linphone/agent.rc is exactly this:
 * linphoneRc({ sipPort: 5070, rtpPorts: [17000, 17049], user: 'agent' });
 */
export function linphoneRc(options: LinphoneDaemonOptions): string {
  const address = options.address ?? '127.0.0.1';
  const user = options.user ?? 'agent';
  const [low, high] = options.rtpPorts ?? [7078, 7177];
  const sections: Record<string, Record<string, string | number>> = {
    sip: {
      sip_port: options.sipPort,
      sip_tcp_port: 0,
      sip_tls_port: 0,
      bind_address: address,
      guess_hostname: 0,
      contact: `sip:${user}@${address}:${options.sipPort}`,
      inc_timeout: options.incomingTimeoutS ?? 600,
    },
    rtp: { bind_address: address, audio_rtp_port: `${low}-${high}`, video_rtp_port: `${low}-${high}`, text_rtp_port: `${low}-${high}` },
    video: { capture: 0, display: 0, automatically_initiate: 0, automatically_accept: 0 },
    storage: { uri: 'null' },
  };
  for (const [section, values] of Object.entries(options.rc ?? {})) {
    sections[section] = { ...(sections[section] ?? {}), ...values };
  }
  return Object.entries(sections)
    .map(([section, values]) => `[${section}]\n${Object.entries(values).map(([key, value]) => `${key}=${value}`).join('\n')}\n`)
    .join('');
}

/**
 * Starts a linphone-daemon (`linphone-daemon --pipe NAME --config RC --log LOG`, HOME in `dir`)
 * with a fresh rc from linphoneRc, and resolves once its socket file exists and its SIP port is
 * bound (it does not connect to the socket: the daemon serves one client, and a probe could make
 * it turn the caller's first client away). For labs, tests and demos; see docs/linphone.md.
 *
 * @throws {RangeError} (a rejection) when `sipPort` is not a port number (1-65535), or `pipeName`
 * or `user` is not a plain word (1-64 letters, digits, dots, dashes, underscores).
 * @throws {Error} (a rejection) when the program cannot be started (a folder it made is removed),
 * or exits before it is ready, or is not ready within `startTimeoutMs` (the daemon is stopped, and
 * a folder it made is kept so that its `daemon.out` can be read).
 * @example
 * import { LinphonePhone, startLinphoneDaemon } from 'cti-conversation/linphone';
 *
 * const daemon = await startLinphoneDaemon({ sipPort: 5070, rtpPorts: [17000, 17049] });
 * const phone = await LinphonePhone.connect({ socket: daemon.socket });
 * // …
 * await phone.close();
 * await daemon.stop();
 */
export async function startLinphoneDaemon(options: LinphoneDaemonOptions): Promise<LinphoneDaemon> {
  if (!Number.isInteger(options.sipPort) || options.sipPort < 1 || options.sipPort > 65535) {
    throw new RangeError('startLinphoneDaemon: sipPort must be a UDP port number');
  }
  const pipeName = options.pipeName ?? `cti-linphone-${randomBytes(5).toString('hex')}`;
  if (!WORD.test(pipeName)) throw new RangeError('startLinphoneDaemon: pipeName must be 1-64 letters, digits, dots, dashes or underscores');
  if (options.user !== undefined && !WORD.test(options.user)) throw new RangeError('startLinphoneDaemon: user must be a plain word');
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), 'cti-linphone-'));
  const home = path.join(dir, 'home');
  mkdirSync(home, { recursive: true });
  const rcFile = path.join(dir, 'linphone.rc');
  const logFile = path.join(dir, 'linphone.log');
  writeFileSync(rcFile, linphoneRc(options));
  // stdout gets the events nobody pops while no client is connected: a file, never an unread pipe.
  const out = openSync(path.join(dir, 'daemon.out'), 'a');
  const child = spawn(options.program ?? 'linphone-daemon', ['--pipe', pipeName, '--config', rcFile, '--log', logFile], {
    cwd: dir,
    env: { ...process.env, HOME: home },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  let done = false;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      resolve(code);
    });
    child.once('error', () => {
      done = true;
      resolve(-1);
    });
  });
  const socket = path.join('/tmp', pipeName);
  // A socket file left by a killed daemon would look ready at once.
  rmSync(socket, { force: true });
  const pid = child.pid;
  const cleanUp = () => {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
  };
  const stop = async () => {
    if (!done && pid !== undefined) {
      signal(pid, 'SIGINT');
      const timer = setTimeout(() => signal(pid, 'SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    cleanUp();
  };
  if (pid === undefined) {
    await exited;
    cleanUp();
    throw new Error(`could not start ${options.program ?? 'linphone-daemon'}`);
  }
  const deadline = Date.now() + (options.startTimeoutMs ?? 15_000);
  try {
    // The socket file, not a probe connection: the daemon serves one client and takes a moment to
    // notice a probe has gone, so a probe could make it turn away the caller's own first client.
    while (!existsSync(socket) || !(await udpTaken(options.address ?? '127.0.0.1', options.sipPort))) {
      if (done) throw new Error(`linphone-daemon exited before it was ready (see ${path.join(dir, 'daemon.out')})`);
      if (Date.now() > deadline) throw new Error('linphone-daemon did not open its socket and SIP port in time');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } catch (error) {
    if (!ownDir) await stop();
    else {
      signal(pid, 'SIGKILL');
      await exited;
    }
    throw error;
  }
  return {
    pid,
    socket,
    sipPort: options.sipPort,
    uri: `sip:${options.user ?? 'agent'}@${options.address ?? '127.0.0.1'}:${options.sipPort}`,
    dir,
    logFile,
    exited,
    alive: () => !done,
    stop,
  };
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Whether something already holds the UDP port (binding it fails). */
function udpTaken(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = dgram.createSocket('udp4');
    probe.once('error', () => {
      probe.close();
      resolve(true);
    });
    probe.bind(port, address, () => probe.close(() => resolve(false)));
  });
}
