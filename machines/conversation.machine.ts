/**
 * The conversation statechart: one per call leg. Three regions:
 *  - `lifecycle`: awaitingInit -> ready -> disposed (connection.lost goes back to awaitingInit);
 *  - `call`: the call state of the model, RINGING | DIALING | TALKING | HELD | RELEASED. It moves
 *    only as phone events are applied (design.md: state changes only when the phone reports it):
 *    on a phone event, or on the init request that applies the events queued before it. So the
 *    statechart and its inspectors show the call itself; mute stays a context flag (measured
 *    cheaper than a region, BENCHMARKS.md);
 *  - `operation`: idle | running. `running` carries the operation's deadline as a delayed
 *    transition, so tests drive time with XState's SimulatedClock and never sleep.
 * The rules themselves live in `step` (pure); guards and the one action ask it what an event does.
 * Effects leave through `emit` (send a message, start or abort an operation, detach, diagnose);
 * the destination performs them and feeds operation outcomes back as events.
 */
import { enqueueActions, raise, setup } from 'xstate';
import type { CallState } from '../src/phone/types.js';
import {
  initialContext,
  operationDeadlineMs,
  stepOf,
  type ConversationContext,
  type ConversationEvent,
  type ConversationInput,
  type Effect,
} from './step.js';

const CALL_STATES: readonly CallState[] = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];

/** The moves the phone-event table makes one event at a time (design.md). */
const PHONE_MOVES: Readonly<Record<CallState, readonly CallState[]>> = {
  RINGING: ['TALKING', 'RELEASED'],
  DIALING: ['TALKING', 'RELEASED'],
  TALKING: ['HELD', 'RELEASED'],
  HELD: ['TALKING', 'RELEASED'],
  RELEASED: [],
};

/**
 * The `call` region's transitions out of `from`, to whichever state the event leaves the model in.
 * Besides the table's moves, a pre-init queue overflow re-reads the leg and an init applies every
 * event queued before it, so any state can follow any other; those re-syncs are real transitions
 * (the region always mirrors the model) but are not drawn (`meta.drawn`), or the diagram would
 * be a tangle of edges the phone-event table never makes one event at a time.
 */
function callMoves(from: CallState, event: 'phone' | 'request') {
  return CALL_STATES.filter((state) => state !== from).map((state) => ({
    guard: { type: 'callBecomes' as const, params: { state } },
    target: state,
    ...(event === 'phone' && PHONE_MOVES[from].includes(state) ? {} : { meta: { drawn: false } }),
  }));
}

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
    callIs: ({ context }, params: { state: CallState }) => context.model.state === params.state,
    callBecomes: ({ context, event }, params: { state: CallState }) => stepOf(context, event).context.model.state === params.state,
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
    call: {
      // The leg's state at creation decides where the region starts; `entry` leaves at once.
      initial: 'entry',
      states: {
        entry: {
          always: CALL_STATES.map((state) => ({ guard: { type: 'callIs' as const, params: { state } }, target: state })),
        },
        RINGING: { on: { phone: callMoves('RINGING', 'phone'), request: callMoves('RINGING', 'request') } },
        DIALING: { on: { phone: callMoves('DIALING', 'phone'), request: callMoves('DIALING', 'request') } },
        TALKING: { on: { phone: callMoves('TALKING', 'phone'), request: callMoves('TALKING', 'request') } },
        HELD: { on: { phone: callMoves('HELD', 'phone'), request: callMoves('HELD', 'request') } },
        // Every phone event is ignored once the call is RELEASED (design.md).
        RELEASED: {},
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
