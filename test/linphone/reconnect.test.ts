/**
 * The adapter's connection to a live linphone-daemon breaks (through a relay the test controls):
 * the phone reconnects, keeps its legs (same ids, still working) and adopts a call that arrived
 * while it could not listen. The agent has no registered account here, so conference is refused.
 * The daemon itself never stops here and is checked alive at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LinphonePhone, type LinphoneDaemon } from '../../src/adapters/linphone/index.js';
import { nextLeg } from '../support/next-leg.js';
import { LegRecorder, never } from '../support/baresip-recorder.js';
import { LinphoneFarEnd, startLinphone } from '../support/linphone-lab.js';
import { programAvailable } from '../support/require-program.js';
import { UnixProxy } from '../support/unix-proxy.js';

const linphone = programAvailable('linphone-daemon', 'linphone-cli');

describe.skipIf(!linphone.available)('LinphonePhone: the socket dropped and reconnected', () => {
  let agent: LinphoneDaemon;
  let bob: LinphoneFarEnd;
  let dave: LinphoneFarEnd;
  let proxy: UnixProxy;
  let phone: LinphonePhone;
  const diagnostics: string[] = [];
  const wakers = new Set<() => void>();

  beforeAll(async () => {
    const daemons = await Promise.all([startLinphone('agent'), startLinphone('bob'), startLinphone('dave')]);
    agent = daemons[0];
    bob = await LinphoneFarEnd.connect(daemons[1]);
    dave = await LinphoneFarEnd.connect(daemons[2]);
    proxy = await UnixProxy.start(agent.socket);
    phone = await LinphonePhone.connect({
      socket: proxy.path,
      reconnectDelayMs: 50,
      onDiagnostic: ({ code }) => {
        diagnostics.push(code);
        for (const wake of [...wakers]) wake();
      },
    });
  }, 60_000);

  afterAll(async () => {
    await phone?.close();
    await proxy?.close();
    for (const far of [bob, dave]) await far?.close();
    await Promise.all([agent?.stop(), bob?.daemon.stop(), dave?.daemon.stop()]);
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


  it('keeps its legs across the drop and adopts a call that rang meanwhile', async () => {
    const announced = nextLeg(phone);
    const bobCall = await bob.call(agent.uri);
    const first = await announced;
    const firstEvents = new LegRecorder(first);
    await first.answer(never());
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallStreamsRunning');

    const mark = diagnostics.length;
    proxy.block();
    proxy.dropAll();
    await diagnostic('connection-lost', mark);
    const daveFrom = dave.events.length;
    const daveCall = await dave.call(agent.uri);
    await dave.waitFor((event) => event.id === daveCall && event.state === 'LinphoneCallOutgoingRinging', daveFrom);

    const adopted = nextLeg(phone);
    proxy.unblock();
    await diagnostic('reconnected', mark);
    const second = await adopted;
    expect(second.snapshot()).toEqual({ state: 'RINGING', parties: [{ number: 'dave' }], muted: false });
    expect(second.id).not.toBe(first.id);
    expect(phone.leg(first.id)).toBe(first);
    expect(first.snapshot().state).toBe('TALKING');

    // Both legs still work: answering dave holds bob (the daemon does), bob's hang-up ends his leg.
    await second.answer(never());
    await firstEvents.waitFor('held');
    const bobFrom = bob.events.length;
    await bob.terminate(bobCall);
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallEnd', bobFrom);
    await firstEvents.waitFor('ended');
    await second.release(never());
    expect(second.snapshot().state).toBe('RELEASED');
  }, 60_000);

  it('without a registered account, conference is refused (a conference leg would crash the daemon)', async () => {
    const announced = nextLeg(phone);
    const bobCall = await bob.call(agent.uri);
    const leg = await announced;
    await leg.answer(never());
    await bob.waitFor((event) => event.id === bobCall && event.state === 'LinphoneCallStreamsRunning');
    await expect(leg.conference!(dave.uri, never())).rejects.toThrow(/needs a registered account/);
    expect(leg.snapshot()).toEqual({ state: 'TALKING', parties: [{ number: 'bob' }], muted: false });
    await leg.release(never());
  }, 60_000);

  it('the agent daemon is still running', () => {
    expect(agent.alive()).toBe(true);
  });
});
