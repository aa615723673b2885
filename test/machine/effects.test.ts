/**
 * The chart's effects leave through the context's outbox (machines/effects.ts): each step's, in
 * order, taken once by the runner's observer.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { conversationMachine, takeEffects, type Effect } from '../../machines/conversation.machine.js';
import { requestEvent } from '../../machines/events.js';

const T = 'PB1.X.leg-3';
const request = (short: string, requestId: string) =>
  requestEvent({ type: short === 'init' ? 'cti.query' : 'cti.request', name: short === 'init' ? 'conversation.query.init' : `conversation.request.${short}`, target: T, requestId });

const line = (e: Effect): string => {
  if (e.type === 'send') {
    const h = e.message.header as { name: string; result?: string; requestId?: string };
    return h.result === undefined ? h.name : `${h.result} ${h.requestId}`;
  }
  return e.type === 'start' ? `start ${e.operation}#${e.opId}` : e.type === 'abort' ? `abort #${e.opId}` : e.type;
};

function leg(perform: (effect: Effect, actor: ReturnType<typeof createActor<typeof conversationMachine>>) => void = () => undefined) {
  const actor = createActor(conversationMachine, { input: { snapshot: { state: 'TALKING', parties: [{ number: '100' }], muted: false } } });
  const seen: string[] = [];
  actor.subscribe((snapshot) =>
    takeEffects(snapshot.context, (effect) => {
      seen.push(line(effect));
      perform(effect, actor);
    }),
  );
  actor.start();
  return { actor, seen };
}

describe('the outbox', () => {
  it('a step\'s effects are handed over in the order its rules made them, and the outbox is left empty', () => {
    const { actor, seen } = leg();
    actor.send(request('init', 'i'));
    actor.send(request('hold', 'h'));
    actor.send(request('mute', 'm'));
    // A release cuts the hold short: abort, its answer, the queued mute's answer, then the release starts.
    actor.send(request('release', 'r'));
    expect(seen).toEqual(['SUCCESS i', 'conversation.started', 'start hold#1', 'abort #1', 'FAILURE h', 'FAILURE m', 'start release#2']);
    expect(actor.getSnapshot().context.outbox).toEqual([]);
  });

  it('every effect is performed exactly once, and an event sent while performing is taken after the step\'s effects', () => {
    // The phone settles each operation as it starts, inside perform: the chart takes that outcome
    // once the observer returns, so its answer follows the step that started it.
    const { actor, seen } = leg((effect, self) => {
      if (effect.type === 'start') self.send({ type: 'operation.settled', opId: effect.opId, ok: true });
    });
    actor.send(request('init', 'i'));
    actor.send(request('hold', 'h'));
    actor.send(request('release', 'r'));
    expect(seen).toEqual(['SUCCESS i', 'conversation.started', 'start hold#1', 'SUCCESS h', 'start release#2', 'SUCCESS r']);
    expect(actor.getSnapshot().context.outbox).toEqual([]);
  });

  it('a perform that throws still leaves the outbox empty, so the next step starts clean', () => {
    const context = { outbox: [{ type: 'detach' }, { type: 'letGo' }] as Effect[] };
    const taken: string[] = [];
    expect(() =>
      takeEffects(context, (effect) => {
        taken.push(effect.type);
        throw new Error('perform failed');
      }),
    ).toThrow('perform failed');
    expect(taken).toEqual(['detach']);
    expect(context.outbox).toEqual([]);
  });
});
