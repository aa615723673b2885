/** The IPC between a bench script and its bridge process (bench/tcp/bridge-child.ts). */
export type BridgeCommand =
  | { readonly id: number; readonly cmd: 'inits'; readonly legIds: readonly string[]; readonly graceMs: number }
  | { readonly id: number; readonly cmd: 'saturate'; readonly legIds: readonly string[]; readonly outstanding: number; readonly total: number; readonly graceMs: number }
  | { readonly id: number; readonly cmd: 'open'; readonly legIds: readonly string[]; readonly rate: number; readonly total: number; readonly graceMs: number }
  | { readonly id: number; readonly cmd: 'drop' }
  | { readonly id: number; readonly cmd: 'exit' };

export interface RunResult {
  readonly sent: number;
  readonly answered: number;
  /** Answers whose result was not SUCCESS (a healthy run has none). */
  readonly failed: number;
  /** From the first write to the last answer read. */
  readonly ms: number;
  /** Every answered request's write-to-answer time, sorted ascending. */
  readonly latenciesMs: ArrayLike<number>;
}

export type BridgeReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'connected'; readonly connections: number }
  | { readonly type: 'result'; readonly id: number; readonly result: RunResult }
  | { readonly type: 'dropped'; readonly id: number };
