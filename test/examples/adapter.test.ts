/**
 * The README's adapter example (examples/adapter/) keeps the adapter contract: the conformance
 * kit runs against DeskPhone, and the runnable example passes the bridge simulator's report.
 */
import { describe, expect, it } from 'vitest';
import { describePhoneConformance } from '../../src/conformance/vitest.js';
import { formatReport } from '../../src/simulator/index.js';
import { DeskPhone, type DeskLeg } from '../../examples/adapter/desk-phone.js';
import { DeskPhoneDriver } from '../../examples/adapter/desk-phone-driver.js';
import { main } from '../../examples/adapter/run.js';

const handleOf = (leg: unknown): number => (leg as DeskLeg).handle;

describePhoneConformance('DeskPhone (examples/adapter)', {
  createPhone: () => new DeskPhone(new DeskPhoneDriver()),
  farEnd: {
    ring: (phone) => {
      phone.driver.simulateIncoming('+15551230001', 'Pat Caller');
    },
    callerNumber: '+15551230001',
    hangUp: (phone, leg) => phone.driver.simulateRemoteHangUp(handleOf(leg)),
    callAlive: (phone, leg) => phone.driver.isUp(handleOf(leg)),
  },
  capabilities: { operations: ['mute', 'unmute'], dial: false },
});

/** Resolves once the desk phone has answered every command sent before (it answers in order). */
function phoneCaughtUp(driver: DeskPhoneDriver): Promise<void> {
  return new Promise((resolve) => driver.hold(-1, () => resolve()));
}

describe('DeskPhone beyond the kit', () => {
  const live = () => new AbortController().signal;

  async function talkingCall() {
    const driver = new DeskPhoneDriver();
    const phone = new DeskPhone(driver);
    const handle = driver.simulateIncoming('1001');
    const leg = phone.leg(`desk-${handle}`)!;
    await leg.answer(live());
    return { driver, phone, handle, leg };
  }

  it('dispose leaves the call up at the desk phone, also after the phone answered every earlier command', async () => {
    const { driver, phone, handle, leg } = await talkingCall();
    await leg.dispose();
    await phoneCaughtUp(driver);
    expect(driver.state(handle)).toBe('connected');
    expect(phone.legs()).toEqual([]);
    await phone.close();
  });

  it('two mutes sent at once leave the call muted: commands reach the phone one after another', async () => {
    const { driver, phone, handle, leg } = await talkingCall();
    const heard: string[] = [];
    leg.subscribe((event) => heard.push(event.type));
    await Promise.all([leg.mute(live()), leg.mute(live()), leg.hold(live()), leg.hold(live())]);
    expect(driver.isMuted(handle)).toBe(true);
    expect(leg.snapshot()).toMatchObject({ state: 'HELD', muted: true });
    expect(heard).toEqual(['muted', 'held']);
    await phone.close();
  });
});

describe('examples/adapter/run.ts', () => {
  it('plays a call through simulator, client and DeskPhone, and the report passes', async () => {
    const lines: string[] = [];
    const report = await main((line) => lines.push(line));
    expect(report.violations, formatReport(report)).toEqual([]);
    expect(report.passed).toBe(true);
    const transcript = lines.join('\n');
    for (const request of ['answer', 'hold', 'retrieve', 'release', 'dispose']) {
      expect(transcript).toContain(`client → bridge  conversation.request.${request} SUCCESS`);
    }
    expect(transcript).toContain('conversation.ended');
    expect(transcript).toContain('Conformance report: PASSED');
  });
});
