/**
 * The conformance kit run against BaresipPhone, with real baresip far ends: bob calls and is
 * called, carol answers transfers by herself. Each check gets a fresh BaresipPhone on the agent.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { describePhoneConformance } from '../../src/conformance/vitest.js';
import { BaresipPhone } from '../../src/adapters/baresip/index.js';
import type { TelephonyLeg } from '../../src/phone/types.js';
import { startBaresip, type BaresipInstance } from '../support/baresip-lab.js';
import { FarEnd } from '../support/baresip-far-end.js';
import { never } from '../support/baresip-recorder.js';
import { programAvailable } from '../support/require-program.js';
import { callIdOf } from './phone-lab.js';

const baresip = programAvailable('baresip', 'baresip-core');

let agent: BaresipInstance;
let bob: FarEnd;
let carol: FarEnd;

if (baresip.available) {
  beforeAll(async () => {
    const [agentPhone, bobPhone, carolPhone] = await Promise.all([
      startBaresip('agent'),
      startBaresip('bob', { toneHz: 550 }),
      startBaresip('carol', { toneHz: 660, answermode: 'auto' }),
    ]);
    agent = agentPhone;
    bob = await FarEnd.connect(bobPhone);
    carol = await FarEnd.connect(carolPhone);
  });
  afterAll(async () => {
    bob?.close();
    carol?.close();
    await Promise.all([agent?.stop(), bob?.phone.stop(), carol?.phone.stop()]);
  });

  describePhoneConformance<BaresipPhone>('BaresipPhone', {
    // More DTMF headroom than the default, as in phone-lab.ts.
    createPhone: () => BaresipPhone.connect({ port: agent.ctrlPort, dtmfBaseMs: 400 }),
    closePhone: async (phone) => {
      for (const leg of phone.legs()) {
        if (leg.snapshot().state !== 'RELEASED') await leg.release(never()).catch(() => undefined);
      }
      await phone.close();
      await bob.hangUpAll();
      await carol.hangUpAll();
    },
    farEnd: {
      ring: async () => {
        await bob.command('dial', agent.uri);
      },
      callerNumber: 'bob',
      hangUp: async (_phone, leg: TelephonyLeg) => {
        await bob.onCall(callIdOf(leg), 'hangup').catch(() => undefined);
      },
      get dialDestination() {
        return bob.uri;
      },
      dialledNumber: 'bob',
      answerOutbound: async (_phone, leg) => {
        await bob.waitForType('CALL_INCOMING', callIdOf(leg));
        await bob.onCall(callIdOf(leg), 'accept');
      },
      get transferDestination() {
        return carol.uri;
      },
      heardDigits: (_phone, leg) => bob.dtmfReceived(callIdOf(leg)),
      callAlive: async (_phone, leg) => /setting current call/.test((await bob.command('callfind', callIdOf(leg))).data),
    },
    capabilities: { operations: ['mute', 'unmute', 'transfer', 'sendDtmf'], dial: true },
  });
} else {
  // Without the lab's programs the kit registers nothing; say so instead of leaving an empty file
  // (CTI_REQUIRE_ALL_TESTS=1, as in scripts/test-all.sh, throws above instead of skipping).
  it.skip(`BaresipPhone conformance: ${baresip.hint}`, () => undefined);
}
