/** Temporary trace files for the trace tests, removed after each test. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';

export async function traceDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cti-trace-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export const DEMO_TRACE = new URL('../../examples/traces/demo-day.jsonl', import.meta.url).pathname;
