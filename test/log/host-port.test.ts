/**
 * host:port as the package prints it: an IPv6 address in brackets, the form the CLI's flags
 * accept back. One helper (src/log/host-port.ts) for the client's log lines, BaresipPhone's
 * connect error and the CLI; each checked here with `::1` on loopback.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { BaresipPhone } from '../../src/adapters/baresip/index.js';
import { createBridgeClient, type BridgeClient, type BridgeClientDiagnostic } from '../../src/client/index.js';
import { parseHostPort } from '../../src/cli/host-port.js';
import { runCli } from '../../src/cli/run-cli.js';
import { formatHostPort } from '../../src/log/host-port.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { createBridgeSimulator, type BridgeSimulator } from '../../src/simulator/index.js';
import { watchedIo } from '../support/watched-io.js';

/** A port on ::1 that nothing listens on now. */
async function unusedIpv6Port(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '::1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let client: BridgeClient | undefined;
let sim: BridgeSimulator | undefined;
let phone: SimulatedPhone | undefined;

afterEach(async () => {
  await client?.close();
  await sim?.close();
  await phone?.close();
  client = sim = phone = undefined;
});

describe('formatHostPort', () => {
  it('puts an IPv6 address in brackets and leaves IPv4 addresses and names as they are', () => {
    expect(formatHostPort('::1', 7001)).toBe('[::1]:7001');
    expect(formatHostPort('fe80::1%eth0', 7001)).toBe('[fe80::1%eth0]:7001');
    expect(formatHostPort('127.0.0.1', 7001)).toBe('127.0.0.1:7001');
    expect(formatHostPort('bridge.example.com', 7001)).toBe('bridge.example.com:7001');
  });

  it('prints what --bridge reads back to the same host and port', () => {
    for (const [host, port] of [['::1', 7001], ['2001:db8::5', 1], ['127.0.0.1', 65535], ['localhost', 4444]] as const) {
      expect(parseHostPort('--bridge', formatHostPort(host, port), 'hint')).toEqual({ host, port });
    }
  });
});

describe('an IPv6 bridge or phone address, printed', () => {
  it('the bridge client logs "connected to the bridge at [::1]:PORT"', async () => {
    sim = await createBridgeSimulator({ host: '::1', port: 0 });
    phone = new SimulatedPhone();
    const lines: string[] = [];
    const connected = new Promise<void>((resolve) => {
      client = createBridgeClient({
        host: '::1',
        port: sim!.port,
        phone: phone!,
        logger: { info: (line: string) => lines.push(line) },
        onDiagnostic: (d) => d.code === 'connected' && resolve(),
      });
    });
    await connected;
    expect(lines).toContain(`bridge client: connected to the bridge at [::1]:${sim.port} code=connected`);
  });

  it('the bridge client says "could not connect to the bridge at [::1]:PORT"', async () => {
    const port = await unusedIpv6Port();
    phone = new SimulatedPhone();
    const failed = new Promise<BridgeClientDiagnostic>((resolve) => {
      client = createBridgeClient({
        host: '::1',
        port,
        phone: phone!,
        reconnect: { initialDelayMs: 1, maxDelayMs: 2 },
        onDiagnostic: (d) => d.code === 'connect-failed' && resolve(d),
      });
    });
    expect((await failed).message).toMatch(new RegExp(`^could not connect to the bridge at \\[::1\\]:${port}: `));
  });

  it("BaresipPhone.connect rejects with \"cannot reach baresip's ctrl_tcp at [::1]:PORT\"", async () => {
    const port = await unusedIpv6Port();
    await expect(BaresipPhone.connect({ host: '::1', port })).rejects.toThrow(`cannot reach baresip's ctrl_tcp at [::1]:${port}: `);
  });

  it('the CLI prints the unreachable baresip address as --baresip takes it', async () => {
    const port = await unusedIpv6Port();
    const io = watchedIo(new AbortController().signal);
    const code = await runCli(['client', '--bridge', '[::1]:7001', '--phone', 'baresip', '--baresip', `[::1]:${port}`], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`client: cannot reach baresip's ctrl_tcp at [::1]:${port}: `);
  });
});
