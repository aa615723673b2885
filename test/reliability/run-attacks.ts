/** Starts test/reliability/attack-run.ts under a 128 MB heap; the test stops it by its pid if it outlives it. */
import { spawn, type ChildProcess } from 'node:child_process';

let child: ChildProcess | undefined;

/** Kills the attack process if it is still running (by its pid). */
export function stopAttacks(): void {
  if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(child.pid, 'SIGKILL');
  child = undefined;
}

/** Runs the attack program under a 128 MB heap; resolves with its exit code and output. */
export function runAttacks(args: string[]): Promise<{ code: number | null; signal: string | null; output: string }> {
  return new Promise((resolve) => {
    const started = spawn(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'test/reliability/attack-run.ts', ...args], {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = started;
    let output = '';
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.once('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

/** The RESULT line of the attack program, parsed. */
export function attackResult(output: string): Record<string, unknown> & { counters: Record<string, number> } {
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`the attack program printed no RESULT line:\n${output.slice(-3000)}`);
  return JSON.parse(line.slice('RESULT '.length)) as Record<string, unknown> & { counters: Record<string, number> };
}
