/**
 * What a CLI command may touch of the outside world. `main.ts` passes the real process streams;
 * tests pass string collectors, so every command can run in-process.
 */
import type { SimulatedPhone } from '../phone/simulated/index.js';
import type { BridgeSimulator } from '../simulator/index.js';

export interface CliOutput {
  write(text: string): void;
  /** True when the output is a terminal (the transcript is then coloured). */
  readonly isTTY?: boolean;
}

export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  /** Environment variables (NO_COLOR, FORCE_COLOR); defaults to none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative file names are resolved from; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Aborted on Ctrl-C: long-running commands close cleanly and return. */
  readonly signal?: AbortSignal;
  /** Called once a server command listens, with the address it bound (tests read the port). */
  readonly onListening?: (address: { host: string; port: number }) => void;
  /**
   * Called when `demo --inspect` has finished its day and left a call live: in-process callers
   * (the inspector's browser test) can then drive the live leg through the simulator.
   */
  readonly onDemoLive?: (live: {
    readonly simulator: BridgeSimulator;
    readonly phone: SimulatedPhone;
    readonly target: string;
    readonly inspectorUrl: string;
  }) => void;
}

/** An io that collects everything written, for tests and for embedding. */
export function collectingIo(options: Partial<Omit<CliIo, 'stdout' | 'stderr'>> = {}): CliIo & {
  readonly out: () => string;
  readonly err: () => string;
} {
  let out = '';
  let err = '';
  return {
    ...options,
    stdout: { write: (text) => void (out += text), isTTY: false },
    stderr: { write: (text) => void (err += text), isTTY: false },
    out: () => out,
    err: () => err,
  };
}
