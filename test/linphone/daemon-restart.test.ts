/**
 * linphone-daemon killed under the adapter (SIGKILL, no BYE) and started again on the same
 * socket: the calls died with the process, so their legs end at once (nothing listens on the
 * socket any more); after the restart the daemon numbers its calls from 1 again, and the new
 * legs' ids never collide with the old ones. This is the one test file that kills its daemon.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinphonePhone, startLinphoneDaemon, type LinphoneDaemon, type LinphoneDaemonOptions } from '../../src/adapters/linphone/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { freePorts } from '../support/baresip-lab-process.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';
import { LinphoneFarEnd, startLinphone } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');

describe.skipIf(!linphone.available)('LinphonePhone: the daemon killed and restarted', () => {
  const dirs: string[] = [];
  let options: LinphoneDaemonOptions;
  let agent: LinphoneDaemon;
  let bob: LinphoneFarEnd;
  let phone: LinphonePhone;
  const diagnostics: string[] = [];
  const wakers = new Set<() => void>();

  async function startAgent(): Promise<LinphoneDaemon> {
    const dir = mkdtempSync(path.join(tmpdir(), 'cti-linphone-restart-'));
    dirs.push(dir);
    return startLinphoneDaemon({ ...options, dir });
  }

  beforeAll(async () => {
    const sipPort = await freePorts(2);
    const rtpBase = 20_000 + 40 * Math.floor(Math.random() * 299);
    options = { sipPort, rtpPorts: [rtpBase, rtpBase + 39], user: 'agent', pipeName: `cti-test-restart-${process.pid}-${sipPort}` };
    agent = await startAgent();
    bob = await LinphoneFarEnd.connect(await startLinphone('bob'));
    phone = await LinphonePhone.connect({
      socket: agent.socket,
      reconnectDelayMs: 50,
      onDiagnostic: ({ code }) => {
        diagnostics.push(code);
        for (const wake of [...wakers]) wake();
      },
    });
  }, 60_000);

  afterAll(async () => {
    await phone?.close();
    await bob?.close();
    await Promise.all([agent?.stop(), bob?.daemon.stop()]);
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  function diagnostic(code: string, from: number): Promise<void> {
    return new Promise((resolve) => {
      const look = () => {
        if (!diagnostics.slice(from).includes(code)) return;
        wakers.delete(look);
        resolve();
      };
      wakers.add(look);
      look();
    });
  }

  async function answeredCall(): Promise<{ leg: TelephonyLeg; recorder: LegRecorder; bobCall: number }> {
    const announced = new Promise<TelephonyLeg>((resolve) => {
      const off = phone.onLeg((leg) => {
        off();
        resolve(leg);
      });
    });
    const bobCall = await bob.call(agent.uri);
    const leg = await announced;
    const recorder = new LegRecorder(leg);
    await leg.answer(never());
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallStreamsRunning');
    return { leg, recorder, bobCall };
  }

  it('ends the legs of a killed daemon and gives fresh ids after its restart', async () => {
    const before = await answeredCall();
    const mark = diagnostics.length;
    process.kill(agent.pid, 'SIGKILL');
    await agent.exited;
    const ended = await before.recorder.waitFor('ended');
    expect(ended.reason).toMatch(/linphone-daemon stopped/);
    await diagnostic('daemon-gone', mark);
    // No BYE came from the killed daemon: bob ends his side himself.
    await bob.terminate(before.bobCall);

    agent = await startAgent();
    await diagnostic('reconnected', mark);
    const after = await answeredCall();
    // The restarted daemon numbered the call 1 again; the leg ids still differ.
    expect(before.leg.id.endsWith('-1')).toBe(true);
    expect(after.leg.id.endsWith('-1')).toBe(true);
    expect(after.leg.id).not.toBe(before.leg.id);
    expect(after.leg.snapshot().state).toBe('TALKING');
    await after.leg.release(never());
    await bob.waitFor((event) => event.id === after.bobCall && event.state === 'LinphoneCallEnd');
  }, 90_000);
});
