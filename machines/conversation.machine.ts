/**
 * The conversation statechart: one per call leg. Two regions:
 *  - `lifecycle`: awaitingInit -> ready -> disposed (connection.lost goes back to awaitingInit);
 *  - `operation`: idle | running. `running` carries the operation's deadline as a delayed
 *    transition, so tests drive time with XState's SimulatedClock and never sleep.
 * The rules themselves live in `step` (pure); guards and the one action ask it what an event does.
 * Effects leave through `emit` (send a message, start or abort an operation, detach, diagnose);
 * the destination performs them and feeds operation outcomes back as events.
 */
import { enqueueActions, raise, setup } from 'xstate';
import {
  initialContext,
  operationDeadlineMs,
  stepOf,
  type ConversationContext,
  type ConversationEvent,
  type ConversationInput,
  type Effect,
} from './step.js';

const applyStep = enqueueActions<ConversationContext, ConversationEvent, undefined, ConversationEvent, never, never, never, never, Effect>(
  ({ context, event, enqueue }) => {
    const { context: next, effects } = stepOf(context, event);
    // Effects leave in order after the snapshot is updated (XState defers emitted events).
    enqueue.assign(() => next);
    for (const effect of effects) enqueue.emit(effect);
  },
);

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    input: {} as ConversationInput,
    emitted: {} as Effect,
  },
  actions: {
    applyStep,
    // `running` is entered only with an operation in flight (NaN would match no operation).
    raiseDeadline: raise(({ context }: { context: ConversationContext }) => ({
      type: 'operation.deadline' as const,
      opId: Number(context.inFlight?.opId),
    })),
  },
  guards: {
    becomesReady: ({ context, event }) => stepOf(context, event).context.phase === 'ready',
    becomesDisposed: ({ context, event }) => stepOf(context, event).context.phase === 'disposed',
    becomesAwaitingInit: ({ context, event }) => stepOf(context, event).context.phase === 'awaitingInit',
    startsOperation: ({ context, event }) => stepOf(context, event).operation === 'restart',
    endsOperation: ({ context, event }) => stepOf(context, event).operation === 'idle',
  },
  delays: {
    operationDeadline: ({ context }) => operationDeadlineMs(context),
  },
}).createMachine({
  id: 'conversation',
  type: 'parallel',
  context: ({ input }) => initialContext(input),
  states: {
    lifecycle: {
      initial: 'awaitingInit',
      states: {
        awaitingInit: {
          on: {
            request: [
              { guard: 'becomesReady', target: 'ready', actions: 'applyStep' },
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            phone: { actions: 'applyStep' },
            'operation.settled': [
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            'operation.deadline': [
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            'connection.lost': { actions: 'applyStep' },
          },
        },
        ready: {
          on: {
            request: [
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            phone: { actions: 'applyStep' },
            'operation.settled': [
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            'operation.deadline': [
              { guard: 'becomesDisposed', target: 'disposed', actions: 'applyStep' },
              { actions: 'applyStep' },
            ],
            'connection.lost': { guard: 'becomesAwaitingInit', target: 'awaitingInit', actions: 'applyStep' },
          },
        },
        disposed: {
          // Still answers: a repeated dispose is replayed, anything else is told "disposed".
          on: { request: { actions: 'applyStep' } },
        },
      },
    },
    operation: {
      initial: 'idle',
      states: {
        idle: {
          on: {
            request: { guard: 'startsOperation', target: 'running' },
          },
        },
        running: {
          on: {
            request: [
              { guard: 'startsOperation', target: 'running', reenter: true },
              { guard: 'endsOperation', target: 'idle' },
            ],
            'operation.settled': [
              { guard: 'startsOperation', target: 'running', reenter: true },
              { guard: 'endsOperation', target: 'idle' },
            ],
            'operation.deadline': [
              { guard: 'startsOperation', target: 'running', reenter: true },
              { guard: 'endsOperation', target: 'idle' },
            ],
          },
          after: { operationDeadline: { actions: 'raiseDeadline' } },
        },
      },
    },
  },
});

export type ConversationMachine = typeof conversationMachine;
