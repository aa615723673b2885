/** Checks of listeners and of dispose: frees the leg, never ends the call. */
import { check } from '../assert.js';
import { liveSignal } from '../context.js';
import type { PhoneEvent } from '../../phone/types.js';
import type { ConformanceCheck } from './check.js';

export const lifecycleChecks: readonly ConformanceCheck[] = [
  {
    name: 'an unsubscribed listener hears nothing more while other listeners still do',
    async run(context) {
      const call = await context.talking();
      const heard: PhoneEvent[] = [];
      const unsubscribe = call.leg.subscribe((event) => heard.push(event));
      unsubscribe();
      const mark = call.log.mark();
      await call.leg.hold(liveSignal());
      await call.log.waitFor('held', mark);
      check(heard.length === 0, `an unsubscribed listener heard ${heard.map((event) => event.type).join(', ')}`);
    },
  },
  {
    name: 'onLeg returns an unsubscribe function that stops announcements',
    async run(context) {
      const heard: string[] = [];
      const unsubscribe = context.phone.onLeg((leg) => heard.push(leg.id));
      check(typeof unsubscribe === 'function', 'onLeg did not return a function');
      unsubscribe();
      const { leg } = await context.ring();
      check(!heard.includes(leg.id), 'an unsubscribed onLeg listener heard of a new leg');
    },
  },
  {
    name: 'dispose resolves, frees the leg (no longer listed, no more events) and never ends the call',
    async run(context) {
      const call = await context.talking();
      const heard: PhoneEvent[] = [];
      call.leg.subscribe((event) => heard.push(event));
      context.markDisposed(call.leg);
      await call.leg.dispose();
      check(context.phone.leg(call.leg.id) === undefined, 'leg(id) still returns the disposed leg');
      check(!context.phone.legs().some((listed) => listed.id === call.leg.id), 'legs() still lists the disposed leg');
      check(!call.log.has('ended'), 'dispose ended the call');
      if (context.farEnd.callAlive) {
        check(await context.farEnd.callAlive(context.phone, call.leg), 'the far end lost the call when the leg was disposed');
        // Again once the phone has served another call: a hang-up queued by dispose shows only later.
        const settle = await context.ring();
        await settle.leg.release(liveSignal());
        check(await context.farEnd.callAlive(context.phone, call.leg), 'the far end lost the call after the leg was disposed');
      }
      // The far end ends the call now; the disposed leg must not tell its old listeners.
      await context.farEnd.hangUp(context.phone, call.leg);
      const probe = await context.ring();
      await probe.leg.release(liveSignal());
      check(heard.length === 0, `a disposed leg still delivered ${heard.map((event) => event.type).join(', ')}`);
    },
  },
];
