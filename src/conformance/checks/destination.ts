/**
 * Checks through a destination: the kit plays the bridge over the adapter's leg and expects the
 * message sequences of docs/contract.md ("The sequences that follow, after the first init response").
 */
import { check } from '../assert.js';
import { BridgeView, type BridgeMessage } from '../bridge-view.js';
import type { ConformanceCheck } from './check.js';

function succeeded(response: BridgeMessage, what: string): void {
  check(response.header.result === 'SUCCESS', `${what} was answered ${response.header.result}: ${response.header.errorMessage ?? ''}`);
}

/** ringing/dialing, started, partyadded…, talking: the sequence of an answered call. */
function answeredSequence(events: readonly string[], first: 'ringing' | 'dialing'): boolean {
  const [head, started, ...rest] = events;
  const talking = rest.indexOf('talking');
  return (
    head === first &&
    started === 'started' &&
    talking >= 1 &&
    rest.slice(0, talking).every((event) => event === 'partyadded')
  );
}

export const destinationChecks: readonly ConformanceCheck[] = [
  {
    name: 'through a destination: an inbound call answered, held, retrieved, released and disposed gives the contract messages',
    throughDestination: true,
    async run(context) {
      const call = await context.ring();
      const bridge = new BridgeView(call.leg);
      const init = await bridge.ask('conversation.query.init');
      succeeded(init, 'init');
      check(init.body['conversation-state'] === 'RINGING', `init says ${String(init.body['conversation-state'])}`);
      check(Array.isArray(init.body.parties) && init.body.parties.length >= 1, 'init lists no party');
      await bridge.waitForEvent('conversation.ringing');
      succeeded(await bridge.ask('conversation.request.answer'), 'answer');
      await bridge.waitForEvent('conversation.talking');
      check(answeredSequence(bridge.events(), 'ringing'), `an answered call sent ${bridge.events().join(', ')}`);
      let mark = bridge.mark();
      succeeded(await bridge.ask('conversation.request.hold'), 'hold');
      await bridge.waitForEvent('conversation.held', mark);
      mark = bridge.mark();
      succeeded(await bridge.ask('conversation.request.retrieve'), 'retrieve');
      await bridge.waitForEvent('conversation.talking', mark);
      mark = bridge.mark();
      succeeded(await bridge.ask('conversation.request.release'), 'release');
      await bridge.waitForEvent('conversation.ended', mark);
      succeeded(await bridge.ask('conversation.request.dispose'), 'dispose');
      await bridge.legDisposed;
      check(bridge.events().at(-1) === 'ended', `after ended the destination sent ${bridge.events().join(', ')}`);
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
  {
    name: 'through a destination: a caller who hangs up while ringing gives ringing, started, ended',
    throughDestination: true,
    async run(context) {
      const call = await context.ring();
      const bridge = new BridgeView(call.leg);
      succeeded(await bridge.ask('conversation.query.init'), 'init');
      await context.farEnd.hangUp(context.phone, call.leg);
      await bridge.waitForEvent('conversation.ended');
      check(bridge.events().join(', ') === 'ringing, started, ended', `an abandoned call sent ${bridge.events().join(', ')}`);
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
  {
    name: 'through a destination: mute, mute again and unmute give one mute event then talking',
    needs: ['mute', 'unmute'],
    throughDestination: true,
    async run(context) {
      const call = await context.talking();
      const bridge = new BridgeView(call.leg);
      succeeded(await bridge.ask('conversation.query.init'), 'init');
      const mark = bridge.mark();
      succeeded(await bridge.ask('conversation.request.mute'), 'mute');
      await bridge.waitForEvent('conversation.mute', mark);
      succeeded(await bridge.ask('conversation.request.mute'), 'a second mute');
      check(call.leg.snapshot().muted, 'a second mute unmuted the call');
      succeeded(await bridge.ask('conversation.request.unmute'), 'unmute');
      await bridge.waitForEvent('conversation.talking', mark);
      check(bridge.events(mark).join(', ') === 'mute, talking', `mute, mute, unmute sent ${bridge.events(mark).join(', ')}`);
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
  {
    name: 'through a destination: senddtmf is answered SUCCESS only after the far end heard the tones',
    needs: ['sendDtmf'],
    throughDestination: true,
    async run(context) {
      const call = await context.talking();
      const bridge = new BridgeView(call.leg);
      succeeded(await bridge.ask('conversation.query.init'), 'init');
      const heard = context.farEnd.heardDigits;
      const before = heard ? await heard(context.phone, call.leg) : '';
      succeeded(await bridge.ask('conversation.request.senddtmf', { digits: '4711#' }), 'senddtmf');
      if (heard) {
        const after = await heard(context.phone, call.leg);
        check(after.slice(before.length).includes('4711#'), 'senddtmf was answered before the far end heard the tones');
      }
      const bad = await bridge.ask('conversation.request.senddtmf', { digits: '12a' });
      check(bad.header.result === 'FAILURE' && !String(bad.header.errorMessage).includes('12a'), 'bad digits were not refused without echoing them');
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
  {
    name: 'through a destination: dispose is answered, then the leg is freed and the call stays up',
    throughDestination: true,
    async run(context) {
      const call = await context.talking();
      const bridge = new BridgeView(call.leg);
      succeeded(await bridge.ask('conversation.query.init'), 'init');
      context.markDisposed(call.leg);
      succeeded(await bridge.ask('conversation.request.dispose'), 'dispose');
      await (await bridge.legDisposed);
      check(context.phone.leg(call.leg.id) === undefined, 'the disposed leg is still listed by leg(id)');
      check(!call.log.has('ended'), 'dispose ended the call');
      if (context.farEnd.callAlive) {
        check(await context.farEnd.callAlive(context.phone, call.leg), 'the far end lost the call when the leg was disposed');
      }
      const after = await bridge.ask('conversation.request.hold');
      check(after.header.result === 'FAILURE' && String(after.header.errorMessage).includes('disposed'), 'a request after dispose was not answered "disposed"');
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
  {
    name: 'through a destination: a dialled call gives dialing, started, partyadded…, talking once answered (when the phone dials)',
    throughDestination: true,
    async run(context) {
      const phone = context.phone;
      if (typeof phone.dial !== 'function') return;
      const call = await context.dial();
      const { leg } = call;
      const bridge = new BridgeView(leg);
      const init = await bridge.ask('conversation.query.init');
      succeeded(init, 'init');
      if (init.body['conversation-state'] === 'DIALING') {
        if (context.farEnd.answerOutbound) await context.farEnd.answerOutbound(phone, leg);
        await bridge.waitForEvent('conversation.talking');
        check(answeredSequence(bridge.events(), 'dialing'), `an answered dial sent ${bridge.events().join(', ')}`);
      }
      check(call.leg.snapshot().state === 'TALKING', `an answered dial says ${call.leg.snapshot().state}`);
      check(bridge.problems.length === 0, bridge.problems.join('; '));
    },
  },
];
