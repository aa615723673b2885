/**
 * The `call` region: it starts in the leg's state, follows the model through every phone event,
 * the init that applies queued events and a queue overflow's re-read, and its drawn edges are
 * exactly the moves of design.md's phone-event table.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { conversationMachine } from '../../machines/conversation.machine.js';
import type { ConversationEvent, ConversationInput } from '../../machines/step.js';
import { machineGraph } from '../../src/inspector/machine-graph.js';
import type { CallState, PhoneEvent } from '../../src/phone/types.js';

const T = 'PB1.X.leg-3';
const init = (requestId: string): ConversationEvent => ({
  type: 'request',
  header: { type: 'cti.query', name: 'conversation.query.init', target: T, requestId },
});
const phone = (event: PhoneEvent, snapshot?: ConversationInput['snapshot']): ConversationEvent => ({
  type: 'phone',
  event,
  ...(snapshot && { snapshot }),
});

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
  it('shows exactly the phone-event table moves between call states, and where the region starts', () => {
    const edges = machineGraph(conversationMachine)
      .edges.filter((edge) => edge.from.startsWith('call.') && edge.to.startsWith('call.'))
      .map((edge) => `${edge.from.slice(5)} -> ${edge.to.slice(5)}: ${edge.label}`);
    expect(new Set(edges)).toEqual(
      new Set([
        ...['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'].map((state) => `entry -> ${state}: always [callIs]`),
        'RINGING -> TALKING: phone [callBecomes]',
        'RINGING -> RELEASED: phone [callBecomes]',
        'DIALING -> TALKING: phone [callBecomes]',
        'DIALING -> RELEASED: phone [callBecomes]',
        'TALKING -> HELD: phone [callBecomes]',
        'TALKING -> RELEASED: phone [callBecomes]',
        'HELD -> TALKING: phone [callBecomes]',
        'HELD -> RELEASED: phone [callBecomes]',
      ]),
    );
  });
});
