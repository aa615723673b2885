/**
 * The client over TLS against the simulator serving a self-signed certificate made by the test
 * (openssl, no network): a call works when the client trusts the certificate; without that trust,
 * or for another server name, the client refuses to connect, as verifying by default requires.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeClient, type BridgeClient, type BridgeClientDiagnostic } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import { createBridgeSimulator, type BridgeSimulator } from '../../src/simulator/index.js';
import { makeSelfSignedCertificate, type TestCertificate } from '../support/tls-certificate.js';
import { startRig, type Rig } from './helpers/call-rig.js';

let certificate: TestCertificate;
let rig: Rig | undefined;

beforeAll(() => {
  certificate = makeSelfSignedCertificate();
});
afterAll(() => certificate.remove());
afterEach(async () => {
  await rig?.stop();
  rig = undefined;
});

describe('bridge client over TLS', () => {
  it('plays a call when the client trusts the bridge certificate', async () => {
    rig = await startRig({
      simulator: { tls: { key: certificate.key, cert: certificate.cert } },
      client: { tls: { ca: certificate.cert } },
    });
    const { sim, phone } = rig;
    phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    const T = 'PB1.AGENT.1001.leg-1';
    await sim.init(T);
    await sim.waitForEvent(T, 'ringing');
    await rig.step(T, 'answer', {}, ['started', 'partyadded', 'talking'], 'leg-1');
    await rig.step(T, 'release', {}, ['ended'], 'leg-1');
    expect(sim.report().violations).toEqual([]);
    expect((await rig.diagnostic('connected')).message).toContain('(TLS)');
  });

  async function refused(tls: Parameters<typeof createBridgeClient>[0]['tls']): Promise<{ failure: BridgeClientDiagnostic; sim: BridgeSimulator; client: BridgeClient }> {
    const sim = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert } });
    const phone = new SimulatedPhone();
    let resolve!: (d: BridgeClientDiagnostic) => void;
    const failed = new Promise<BridgeClientDiagnostic>((r) => (resolve = r));
    const client = createBridgeClient({
      host: sim.host,
      port: sim.port,
      phone,
      tls,
      reconnect: { initialDelayMs: 1000, maxDelayMs: 1000 },
      onDiagnostic: (d) => d.code === 'connect-failed' && resolve(d),
    });
    return { failure: await failed, sim, client };
  }

  it('refuses a certificate it has no reason to trust (verifying by default)', async () => {
    const { failure, sim, client } = await refused(true);
    expect(failure.message).toMatch(/could not connect to the bridge at 127\.0\.0\.1:\d+: self[- ]signed certificate/);
    expect(sim.connectionCount).toBe(0);
    await client.close();
    await sim.close();
  });

  it('refuses a trusted certificate issued for another name', async () => {
    const { failure, sim, client } = await refused({ ca: certificate.cert, servername: 'bridge.invalid' });
    expect(failure.message).toContain("Hostname/IP does not match certificate's altnames");
    expect(sim.connectionCount).toBe(0);
    await client.close();
    await sim.close();
  });
});

describe('bridge client with certificate verification turned off', () => {
  for (const [how, tls] of [
    ['insecureSkipVerify: true', { insecureSkipVerify: true }],
    ['rejectUnauthorized: false', { rejectUnauthorized: false }],
  ] as const) {
    it(`${how} connects to an untrusted certificate and warns on every connect`, async () => {
      rig = await startRig({ simulator: { tls: { key: certificate.key, cert: certificate.cert } }, client: { tls } });
      const { sim, phone } = rig;
      phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
      expect((await sim.init('A.leg-1')).header.result).toBe('SUCCESS');
      expect((await rig.diagnostic('connected')).message).toContain('(TLS, certificate NOT verified)');
      await sim.dropConnection();
      await sim.waitForConnection(2);
      const warnings = rig.diagnostics.filter((d) => d.code === 'tls-unverified');
      expect(warnings.length).toBeGreaterThanOrEqual(2);
      expect(warnings.every((d) => d.level === 'warn' && /verification is OFF/.test(d.message))).toBe(true);
    });
  }

  it('warns through the logger too, whatever the log level short of silent', async () => {
    const lines: string[] = [];
    rig = await startRig({
      simulator: { tls: { key: certificate.key, cert: certificate.cert } },
      client: { tls: { insecureSkipVerify: true }, logLevel: 'warn', logger: { warn: (l: string) => lines.push(l), info: (l: string) => lines.push(l), error: () => undefined } },
    });
    await rig.diagnostic('connected');
    expect(lines.filter((l) => l.includes('verification is OFF'))).toHaveLength(1);
    expect(lines.some((l) => l.includes('connected to the bridge'))).toBe(false);
  });
});

describe('bridge simulator over TLS', () => {
  it('closes even while a peer sits in the middle of a handshake', async () => {
    const { connect } = await import('node:net');
    const sim = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert } });
    const socket = connect({ host: sim.host, port: sim.port });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    await sim.close();
    await closed;
    expect(sim.connectionCount).toBe(0);
  });
});

describe('mutual TLS', () => {
  it('presents a client certificate when the bridge asks for one', async () => {
    rig = await startRig({
      simulator: { tls: { key: certificate.key, cert: certificate.cert, ca: certificate.cert, requestCert: true } },
      client: { tls: { ca: certificate.cert, cert: certificate.cert, key: certificate.key } },
    });
    rig.phone.ring({ number: '+15551230001' }, { id: 'leg-1' });
    expect((await rig.sim.init('A.leg-1')).header.result).toBe('SUCCESS');
  });

  it('is turned away by a bridge that asks for a certificate it does not get', async () => {
    const sim = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert, ca: certificate.cert, requestCert: true } });
    const phone = new SimulatedPhone();
    let resolve!: (d: BridgeClientDiagnostic) => void;
    const turnedAway = new Promise<BridgeClientDiagnostic>((r) => (resolve = r));
    const client = createBridgeClient({
      host: sim.host,
      port: sim.port,
      phone,
      tls: { ca: certificate.cert },
      reconnect: { initialDelayMs: 1000, maxDelayMs: 1000 },
      // TLS 1.3 finishes the client's side of the handshake before the bridge refuses it.
      onDiagnostic: (d) => (d.code === 'connect-failed' || d.code === 'disconnected') && resolve(d),
    });
    const diagnostic = await turnedAway;
    expect(diagnostic.message).toMatch(/certificate/i);
    expect(sim.connectionCount).toBe(0);
    await client.close();
    await sim.close();
  });
});
