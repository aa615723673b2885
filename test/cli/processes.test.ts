/**
 * The CLI as its users run it: separate node processes started from source (node --import tsx),
 * each stopped by its pid. The demo, the bridge/client pair with the example files, the pair
 * recorded with `client --record` and replayed, and the README's command for clean JSON lines
 * (`npm start --silent -- --json`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { traceDir } from '../trace/support.js';

const started: ChildProcess[] = [];

interface Started {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  readonly exit: Promise<number | null>;
}

function start(args: string[]): Started {
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

/** The port a `bridge --listen 127.0.0.1:0` says (on stderr) it listens on. */
function listeningPort(bridge: Started): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const look = (): void => {
      const found = /listening on 127\.0\.0\.1:(\d+)/.exec(bridge.err());
      if (found) resolve(found[1]!);
    };
    bridge.child.stderr!.on('data', look);
    void bridge.exit.then(() => reject(new Error(`the bridge exited early: ${bridge.err()}`)));
  });
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
    const port = await listeningPort(bridge);
    const client = start(['client', '--bridge', `127.0.0.1:${port}`, '--phone', 'sim', '--calls', 'examples/calls.yaml']);
    const bridgeCode = await bridge.exit;
    expect(bridge.out()).toContain('every step went as scripted');
    expect(bridge.out()).toContain('PASSED: every invariant checked held.');
    expect(bridgeCode).toBe(0);
    process.kill(client.child.pid!, 'SIGTERM');
    expect(await client.exit).toBe(0);
    expect(client.err()).toMatch(/client: closed\n$/);
  });

  it('client --record FILE: the trace holds the frames in and out, masked as docs/traces.md says; replay FILE matches and exits 0', async () => {
    const file = join(await traceDir(), 'pair.jsonl');
    const bridge = start(['bridge', '--listen', '127.0.0.1:0', '--scenario', 'examples/scenario.yaml']);
    const port = await listeningPort(bridge);
    const client = start(['client', '--bridge', `127.0.0.1:${port}`, '--phone', 'sim', '--calls', 'examples/calls.yaml', '--record', file]);
    expect(await bridge.exit).toBe(0);
    expect(bridge.out()).toContain('every step went as scripted');
    // The trace is complete once the client has closed (its last batch written, the file closed).
    process.kill(client.child.pid!, 'SIGTERM');
    expect(await client.exit).toBe(0);

    const text = await readFile(file, 'utf8');
    type Line = { kind: string; t?: number; leg?: string; frame?: { header: Record<string, string>; body: Record<string, unknown> }; operation?: string; args?: string[] };
    const [header, ...lines] = text.trimEnd().split('\n').map((line) => JSON.parse(line) as Line & Record<string, unknown>);
    expect(header).toMatchObject({ kind: 'trace', format: 'cti-conversation-trace', version: 1, part: 0, masked: true });
    const frames = (kind: 'frame.in' | 'frame.out', name: string) =>
      lines.filter((line) => line.kind === kind && line.frame?.header['name'] === name).map((line) => line.frame as NonNullable<Line['frame']>);
    // In: every request the scenario sends, on the leg it names; out: the answers and the events.
    for (const name of ['conversation.query.init', 'conversation.request.answer', 'conversation.request.senddtmf', 'conversation.request.transfer', 'conversation.request.conference', 'conversation.request.removeparty', 'conversation.request.dispose']) {
      expect(frames('frame.in', name), name).not.toHaveLength(0);
    }
    expect(lines.filter((line) => line.kind === 'frame.in').every((line) => line.frame?.header['type'] === 'cti.query' || line.frame?.header['type'] === 'cti.request')).toBe(true);
    const out = lines.filter((line) => line.kind === 'frame.out').map((line) => line.frame?.header['type']);
    expect(new Set(out)).toEqual(new Set(['cti.response', 'cti.event']));
    const framed = lines.filter((line) => line.kind.startsWith('frame.'));
    expect(new Set(framed.flatMap((line) => (line.leg === undefined ? [] : [line.leg])))).toEqual(new Set(['in-1', 'in-2', 'in-3', 'out-1', 'out-2']));
    // Without a leg: what the client answered itself, here the scenario's hold after in-1 was disposed.
    expect(framed.filter((line) => line.leg === undefined).map((line) => [line.kind, line.frame?.header['name'], line.frame?.header['errorMessage']])).toEqual([
      ['frame.in', 'conversation.request.hold', undefined],
      ['frame.out', 'conversation.request.hold', 'hold: this conversation was disposed (disposed)'],
    ]);

    // Masked: no caller's number or name, no DTMF digit string, no destination as the bridge gave it.
    for (const secret of ['+15551230001', '15551230002', '15551230003', '15551239999', 'Pat Caller', 'Sam Smith', 'Alex Jones', 'Casey Customer', 'Supervisor', '1234#']) {
      expect(text, secret).not.toContain(secret);
    }
    const digits = frames('frame.in', 'conversation.request.senddtmf').map((frame) => frame.body['digits']);
    // The refused '12a' stays refused for the same reason: three characters, not all DTMF.
    expect(digits).toHaveLength(2);
    expect(digits[0]).toMatch(/^[0-9*#]{5}$/);
    expect(digits[0]).not.toBe('1234#');
    expect(digits[1]).toMatch(/^(?![0-9*#]{3}$).{3}$/);
    // The same value, the same token: the digits the bridge asked for are the ones the phone played.
    expect(lines.filter((line) => line.kind === 'operation.started' && line.operation === 'sendDtmf').map((line) => line.args)).toEqual([[digits[0]]]);
    const destinations = [...frames('frame.in', 'conversation.request.transfer'), ...frames('frame.in', 'conversation.request.conference')].map((frame) => frame.body['destination']);
    expect(destinations).toHaveLength(3);
    for (const destination of destinations) expect(['2098', '2099', '2001']).not.toContain(destination);
    expect(frames('frame.in', 'conversation.request.removeparty').map((frame) => frame.body['number'])).toEqual([expect.stringMatching(/^masked-\d+$/)]);

    const replay = start(['replay', file]);
    expect(await replay.exit, replay.out() + replay.err()).toBe(0);
    expect(replay.out()).toMatch(/: matches \(5 legs, \d+ messages and operations compared\)\n$/);
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
