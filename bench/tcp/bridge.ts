/** Starts the bench's bridge process and talks to it; the script stops it by its pid when done. */
import { fork, type ChildProcess } from 'node:child_process';
import type { BridgeCommand, BridgeReply, RunResult } from './protocol.js';

type Command = BridgeCommand extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

export class BenchBridge {
  readonly #child: ChildProcess;
  readonly port: number;
  #nextId = 1;
  #connections = 0;
  readonly #waiting = new Map<number, (reply: BridgeReply) => void>();
  #connectionWaiters: (() => void)[] = [];

  private constructor(child: ChildProcess, port: number) {
    this.#child = child;
    this.port = port;
    child.on('message', (raw) => {
      const reply = raw as BridgeReply;
      if (reply.type === 'connected') {
        this.#connections = reply.connections;
        const waiters = this.#connectionWaiters;
        this.#connectionWaiters = [];
        for (const w of waiters) w();
      } else if (reply.type === 'result' || reply.type === 'dropped') {
        this.#waiting.get(reply.id)?.(reply);
        this.#waiting.delete(reply.id);
      }
    });
  }

  static start(): Promise<BenchBridge> {
    const child = fork(new URL('./bridge-child.ts', import.meta.url), [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the bench bridge exited (${code})`)));
      child.once('message', (raw) => {
        const reply = raw as BridgeReply;
        if (reply.type === 'ready') resolve(new BenchBridge(child, reply.port));
      });
    });
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Resolves when the bridge accepted a connection after the `seen`th. */
  connectionAfter(seen: number): Promise<void> {
    if (this.#connections > seen) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.#connections > seen) resolve();
        else this.#connectionWaiters.push(check);
      };
      this.#connectionWaiters.push(check);
    });
  }

  get connections(): number {
    return this.#connections;
  }

  #ask(command: Command): Promise<BridgeReply> {
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#waiting.set(id, resolve);
      this.#child.send({ ...command, id });
    });
  }

  async run(command: Exclude<Command, { cmd: 'drop' } | { cmd: 'exit' }>): Promise<RunResult> {
    const reply = await this.#ask(command);
    if (reply.type !== 'result') throw new Error('the bench bridge answered out of turn');
    return reply.result;
  }

  async drop(): Promise<void> {
    await this.#ask({ cmd: 'drop' });
  }

  /** Stops the bridge process by its pid. */
  stop(): void {
    this.#child.removeAllListeners('exit');
    if (this.#child.pid !== undefined && this.#child.exitCode === null) process.kill(this.#child.pid, 'SIGTERM');
  }
}
