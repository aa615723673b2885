/**
 * The CLI as its users run it: separate node processes started from source (node --import tsx),
 * each stopped by its pid. The demo, the bridge/client pair with the example files, and the
 * README's command for clean JSON lines (`npm start --silent -- --json`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

const started: ChildProcess[] = [];

function start(args: string[]): { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> } {
  // The test runner may set FORCE_COLOR; a user's piped output has neither.
  const env = { ...process.env };
  delete env.FORCE_COLOR;
  delete env.NO_COLOR;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
    cwd: process.cwd(),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (out += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (err += text));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Process groups started (npm runs sh, which runs tsx, which runs node): each stopped by its leader's pid. */
const groups: number[] = [];

afterEach(() => {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
  }
  for (const pid of groups.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group has already gone
    }
  }
});

describe('cti-conversation as a process', () => {
  it('demo: plays every kind of call, plain when piped, and exits 0 with every invariant held', async () => {
    const demo = start(['demo']);
    expect(await demo.exit).toBe(0);
    const out = demo.out();
    expect(out).not.toContain('\x1b[');
    for (const title of [
      'Inbound call: answered, hold and retrieve, mute and unmute, DTMF',
      'Inbound call: blind transfer',
      'Inbound call: blind conference, a party removed, the caller hangs up',
      'Outbound call: busy',
      'Outbound call: failed',
      'Outbound call: answered, the far end hangs up',
    ]) {
      expect(out).toContain(title);
    }
    expect(out).toMatch(/client→bridge +event +busy/);
    expect(out).toMatch(/client→bridge +event +failed +reason=number not in service/);
    expect(out).toMatch(/client→bridge +event +partyremoved +number=2001/);
    // DTMF digits are masked in the transcript unless --show-digits asks for them.
    expect(out).toMatch(/client→phone +operation +sendDtmf +\[5 digits\]/);
    expect(out).not.toMatch(/1234#/);
    expect(out).toMatch(/invariants +6 checked, 6 held/);
    expect(out).toContain('PASSED: every invariant checked held.');
  });

  it('bridge + client with the example files: the scenario passes; the client closes cleanly on SIGTERM', async () => {
    const bridge = start(['bridge', '--listen', '127.0.0.1:0', '--scenario', 'examples/scenario.yaml']);
    const port = await new Promise<string>((resolve, reject) => {
      const look = (): void => {
        const found = /listening on 127\.0\.0\.1:(\d+)/.exec(bridge.err());
        if (found) resolve(found[1]!);
      };
      bridge.child.stderr!.on('data', look);
      void bridge.exit.then(() => reject(new Error(`the bridge exited early: ${bridge.err()}`)));
    });
    const client = start(['client', '--bridge', `127.0.0.1:${port}`, '--phone', 'sim', '--calls', 'examples/calls.yaml']);
    const bridgeCode = await bridge.exit;
    expect(bridge.out()).toContain('every step went as scripted');
    expect(bridge.out()).toContain('PASSED: every invariant checked held.');
    expect(bridgeCode).toBe(0);
    process.kill(client.child.pid!, 'SIGTERM');
    expect(await client.exit).toBe(0);
    expect(client.err()).toMatch(/client: closed\n$/);
  });

  it('npm start --silent -- --json (the README\'s command) prints only JSON lines, each with a type and a timestamp', async () => {
    const env = { ...process.env };
    delete env.FORCE_COLOR;
    delete env.NO_COLOR;
    // Its own process group, so that npm's children (sh, tsx, node) can be stopped by the group's pid.
    const npm = spawn('npm', ['start', '--silent', '--', '--json'], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    groups.push(npm.pid!);
    let out = '';
    let err = '';
    npm.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
    npm.stderr.setEncoding('utf8').on('data', (text: string) => (err += text));
    const code = await new Promise<number | null>((resolve) => npm.once('close', (exitCode) => resolve(exitCode)));
    expect(err).toBe('');
    expect(code).toBe(0);
    expect(out.endsWith('\n')).toBe(true);
    const lines = out.slice(0, -1).split('\n');
    expect(lines.length).toBeGreaterThan(50);
    const types = new Set<string>();
    for (const line of lines) {
      let parsed: unknown;
      expect(() => (parsed = JSON.parse(line)), line).not.toThrow();
      const entry = parsed as { type?: unknown; time?: unknown };
      expect(typeof entry.type, line).toBe('string');
      expect(entry.time, line).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
      types.add(entry.type as string);
    }
    expect([...types].sort()).toEqual(['heading', 'note', 'phone', 'script', 'summary', 'wire']);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'summary', summary: { passed: true } });
  });
});
