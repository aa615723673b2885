/**
 * Log lines a bridge cannot forge or flood, and that hold no personal data above debug: a target
 * with a newline, a flood of frames that each earn a warning, and the CLI's default output of the
 * example pair (numbers, names and DTMF digits appear at debug level only).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createBridgeClient, type BridgeClient } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { runCli } from '../../src/cli/run-cli.js';
import { collectingIo } from '../../src/cli/io.js';
import { startHostileBridge, type HostileBridge } from '../support/hostile-bridge.js';

let bridge: HostileBridge | undefined;
let client: BridgeClient | undefined;
let phone: SimulatedPhone | undefined;

afterEach(async () => {
  await client?.close();
  await phone?.close();
  await bridge?.close();
  client = phone = bridge = undefined;
});

async function setUp(lines: string[]) {
  bridge = await startHostileBridge();
  phone = new SimulatedPhone();
  const record = (level: string) => (line: string) => lines.push(`${level} ${line}`);
  client = createBridgeClient({
    host: bridge.host,
    port: bridge.port,
    phone,
    logLevel: 'debug',
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  });
  await bridge.waitForConnection();
  return { bridge, client };
}

const hold = (target: string, requestId: string) => ({ header: { type: 'cti.request', name: 'conversation.request.hold', target, requestId }, body: {} });

describe('log lines a bridge cannot forge', () => {
  it('a target holding a newline and a fake "connected" line stays on one escaped line', async () => {
    const lines: string[] = [];
    const { bridge: b } = await setUp(lines);
    const forged = 'A.x\ninfo bridge client: connected to the bridge at 10.0.0.1:1 code=connected\u001b[2J';
    b.send(hold(forged, 'r-1'));
    await b.waitUntil(() => b.answerCount('r-1') === 1);
    expect(lines.filter((l) => l.includes('connected to the bridge'))).toHaveLength(2);
    const line = lines.find((l) => l.includes('unknown leg'))!;
    expect(line).not.toMatch(/[\n\r\u001b]/);
    expect(line).toContain('\\ninfo bridge client');
    expect(lines.every((l) => !/[\u0000-\u001f]/.test(l))).toBe(true);
  });

  it('a flood of 5,000 frames that each earn a warning writes a handful of lines and counts the rest', async () => {
    const lines: string[] = [];
    const { bridge: b, client: c } = await setUp(lines);
    const began = Date.now();
    for (let i = 0; i < 5000; i++) b.send(hold(`A.nope-${'n'.repeat(i % 1000)}`, `f-${i}`));
    await b.waitUntil(() => b.answers.size === 5000);
    // 10 lines per code per 10 s window: however slow the machine, a handful per window.
    const windows = Math.ceil((Date.now() - began) / 10_000) + 1;
    const warnings = lines.filter((l) => l.includes('code=unknown-leg'));
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.length).toBeLessThanOrEqual(10 * windows);
    expect(c.counters.logLinesSuppressed).toBeGreaterThanOrEqual(5000 - warnings.length);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(600);
  });
});

describe('no personal data above debug level', () => {
  async function runPair(extra: string[]): Promise<string> {
    let announce: (port: number) => void = () => undefined;
    const listening = new Promise<number>((resolve) => (announce = resolve));
    const bridgeIo = collectingIo({ cwd: process.cwd(), onListening: ({ port }) => announce(port) });
    const bridgeRun = runCli(['bridge', '--listen', '127.0.0.1:0', '--scenario', 'examples/scenario.yaml'], bridgeIo);
    const port = await listening;
    const stop = new AbortController();
    const clientIo = collectingIo({ cwd: process.cwd(), signal: stop.signal });
    const clientRun = runCli(['client', '--bridge', `127.0.0.1:${port}`, '--phone', 'sim', '--calls', 'examples/calls.yaml', ...extra], clientIo);
    expect(await bridgeRun).toBe(0);
    stop.abort();
    expect(await clientRun).toBe(0);
    return clientIo.err();
  }

  it("the CLI client's default output holds no caller number, party name or DTMF digit; --log-level debug does", async () => {
    const quiet = await runPair([]);
    expect(quiet).toContain('client: leg in-1: new RINGING call');
    for (const secret of ['+1555123000', 'Pat Caller', 'Sam Smith', '1234#']) expect(quiet).not.toContain(secret);
    const loud = await runPair(['--log-level', 'debug']);
    expect(loud).toContain('+15551230001 (Pat Caller)');
  });
});
