/**
 * Shared pieces of the telephony lab fixtures: free loopback ports, polling until a process
 * listens, and stopping a process by its pid (SIGTERM, SIGTERM again, then SIGKILL; baresip's
 * first SIGTERM waits on open SIP transactions, its second exits at once).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface RunningProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (null when killed by a signal) once the process is gone. */
  readonly exited: Promise<number | null>;
  hasExited(): boolean;
}

export function startProcess(command: string, args: string[], options: { cwd: string; logFile?: string }): RunningProcess {
  const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let done = false;
  const chunks: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => chunks.push(chunk));
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
  if (child.pid === undefined) throw new Error(`could not start ${command}`);
  const running: RunningProcess & { output(): string } = {
    child,
    pid: child.pid,
    exited,
    hasExited: () => done,
    output: () => Buffer.concat(chunks).toString('utf8'),
  };
  return running;
}

export function processOutput(process: RunningProcess): string {
  return (process as RunningProcess & { output(): string }).output();
}

function exitWithin(process: RunningProcess, ms: number): Promise<boolean> {
  if (process.hasExited()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(process.hasExited()), ms);
    void process.exited.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM, then SIGTERM again, then SIGKILL, each to this pid only. */
export async function stopProcess(process: RunningProcess): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      globalThis.process.kill(process.pid, name);
    } catch {
      // already gone
    }
  };
  if (process.hasExited()) return;
  signal('SIGTERM');
  if (await exitWithin(process, 300)) return;
  signal('SIGTERM');
  if (await exitWithin(process, 2000)) return;
  signal('SIGKILL');
  await process.exited;
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/**
 * A run of `count` consecutive ports, free for TCP and UDP on 127.0.0.1. Picked at random below
 * the kernel's ephemeral range (and below the RTP ranges, 20000-31999) so that parallel test files
 * rarely collide; a start that fails on a taken port is retried with others.
 */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const base = 10_000 + 2 * Math.floor(Math.random() * 5_000);
    let free = true;
    for (let port = base; port < base + count && free; port += 1) {
      free = (await tcpFree(port)) && (await udpFree(port));
    }
    if (free) return base;
  }
  throw new Error('no free loopback ports found');
}

/** Polls until a TCP connect to the port succeeds; rejects when the process exits first. */
export async function waitForTcp(port: number, process: RunningProcess): Promise<void> {
  for (;;) {
    if (process.hasExited()) throw new Error(`process ${process.pid} exited before it listened on TCP ${port}: ${processOutput(process)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.createConnection({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Polls /proc/net/udp until a socket is bound to 127.0.0.1:port (sipp listens on UDP only). */
export async function waitForUdp(port: number, process: RunningProcess): Promise<void> {
  const wanted = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  for (;;) {
    if (process.hasExited()) throw new Error(`process ${process.pid} exited before it listened on UDP ${port}: ${processOutput(process)}`);
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1] === wanted)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
