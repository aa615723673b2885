/**
 * sipp as a scripted far end (Debian package sip-tester): one call per run, on a loopback UDP port
 * of its own, scenario files under test/fixtures/sipp. It exits 0 when the scenario ran to its end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, processOutput, startProcess, stopProcess, waitForUdp, type RunningProcess } from './baresip-lab-process.js';

const SCENARIOS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/sipp');

export interface SippFarEnd {
  readonly port: number;
  /** The address to dial. */
  readonly uri: string;
  readonly process: RunningProcess;
  /** Exit code once the call is over: 0 when the far end saw everything the scenario expects. */
  readonly exited: Promise<number | null>;
  /** The SIP messages sipp sent and received (its -trace_msg file). */
  messages(): string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts sipp as a server (UAS) with `scenario` and resolves once it listens. */
export async function startSippServer(scenario: string, keys: Record<string, string> = {}): Promise<SippFarEnd> {
  let lastError: unknown;
  // A port found free can be taken by a parallel test file before sipp binds it: try others.
  for (let attempt = 0; attempt < 4; attempt += 1) {
    try {
      return await startSippOnce(scenario, keys);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError instanceof Error ? lastError : new Error('sipp did not start');
}

async function startSippOnce(scenario: string, keys: Record<string, string>): Promise<SippFarEnd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cti-sipp-'));
  const port = await freePorts(4);
  const args = ['-sf', path.join(SCENARIOS, scenario), '-i', '127.0.0.1', '-p', String(port)];
  args.push('-mi', '127.0.0.1', '-mp', String(port + 2), '-m', '1', '-timeout', '30s', '-timeout_error');
  args.push('-nostdin', '-trace_err', '-trace_msg');
  for (const [key, value] of Object.entries(keys)) args.push('-key', key, value);
  const process = startProcess('sipp', args, { cwd: dir });
  try {
    await waitForUdp(port, process);
  } catch (error) {
    await stopProcess(process);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const read = () => {
    const file = readdirSync(dir).find((name) => name.endsWith('_messages.log'));
    return file ? readFileSync(path.join(dir, file), 'utf8') : '';
  };
  return {
    port,
    uri: `sip:far@127.0.0.1:${port}`,
    process,
    exited: process.exited,
    messages: read,
    output: () => processOutput(process),
    stop: async () => {
      await stopProcess(process);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
