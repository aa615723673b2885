/** The CLI run in-process through runCli: help, usage errors, the demo and the example pair. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { parseHostPort } from '../../src/cli/host-port.js';
import { runDemo } from '../../src/cli/demo/run-demo.js';
import { DEMO_DAY } from '../../src/cli/demo/day.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cti-cli-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function run(argv: string[]) {
  const io = collectingIo({ cwd: process.cwd() });
  const code = await runCli(argv, io);
  return { code, out: io.out(), err: io.err() };
}

describe('--version', () => {
  it.each([[['--version']], [['-V']]])('%j prints the package version and exits 0', async (argv) => {
    const { version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const { code, out, err } = await run(argv);
    expect(code).toBe(0);
    expect(out).toBe(`${version}\n`);
    expect(err).toBe('');
  });
});

describe('help', () => {
  it.each([
    [['--help'], 'Usage: cti-conversation <command>'],
    [['demo', '--help'], 'Usage: cti-conversation demo'],
    [['client', '-h'], 'Usage: cti-conversation client'],
    [['bridge', '--help'], 'Usage: cti-conversation bridge'],
  ])('%j prints its usage and exits 0', async (argv, usage) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(0);
    expect(out.startsWith(usage) || out.includes(`\n${usage}`)).toBe(true);
    expect(err).toBe('');
  });

  it('with no command prints the commands and exits 2', async () => {
    const { code, out } = await run([]);
    expect(code).toBe(2);
    expect(out).toMatch(/demo +a scripted day of calls/);
  });
});

describe('usage errors: exit 2, one line saying what is wrong and what to do', () => {
  it.each([
    [['dance'], 'unknown command "dance"'],
    [['demo', '--colour'], 'demo: unknown flag --colour'],
    [['demo', '--json=yes'], 'demo: --json takes no value'],
    [['demo', '--inspect=remote'], 'demo: --inspect does not know "remote"'],
    [['client', '--phone', 'sim'], 'client: --bridge HOST:PORT is required'],
    [['client', '--bridge', 'localhost', '--phone', 'sim'], '--bridge wants HOST:PORT, e.g. 127.0.0.1:4000'],
    [['client', '--bridge', '127.0.0.1:7001'], 'client: --phone sim|baresip|linphone is required'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'pbx'], 'client: --phone must be sim, baresip or linphone'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'baresip', '--calls', 'x.yaml'], 'client: --calls plays calls on the simulated phone; it needs --phone sim'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--baresip', '127.0.0.1:4444'], 'client: --baresip names a baresip to drive; it needs --phone baresip'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'linphone'], 'client: --phone linphone needs --linphone SOCKET (/tmp/<name given to linphone-daemon --pipe>)'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--linphone', '/tmp/x'], 'client: --linphone names a linphone-daemon socket to drive; it needs --phone linphone'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'linphone', '--linphone', '/tmp/x', '--calls', 'x.yaml'], 'client: --calls plays calls on the simulated phone; it needs --phone sim'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--ca', 'ca.pem'], 'client: --ca needs --tls'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--tls', '--cert', 'c.pem'], 'client: --cert and --key go together'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--tls', '--ca', 'no-such.pem'], '--ca no-such.pem: no such file'],
    [['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--calls', 'no-such.yaml'], '--calls no-such.yaml: no such file'],
    [['bridge'], 'bridge: --listen HOST:PORT is required'],
    [['bridge', '--listen', '127.0.0.1:99999'], '--listen has port 99999, which is not between 0 and 65535'],
    [['bridge', '--listen', '127.0.0.1:0', '--scenario', 'no-such.yaml'], '--scenario no-such.yaml: no such file'],
  ])('%j', async (argv, message) => {
    const { code, err, out } = await run(argv);
    expect(code).toBe(2);
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`cti-conversation: ${message}`);
    expect(lines[0]).toMatch(/ \([^)]+\)$/);
    expect(out).toBe('');
  });

  it('words a missing file and a folder the same way for every flag that names a file', async () => {
    const base = ['--bridge', '127.0.0.1:7001', '--phone', 'sim'];
    for (const [what, name] of [['no such file', 'no-such-file'], ['it is a folder', scratch]] as const) {
      const runs = await Promise.all([
        run(['client', ...base, '--calls', name]),
        run(['client', ...base, '--tls', '--ca', name]),
        run(['client', ...base, '--tls', '--cert', name, '--key', name]),
        run(['bridge', '--listen', '127.0.0.1:0', '--scenario', name]),
      ]);
      const flags = ['--calls', '--ca', '--(cert|key)', '--scenario'];
      runs.forEach(({ code, err }, i) => {
        expect(code).toBe(2);
        expect(err.trimEnd().split('\n')).toHaveLength(1);
        expect(err).toMatch(new RegExp(`^cti-conversation: ${flags[i]} ${name}: ${what} \\(`));
      });
    }
  });

  it('a scenario step the catalogue lacks is refused with its line, before anything is sent', async () => {
    const file = join(scratch, 'typo.yaml');
    await writeFile(file, 'name: typo\nsteps:\n  - init: leg-1\n  - request: hodl\n    on: leg-1\n  - await: helld\n    on: leg-1\n');
    const { code, err, out } = await run(['bridge', '--listen', '127.0.0.1:0', '--scenario', file]);
    expect(code).toBe(2);
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toContain('line 4: steps[1].request "hodl" is not a request of the catalogue (answer, release,');
    expect(err).toContain('line 6: steps[2].await "helld" is not an event of the catalogue');
    expect(err).not.toContain('listening');
    expect(out).toBe('');
  });

  it('a calls file with a mistake says where it is', async () => {
    const file = join(scratch, 'bad-calls.yaml');
    await writeFile(file, 'calls:\n  - leg: in-1\n    ring: { number: "+1" }\n    far: [{ do: explode }]\n');
    const { code, err } = await run(['client', '--bridge', '127.0.0.1:7001', '--phone', 'sim', '--calls', file]);
    expect(code).toBe(2);
    expect(err).toContain('calls[0].far[0].do: must be one of answer, busy, fail, hangUp, join, leave');
  });

  it('a scenario with a mistake says what it is', async () => {
    const file = join(scratch, 'bad-scenario.yaml');
    await writeFile(file, 'steps:\n  - request: hold\n');
    const { code, err } = await run(['bridge', '--listen', '127.0.0.1:0', '--scenario', file]);
    expect(code).toBe(2);
    expect(err).toContain('steps[0].on must be a leg id or a target');
  });
});

describe('demo in-process', () => {
  it('plays the whole day with every invariant held, as JSON lines', async () => {
    const { code, out, err } = await run(['demo', '--json']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const headings = lines.filter((line) => 'heading' in line).map((line) => line.heading);
    expect(headings).toEqual(DEMO_DAY.map((call, index) => `Call ${index + 1}: ${call.title}`));
    const summary = lines.at(-1)!.summary as {
      passed: boolean;
      calls: { total: number };
      problems: string[];
      invariants: { id: string; checked: boolean; held: boolean }[];
    };
    expect(summary.passed).toBe(true);
    expect(summary.calls.total).toBe(DEMO_DAY.length);
    expect(summary.problems).toEqual([]);
    // Invariant 3 too: the demo folds the events against the simulated phone's own legs.
    expect(summary.invariants.map((invariant) => [invariant.id, invariant.checked, invariant.held])).toEqual([
      ['1', true, true],
      ['2', true, true],
      ['3', true, true],
      ['4', true, true],
      ['8', true, true],
      ['dispose', true, true],
    ]);
    const names = lines
      .filter((line) => line.dir === 'client→bridge')
      .map((line) => (line.msg as { header: { name: string } }).header.name);
    for (const name of ['conversation.held', 'conversation.mute', 'conversation.busy', 'conversation.failed', 'conversation.partyremoved']) {
      expect(names).toContain(name);
    }
    const operations = lines.filter((line) => line.dir === 'client→phone').map((line) => line.op);
    for (const op of ['answer', 'hold', 'retrieve', 'mute', 'unmute', 'sendDtmf', 'transfer', 'conference', 'removeParty', 'release', 'dispose']) {
      expect(operations).toContain(op);
    }
    // The transcript keeps the client's order: every dispose is answered before the leg's dispose is called.
    const disposeOrder = lines
      .filter((line) => line.op === 'dispose' || (line.dir === 'client→bridge' && (line.msg as { header: { name: string } }).header.name === 'conversation.request.dispose'))
      .map((line) => (line.op === 'dispose' ? 'leg dispose' : 'dispose response'));
    expect(disposeOrder).toEqual(DEMO_DAY.flatMap(() => ['dispose response', 'leg dispose']));
  });

  it('fails with exit 1 and says which step, when the day does not go as scripted', async () => {
    const io = collectingIo();
    const code = await runDemo({
      io,
      mode: 'plain',
      day: [
        {
          title: 'a call scripted wrongly',
          start: { ring: { number: '+1' }, legId: 'wrong-1' },
          steps: [{ bridge: 'init', events: ['dialing'] }, { bridge: 'dispose' }],
        },
      ],
    });
    expect(code).toBe(1);
    expect(io.out()).toContain('call 1, step 1 (bridge init): expected events [dialing], the bridge saw [ringing]');
    expect(io.out()).toContain('FAILED');
  });
});

describe('bridge without a scenario', () => {
  it('listens until its signal, then reports that nothing could be checked, exit 1', async () => {
    const stop = new AbortController();
    const io = collectingIo({ signal: stop.signal, onListening: () => stop.abort() });
    const code = await runCli(['bridge', '--listen', '127.0.0.1:0'], io);
    expect(code).toBe(1);
    expect(io.err()).toMatch(/^bridge: listening on 127\.0\.0\.1:\d+\n/);
    expect(io.out()).toContain('invariants   0 checked, 0 held (the client sent nothing to check)');
  });

  it('stopped with no client, its summary says why each invariant was not checked and points at no ✗ line', async () => {
    const stop = new AbortController();
    const io = collectingIo({ signal: stop.signal, onListening: () => stop.abort() });
    expect(await runCli(['bridge', '--listen', '127.0.0.1:0'], io)).toBe(1);
    const out = io.out();
    expect(out).not.toContain('✗');
    expect(out).not.toMatch(/see the ✗ lines/);
    expect(out).toContain('FAILED: no invariant could be checked: no client sent anything.');
    const invariantLines = out.split('\n').filter((line) => /^ {4}\[/.test(line));
    expect(invariantLines.length).toBeGreaterThan(5);
    for (const line of invariantLines) expect(line).toMatch(/: not checked: \S/);
    expect(out).toContain("[3] folding the init body and the events gives the leg's model: not checked: it needs the leg's expected model");
    expect(out).toContain('invariants 5 to 7');
  });

  it('prints an IPv6 address in brackets, a form --bridge accepts back', async () => {
    const stop = new AbortController();
    let bound: { host: string; port: number } | undefined;
    const io = collectingIo({ signal: stop.signal, onListening: (address) => ((bound = address), stop.abort()) });
    const code = await runCli(['bridge', '--listen', '[::1]:0'], io);
    const printed = /listening on (\S+)/.exec(io.err())?.[1];
    if (bound === undefined) {
      // No IPv6 loopback on this machine: the bind fails with one line naming the address as given.
      expect(code).toBe(1);
      expect(io.err()).toContain('cannot listen on [::1]:0');
      return;
    }
    expect(printed).toBe(`[::1]:${bound.port}`);
    expect(parseHostPort('--bridge', printed!, 'hint')).toEqual({ host: '::1', port: bound.port });
  });
});

describe('bridge and client in-process with the example files', () => {
  it('the scenario passes against the calls file, and the client closes on its signal', async () => {
    let announce: (port: number) => void = () => undefined;
    const listening = new Promise<number>((resolve) => (announce = resolve));
    const bridgeIo = collectingIo({ cwd: process.cwd(), onListening: ({ port }) => announce(port) });
    const bridge = runCli(['bridge', '--listen', '127.0.0.1:0', '--scenario', 'examples/scenario.yaml'], bridgeIo);
    const port = await listening;
    const stop = new AbortController();
    const clientIo = collectingIo({ cwd: process.cwd(), signal: stop.signal });
    const client = runCli(['client', '--bridge', `127.0.0.1:${port}`, '--phone', 'sim', '--calls', 'examples/calls.yaml'], clientIo);
    const bridgeCode = await bridge;
    stop.abort();
    const clientCode = await client;
    expect(bridgeIo.out()).toContain('PASSED: every invariant checked held.');
    expect(bridgeIo.out()).toContain('every step went as scripted');
    expect(bridgeCode).toBe(0);
    expect(clientCode).toBe(0);
    expect(clientIo.err()).toMatch(/client: closed\n$/);
  });
});
