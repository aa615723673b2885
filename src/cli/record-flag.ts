/** `--record FILE [--record-unmasked]`, shared by `client` and `demo`. */
import { resolve } from 'node:path';
import type { TraceRecordOptions } from '../trace/index.js';
import { UsageError } from './usage-error.js';

export function recordFlag(command: string, file: string | undefined, unmasked: boolean | undefined, cwd: string, hint: string): TraceRecordOptions | undefined {
  if (file === undefined) {
    if (unmasked) throw new UsageError(`${command}: --record-unmasked needs --record FILE`, hint);
    return undefined;
  }
  if (file === '') throw new UsageError(`${command}: --record needs a file name`, hint);
  return { file: resolve(cwd, file), ...(unmasked && { unmasked: true }) };
}
