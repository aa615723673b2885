/** Checks of the optional operations: each is either absent or working. */
import type { Party } from '../../phone/types.js';
import { check, ConformanceError } from '../assert.js';
import { liveSignal } from '../context.js';
import { ALL_OPTIONAL_OPERATIONS } from '../options.js';
import { expectEvent, expectNoChange, type ConformanceCheck } from './check.js';

export const optionalChecks: readonly ConformanceCheck[] = [
  {
    name: 'the optional operations declared are functions and the others are absent',
    async run(context) {
      const { leg } = await context.ring();
      for (const operation of ALL_OPTIONAL_OPERATIONS) {
        const present = typeof leg[operation] === 'function';
        if (context.has(operation)) check(present, `${operation} is declared but the leg has no such function`);
        else check(leg[operation] === undefined, `${operation} is not declared but the leg has it (absent means undefined)`);
      }
    },
  },
  {
    name: 'mute reports muted, mute on a muted call keeps it muted, and mute survives hold',
    needs: ['mute', 'unmute'],
    async run(context) {
      const call = await context.talking();
      await expectNoChange(call, 'unmute on an unmuted call', (leg, signal) => leg.unmute!(signal));
      await expectEvent(context, call, 'mute', 'muted', (leg, signal) => leg.mute!(signal));
      check(call.leg.snapshot().muted, 'after mute the snapshot is not muted');
      await expectNoChange(call, 'mute on a muted call', (leg, signal) => leg.mute!(signal));
      check(call.leg.snapshot().muted, 'mute on a muted call toggled it off');
      await expectEvent(context, call, 'hold', 'held', (leg, signal) => leg.hold(signal));
      check(call.leg.snapshot().muted, 'hold unmuted the call');
      await expectEvent(context, call, 'retrieve', 'talking', (leg, signal) => leg.retrieve(signal));
      await expectEvent(context, call, 'unmute', 'unmuted', (leg, signal) => leg.unmute!(signal));
      check(!call.leg.snapshot().muted, 'after unmute the snapshot is still muted');
    },
  },
  {
    name: 'sendDtmf resolves only after the far end heard the tones',
    needs: ['sendDtmf'],
    async run(context) {
      const call = await context.talking();
      const heard = context.farEnd.heardDigits;
      const before = heard ? await heard(context.phone, call.leg) : '';
      await call.leg.sendDtmf!('12*#', liveSignal());
      if (heard) {
        const after = await heard(context.phone, call.leg);
        check(after.slice(before.length).includes('12*#'), 'sendDtmf resolved before the far end heard every tone');
      }
      check(call.leg.snapshot().state === 'TALKING', `sendDtmf left the call ${call.leg.snapshot().state}`);
    },
  },
  {
    name: 'transfer resolves and the leg later reports ended or transferFailed',
    needs: ['transfer'],
    async run(context) {
      const call = await context.talking();
      const mark = call.log.mark();
      await call.leg.transfer!(context.farEnd.transferDestination ?? '2099', liveSignal());
      const outcome = await call.log.waitForAny(['ended', 'transferFailed'], mark);
      if (outcome.type === 'transferFailed') {
        check(typeof outcome.reason === 'string' && outcome.reason.length > 0, 'transferFailed carries no reason');
      }
    },
  },
  {
    name: 'conference resolves and the leg later reports partyAdded or conferenceFailed',
    needs: ['conference'],
    async run(context) {
      const call = await context.talking();
      const mark = call.log.mark();
      await call.leg.conference!(context.farEnd.conferenceDestination ?? '2001', liveSignal());
      const outcome = await call.log.waitForAny(['partyAdded', 'conferenceFailed'], mark);
      if (outcome.type === 'conferenceFailed') {
        check(typeof outcome.reason === 'string' && outcome.reason.length > 0, 'conferenceFailed carries no reason');
      } else {
        check(call.leg.snapshot().parties.length >= 2, 'a party was added but the snapshot lists fewer than two');
      }
    },
  },
  {
    name: 'removeParty removes a party that joined and reports partyRemoved',
    needs: ['removeParty'],
    async run(context) {
      const call = await context.talking();
      let party: Party;
      const mark = call.log.mark();
      if (context.farEnd.join) {
        party = await context.farEnd.join(context.phone, call.leg);
      } else if (context.has('conference')) {
        await call.leg.conference!(context.farEnd.conferenceDestination ?? '2001', liveSignal());
        const added = await call.log.waitForAny(['partyAdded', 'conferenceFailed'], mark);
        if (added.type !== 'partyAdded') {
          throw new ConformanceError('removeParty cannot be checked: the conference failed; give farEnd.join');
        }
        party = added.party;
      } else {
        throw new ConformanceError('removeParty cannot be checked without a second party: give farEnd.join');
      }
      if (!call.leg.snapshot().parties.some((listed) => listed.number === party.number)) {
        await call.log.waitFor('partyAdded', mark);
      }
      const removed = call.log.mark();
      await call.leg.removeParty!(party.number, liveSignal());
      await call.log.waitFor('partyRemoved', removed);
      check(
        !call.leg.snapshot().parties.some((listed) => listed.number === party.number),
        'the removed party is still listed',
      );
    },
  },
];
