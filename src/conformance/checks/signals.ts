/** Checks that every operation takes a final AbortSignal and honours it. */
import type { LegOperationName, TelephonyLeg } from '../../phone/types.js';
import { check, outcomeOf } from '../assert.js';
import { abortedSignal, liveSignal, type ConformanceContext } from '../context.js';
import type { Phone } from '../../phone/types.js';
import type { ConformanceCheck } from './check.js';

/** Calls `operation` on `leg` with arguments a TALKING call accepts and `signal` last. */
function invoke(leg: TelephonyLeg, operation: LegOperationName, signal: AbortSignal): Promise<void> {
  switch (operation) {
    case 'transfer':
      return leg.transfer!('2099', signal);
    case 'conference':
      return leg.conference!('2001', signal);
    case 'removeParty':
      return leg.removeParty!(leg.snapshot().parties[0]?.number ?? '0', signal);
    case 'sendDtmf':
      return leg.sendDtmf!('1', signal);
    case 'mute':
      return leg.mute!(signal);
    case 'unmute':
      return leg.unmute!(signal);
    default:
      return leg[operation](signal);
  }
}

/** The operations this phone has that make sense on a talking call. */
function talkingOperations(context: ConformanceContext<Phone>): LegOperationName[] {
  const always: LegOperationName[] = ['hold', 'retrieve', 'release'];
  const optional = (['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'] as const).filter((operation) =>
    context.has(operation),
  );
  return [...always, ...optional];
}

export const signalChecks: readonly ConformanceCheck[] = [
  {
    name: 'every operation given an already aborted signal rejects (it does not throw or resolve) and changes nothing',
    async run(context) {
      const ringing = await context.ring();
      const answer = await outcomeOf(() => ringing.leg.answer(abortedSignal()));
      check(answer.kind === 'rejected', `answer with an aborted signal ${answer.kind}`);
      check(ringing.leg.snapshot().state === 'RINGING', `an aborted answer left the call ${ringing.leg.snapshot().state}`);
      await ringing.leg.release(liveSignal());

      const call = await context.talking();
      for (const operation of talkingOperations(context)) {
        const before = call.leg.snapshot();
        const outcome = await outcomeOf(() => invoke(call.leg, operation, abortedSignal()));
        check(outcome.kind === 'rejected', `${operation} with an aborted signal ${outcome.kind}`);
        const after = call.leg.snapshot();
        check(
          after.state === before.state && after.muted === before.muted && after.parties.length === before.parties.length,
          `an aborted ${operation} changed the call`,
        );
      }
    },
  },
  {
    name: 'an operation aborted while in flight settles, and the leg still works afterwards',
    async run(context) {
      const call = await context.talking();
      const controller = new AbortController();
      const outcome = outcomeOf(() => call.leg.hold(controller.signal));
      controller.abort(new Error('aborted by the conformance kit'));
      const settled = await outcome;
      check(settled.kind !== 'threw', 'hold threw synchronously instead of returning a promise');
      // Whether or not the aborted hold reached the phone, a fresh hold must leave the call HELD.
      const mark = call.log.mark();
      await call.leg.hold(liveSignal());
      if (call.leg.snapshot().state !== 'HELD') await call.log.waitFor('held', mark);
      check(call.leg.snapshot().state === 'HELD', `after hold the snapshot says ${call.leg.snapshot().state}`);
    },
  },
];
