/** Checks of a call's basic life: ringing, answer, hold, retrieve, release, far-end hang-up. */
import { LEG_ID_PATTERN } from '../../phone/types.js';
import { check } from '../assert.js';
import { snapshotProblem } from '../event-log.js';
import { liveSignal } from '../context.js';
import { expectEvent, expectNoChange, type ConformanceCheck } from './check.js';

export const callChecks: readonly ConformanceCheck[] = [
  {
    name: 'a ringing call is announced through onLeg and found by leg(id) and legs()',
    async run(context) {
      const { leg } = await context.ring();
      // Legs are compared by id: the contract does not ask a phone to hand out one object per leg.
      check(context.announced.some((announced) => announced.id === leg.id), 'onLeg did not announce the ringing leg');
      check(context.phone.leg(leg.id)?.id === leg.id, 'leg(id) does not return the ringing leg');
      check(context.phone.legs().some((listed) => listed.id === leg.id), 'legs() does not list the ringing leg');
    },
  },
  {
    name: 'leg ids match ^[A-Za-z0-9_-]{1,128}$ and stay the same through the call',
    async run(context) {
      const { leg } = await context.talking();
      const id = leg.id;
      check(typeof id === 'string' && LEG_ID_PATTERN.test(id), `leg id does not match ${LEG_ID_PATTERN.source}`);
      await leg.hold(liveSignal());
      check(leg.id === id, 'the leg id changed during the call');
    },
  },
  {
    name: 'a ringing leg snapshot says RINGING, lists at least one party (the caller) and is not muted',
    async run(context) {
      const { leg } = await context.ring();
      const snapshot = leg.snapshot();
      const problem = snapshotProblem(snapshot);
      check(problem === undefined, `the snapshot is unsound: ${problem}`);
      check(snapshot.state === 'RINGING', `the snapshot says ${snapshot.state}`);
      check(!snapshot.muted, 'a ringing call is muted');
      const caller = context.farEnd.callerNumber;
      if (caller !== undefined) {
        check(snapshot.parties.some((party) => party.number === caller), 'the caller is not listed as a party');
      }
    },
  },
  {
    name: 'answer resolves, the leg reports talking (before the resolve) and the snapshot says TALKING',
    async run(context) {
      const call = await context.ring();
      await expectEvent(context, call, 'answer', 'talking', (leg, signal) => leg.answer(signal));
      check(call.leg.snapshot().state === 'TALKING', `after answer the snapshot says ${call.leg.snapshot().state}`);
      check(call.leg.snapshot().parties.length >= 1, 'a talking call lists no party');
    },
  },
  {
    name: 'hold reports held and retrieve reports talking; hold on a held call and retrieve on a talking call change nothing',
    async run(context) {
      const call = await context.talking();
      await expectNoChange(call, 'retrieve on a talking call', (leg, signal) => leg.retrieve(signal));
      await expectEvent(context, call, 'hold', 'held', (leg, signal) => leg.hold(signal));
      check(call.leg.snapshot().state === 'HELD', `after hold the snapshot says ${call.leg.snapshot().state}`);
      await expectNoChange(call, 'hold on a held call', (leg, signal) => leg.hold(signal));
      await expectEvent(context, call, 'retrieve', 'talking', (leg, signal) => leg.retrieve(signal));
      check(call.leg.snapshot().state === 'TALKING', `after retrieve the snapshot says ${call.leg.snapshot().state}`);
    },
  },
  {
    name: 'release reports ended and the snapshot says RELEASED',
    async run(context) {
      const call = await context.talking();
      await expectEvent(context, call, 'release', 'ended', (leg, signal) => leg.release(signal));
      check(call.leg.snapshot().state === 'RELEASED', `after release the snapshot says ${call.leg.snapshot().state}`);
      check(call.leg.snapshot().parties.length >= 1, 'a released call lists no party');
    },
  },
  {
    name: 'release while ringing (rejecting the call) reports ended',
    async run(context) {
      const call = await context.ring();
      await expectEvent(context, call, 'release', 'ended', (leg, signal) => leg.release(signal));
      check(call.leg.snapshot().state === 'RELEASED', `the snapshot says ${call.leg.snapshot().state}`);
    },
  },
  {
    name: 'the far end hanging up a talking call reports ended and the snapshot says RELEASED',
    async run(context) {
      const call = await context.talking();
      const mark = call.log.mark();
      await context.farEnd.hangUp(context.phone, call.leg);
      await call.log.waitFor('ended', mark);
      check(call.leg.snapshot().state === 'RELEASED', `the snapshot says ${call.leg.snapshot().state}`);
    },
  },
  {
    name: 'a caller abandoning a ringing call reports ended',
    async run(context) {
      const call = await context.ring();
      const mark = call.log.mark();
      await context.farEnd.hangUp(context.phone, call.leg);
      await call.log.waitFor('ended', mark);
      check(call.leg.snapshot().state === 'RELEASED', `the snapshot says ${call.leg.snapshot().state}`);
    },
  },
];
