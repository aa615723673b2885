/**
 * The `call` region: it starts in the leg's state, follows the model through every phone event,
 * the init that applies queued events and a queue overflow's re-read, and its drawn edges are
 * exactly the moves of the phone-event table of docs/contract.md.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { conversationMachine } from '../../machines/conversation.machine.js';
import type { ConversationInput } from '../../machines/context.js';
import { phoneEventOf, requestEvent, type ConversationEvent } from '../../machines/events.js';
import type { CallState, LegSnapshot, PhoneEvent } from '../../machines/types.js';
import { machineGraph } from '../../src/inspector/machine-graph.js';

const T = 'PB1.X.leg-3';
const init = (requestId: string): ConversationEvent => requestEvent({ type: 'cti.query', name: 'conversation.query.init', target: T, requestId });
/** A phone event; with a snapshot, the re-read of a full pre-init queue (`resync`). */
const phone = (event: PhoneEvent, snapshot?: LegSnapshot): ConversationEvent =>
  snapshot === undefined ? phoneEventOf(event) : { type: 'resync', event, snapshot };

function start(state: CallState, limits?: ConversationInput['limits']) {
  const actor = createActor(conversationMachine, {
    input: { snapshot: { state, parties: [{ number: '100' }], muted: false }, ...(limits && { limits }) },
  }).start();
  const call = () => (actor.getSnapshot().value as { call: string }).call;
  const model = () => actor.getSnapshot().context.model.state;
  return { actor, call, model };
}

describe('the call region', () => {
  it.each<CallState>(['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'])('starts in the leg state %s', (state) => {
    expect(start(state).call()).toBe(state);
  });

  it('follows an inbound call through answer, hold, retrieve and hang-up, one phone event at a time', () => {
    const { actor, call, model } = start('RINGING');
    actor.send(init('q1'));
    const seen: string[] = [];
    for (const type of ['talking', 'held', 'talking', 'muted', 'ended'] as const) {
      actor.send(phone({ type }));
      expect(call()).toBe(model());
      seen.push(call());
    }
    expect(seen).toEqual(['TALKING', 'HELD', 'TALKING', 'TALKING', 'RELEASED']);
    actor.send(phone({ type: 'talking' })); // ignored once released
    expect(call()).toBe('RELEASED');
  });

  it('ends a dialled call on busy and on failed', () => {
    for (const event of [{ type: 'busy' }, { type: 'failed', reason: 'no route' }] as const) {
      const { actor, call } = start('DIALING');
      actor.send(init('q1'));
      actor.send(phone(event));
      expect(call()).toBe('RELEASED');
    }
  });

  it('stays put on events the table ignores in a state', () => {
    const { actor, call } = start('RINGING');
    actor.send(init('q1'));
    for (const type of ['ringing', 'dialing', 'held', 'muted', 'unmuted'] as const) actor.send(phone({ type }));
    expect(call()).toBe('RINGING');
  });

  it('moves on the init request that applies the events queued before it', () => {
    const { actor, call } = start('RINGING');
    actor.send(phone({ type: 'talking' }));
    actor.send(phone({ type: 'held' }));
    expect(call()).toBe('RINGING'); // queued, unapplied
    actor.send(init('q1'));
    expect(call()).toBe('HELD');
  });

  it('moves with the re-read of an overflowing pre-init queue', () => {
    const { actor, call } = start('RINGING', { preInitEvents: 0 });
    actor.send(phone({ type: 'talking' }, { state: 'TALKING', parties: [{ number: '100' }], muted: false }));
    expect(call()).toBe('TALKING');
  });
});

describe('the call region as drawn', () => {
  it('shows the phone-event table moves labelled by their events, the re-reads, the let-go and where the region starts', () => {
    const edges = machineGraph(conversationMachine)
      .edges.filter((edge) => edge.from.startsWith('call.') && edge.to.startsWith('call.'))
      .map((edge) => `${edge.from.slice(5)} -> ${edge.to.slice(5)}: ${edge.label}`);
    const states = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];
    expect(new Set(edges)).toEqual(
      new Set([
        ...states.map((state) => `entry -> ${state}: always [startsIn]`),
        'RINGING -> TALKING: phone.talking [isLive]',
        'RINGING -> RELEASED: phone.busy [isLive]',
        'RINGING -> RELEASED: phone.failed [isLive]',
        'RINGING -> RELEASED: phone.ended [isLive]',
        'DIALING -> TALKING: phone.talking [isLive]',
        'DIALING -> RELEASED: phone.busy [isLive]',
        'DIALING -> RELEASED: phone.failed [isLive]',
        'DIALING -> RELEASED: phone.ended [isLive]',
        'TALKING -> HELD: phone.held [isLive]',
        'TALKING -> RELEASED: phone.busy [isLive]',
        'TALKING -> RELEASED: phone.failed [isLive]',
        'TALKING -> RELEASED: phone.ended [isLive]',
        'HELD -> TALKING: phone.talking [isLive]',
        'HELD -> RELEASED: phone.busy [isLive]',
        'HELD -> RELEASED: phone.failed [isLive]',
        'HELD -> RELEASED: phone.ended [isLive]',
        // A full pre-init queue re-reads the leg: any live state to any other.
        ...states.slice(0, 4).flatMap((from) => states.filter((to) => to !== from).map((to) => `${from} -> ${to}: resync [snapshotSays]`)),
        // An ended leg the bridge never disposes is let go after the grace period.
        'RELEASED -> RELEASED: after letGoAfter [mayLetGo]',
        'RELEASED -> RELEASED: after letGoAfter [mayStillLetGo]',
      ]),
    );
  });
});
