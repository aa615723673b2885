/** Checks of dial: absent, or it makes a DIALING leg listing the dialled number that gets answered. */
import { check } from '../assert.js';
import type { ConformanceCheck } from './check.js';

export const outboundChecks: readonly ConformanceCheck[] = [
  {
    name: 'dial, when present, announces a DIALING leg listing the dialled number, which reports talking once answered',
    async run(context) {
      const phone = context.phone;
      const declared = context.options.capabilities?.dial;
      if (declared === true) check(typeof phone.dial === 'function', 'dial is declared but the phone has none');
      if (declared === false) check(phone.dial === undefined, 'dial is not declared but the phone has it');
      if (typeof phone.dial !== 'function') return;
      const call = await context.dial();
      const { leg, destination } = call;
      const snapshot = leg.snapshot();
      check(['DIALING', 'TALKING'].includes(snapshot.state), `a dialled leg starts ${snapshot.state}`);
      const number = context.farEnd.dialledNumber ?? destination;
      check(snapshot.parties.some((party) => party.number === number), 'the dialled number is not listed as a party');
      if (snapshot.state === 'DIALING') {
        if (context.farEnd.answerOutbound) await context.farEnd.answerOutbound(phone, leg);
        await call.log.waitFor('talking');
      }
      check(leg.snapshot().state === 'TALKING', `an answered dial says ${leg.snapshot().state}`);
    },
  },
  {
    name: 'dial, when present, rejects when its signal is already aborted',
    async run(context) {
      const phone = context.phone;
      if (typeof phone.dial !== 'function') return;
      const controller = new AbortController();
      controller.abort(new Error('aborted by the conformance kit'));
      let rejected = false;
      try {
        await phone.dial(context.farEnd.dialDestination ?? '2000', controller.signal);
      } catch {
        rejected = true;
      }
      check(rejected, 'dial with an aborted signal did not reject');
    },
  },
];
