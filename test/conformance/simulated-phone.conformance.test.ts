/**
 * The conformance kit run against SimulatedPhone, as an adapter author would run it against
 * theirs: once with every optional part, once with a phone that leaves some out.
 */
// docs:begin (docs/conformance.md shows this block; test/conformance/docs-example.test.ts keeps them equal)
import { describePhoneConformance } from '../../src/conformance/vitest.js';
import { SimulatedPhone, type SimulatedLeg } from '../../src/index.js';

function farEndOf(leg: unknown): SimulatedLeg {
  return leg as SimulatedLeg;
}

describePhoneConformance('SimulatedPhone', {
  createPhone: () => new SimulatedPhone({ dtmfMsPerDigit: 1 }),
  farEnd: {
    ring: (phone) => phone.ring({ number: '+15551230001', name: 'Pat Caller' }),
    callerNumber: '+15551230001',
    hangUp: (_phone, leg) => farEndOf(leg).far.hangUp(),
    join: (_phone, leg) => {
      const party = { number: '2002', name: 'Second' };
      farEndOf(leg).far.join(party);
      return party;
    },
    heardDigits: (_phone, leg) => farEndOf(leg).far.tones,
    callAlive: (_phone, leg) => farEndOf(leg).snapshot().state !== 'RELEASED',
    dialDestination: '+15550002',
  },
  capabilities: { dial: true },
});
// docs:end

describePhoneConformance('SimulatedPhone without mute, transfer and DTMF, with slow operations', {
  createPhone: () =>
    new SimulatedPhone({ latencyMs: 2, omitOperations: ['mute', 'unmute', 'transfer', 'sendDtmf'], idPrefix: 'slow_' }),
  farEnd: {
    ring: async (phone) => {
      phone.ring({ number: '1001' });
    },
    hangUp: (_phone, leg) => farEndOf(leg).far.hangUp(),
    dialDestination: 'sip:2000@example.invalid',
  },
  capabilities: { operations: ['conference', 'removeParty'] },
});
