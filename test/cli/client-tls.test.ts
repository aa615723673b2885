/** `client --tls` against a TLS bridge simulator with a certificate made by the test. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/run-cli.js';
import { createBridgeSimulator } from '../../src/simulator/index.js';
import { makeSelfSignedCertificate, type TestCertificate } from '../support/tls-certificate.js';
import { watchedIo } from '../support/watched-io.js';

let scratch: string;
let certificate: TestCertificate;
/** The client's own certificate, for a bridge that requires one (it trusts this one only). */
let clientCertificate: TestCertificate;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'cti-cli-tls-'));
  certificate = makeSelfSignedCertificate();
  clientCertificate = makeSelfSignedCertificate('cti-client');
  await writeFile(join(scratch, 'ca.pem'), certificate.cert);
  await writeFile(join(scratch, 'client-cert.pem'), clientCertificate.cert);
  await writeFile(join(scratch, 'client-key.pem'), clientCertificate.key);
  await writeFile(join(scratch, 'calls.json'), JSON.stringify({ calls: [{ leg: 'tls-1', ring: { number: '+15551230001' } }] }));
});
afterAll(async () => {
  certificate.remove();
  clientCertificate.remove();
  await rm(scratch, { recursive: true, force: true });
});

describe('client --tls', () => {
  it('verifies the bridge with --ca and serves its legs over TLS', async () => {
    const simulator = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert } });
    const stop = new AbortController();
    const io = watchedIo(stop.signal, { cwd: scratch });
    const client = runCli(
      ['client', '--bridge', `127.0.0.1:${simulator.port}`, '--tls', '--ca', 'ca.pem', '--servername', 'localhost', '--phone', 'sim', '--calls', 'calls.json'],
      io,
    );
    await simulator.waitForConnection();
    const response = await simulator.init('PB1.I-1.tls-1');
    expect(response.header.result).toBe('SUCCESS');
    expect(response.body['conversation-state']).toBe('RINGING');
    await simulator.waitForEvent('PB1.I-1.tls-1', 'ringing');
    stop.abort();
    expect(await client).toBe(0);
    expect(io.err()).toContain('over TLS');
    await simulator.close();
    expect(simulator.report().passed).toBe(true);
  });

  it('--tls-insecure connects to a bridge it cannot verify, and warns at start and on the connect', async () => {
    const simulator = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert } });
    const stop = new AbortController();
    const io = watchedIo(stop.signal, { cwd: scratch });
    const client = runCli(['client', '--bridge', `127.0.0.1:${simulator.port}`, '--tls', '--tls-insecure', '--phone', 'sim'], io);
    await simulator.waitForConnection();
    await io.errMatches(/certificate NOT verified/);
    stop.abort();
    expect(await client).toBe(0);
    expect(io.err()).toMatch(/WARN +client: --tls-insecure: the bridge's certificate is NOT verified/);
    expect(io.err()).toMatch(/WARN +bridge client: TLS certificate verification is OFF/);
    await simulator.close();
  });

  it('does not connect to a bridge whose certificate it cannot verify', async () => {
    const simulator = await createBridgeSimulator({ tls: { key: certificate.key, cert: certificate.cert } });
    const stop = new AbortController();
    const io = watchedIo(stop.signal, { cwd: scratch });
    const client = runCli(['client', '--bridge', `127.0.0.1:${simulator.port}`, '--tls', '--phone', 'sim'], io);
    await io.errMatches(/could not connect.*certificate/i);
    stop.abort();
    expect(await client).toBe(0);
    expect(simulator.connectionCount).toBe(0);
    await simulator.close();
  });

  it('--cert and --key: a bridge that requires a client certificate lets the client in, and turns it away without them', async () => {
    const requiring = { key: certificate.key, cert: certificate.cert, ca: clientCertificate.cert, requestCert: true };
    const simulator = await createBridgeSimulator({ tls: requiring });
    const stop = new AbortController();
    const io = watchedIo(stop.signal, { cwd: scratch });
    const tlsFlags = ['--tls', '--ca', 'ca.pem', '--servername', 'localhost'];
    const client = runCli(
      ['client', '--bridge', `127.0.0.1:${simulator.port}`, ...tlsFlags, '--cert', 'client-cert.pem', '--key', 'client-key.pem', '--phone', 'sim', '--calls', 'calls.json'],
      io,
    );
    await simulator.waitForConnection();
    const response = await simulator.init('PB1.I-1.tls-1');
    expect(response.header.result).toBe('SUCCESS');
    stop.abort();
    expect(await client).toBe(0);
    expect(io.err()).toContain('over TLS');
    await simulator.close();

    // The same bridge, the same flags without --cert/--key: the bridge ends the handshake with TLS
    // 1.3's "certificate required" alert (after the client's side of it completed, so the client
    // logs a connect, then the close with that reason); the bridge never takes the connection.
    const strict = await createBridgeSimulator({ tls: requiring });
    const stopBare = new AbortController();
    const bareIo = watchedIo(stopBare.signal, { cwd: scratch });
    const bare = runCli(['client', '--bridge', `127.0.0.1:${strict.port}`, ...tlsFlags, '--phone', 'sim'], bareIo);
    await bareIo.errMatches(/closed: .*certificate required/);
    stopBare.abort();
    expect(await bare).toBe(0);
    expect(strict.connectionCount).toBe(0);
    await strict.close();
  });
});
