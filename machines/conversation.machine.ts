/**
 * The conversation statechart: one per call leg, and the engine of the destination. Three regions:
 *  - `lifecycle`: awaitingInit → ready on the init query, back on `connection.lost`; a dispose
 *    waiting for a release in flight is `disposing`; `disposed` still answers (docs/contract.md,
 *    "Lifecycle").
 *  - `call`: RINGING | DIALING | TALKING | HELD | RELEASED, built from the phone-event table
 *    (machines/tables.ts): from each live state one edge per phone event whose cell moves the call,
 *    labelled with the event (`phone.held` takes TALKING to HELD); the other cells are target-less
 *    transitions running the cell's rule. A pre-init queue overflow re-reads the leg: `resync`.
 *  - `operation`: idle | running. While ready, the requests that reach the leg are this region's
 *    edges, so a request that calls the leg moves it to `running` in its own step (no raised event:
 *    one microstep per request, one per outcome). `running` leaves on the operation's outcome,
 *    `operation.settled`, or on its deadline, `operation.deadline`: both arrive from the destination,
 *    which arms the deadline with the operation it starts (the `start` effect carries `deadlineMs`).
 *    A delayed `after` edge here cost a fifth of every request/response pair in XState's scheduler
 *    (BENCHMARKS.md, "Machine: the deadline as data").
 * Guards are one-line predicates; actions are the small rules of machines/rules.ts. Effects leave
 * as data in the context's outbox (send, start, abort, detach, letGo, diagnostic: machines/effects.ts);
 * the destination takes them after each step and performs them.
 */
import { enqueueActions, not, and, or, setup, stateIn, type ActionFunction } from 'xstate';
import { branchContext, initialContext, type ConversationContext, type ConversationInput } from './context.js';
import { requestOf, type ConversationEvent, type KnownRequestEvent } from './events.js';
import { repeated, queueFull } from './rules.js';
import * as rules from './rules.js';
import { isCoreOperation, OPERATIONS } from './requests.js';
import { CALL_STATES, LIVE_CALL_STATES, PHONE_EVENT_TABLE, REQUEST_NAMES, type LiveCallState, type PhoneEventCell, type RequestName } from './tables.js';
import { PHONE_EVENT_TYPES, type CallState } from './types.js';
import { modelFromSnapshot } from './model.js';

export type { Effect } from './effects.js';
export { takeEffects } from './effects.js';
export { branchContext };

type Rule = rules.Rule<never>;
/** Edges built from the tables: XState checks their shape when the machine is created. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Edges = Record<string, any>;

/**
 * A rule as an XState action: its fields written, its effects appended to the outbox in order
 * (machines/effects.ts), its raised events.
 * The fields are written into the actor's own context in place, as its queue and memory already
 * are: an XState `assign` copies the whole snapshot (and recomputes its state value) once per
 * action, which cost about a tenth of a request/response pair (BENCHMARKS.md, "Machine"). A test
 * that branches from one snapshot gives each branch its own context (`branchContext`).
 */
function act(rule: Rule) {
  return enqueueActions(({ context, event, enqueue }) => {
    const change = (rule as rules.Rule)(context as ConversationContext, event as ConversationEvent);
    if (change.assign !== undefined) Object.assign(context, change.assign);
    const { outbox } = context as ConversationContext;
    for (const effect of change.effects) outbox.push(effect);
    if (change.raise !== undefined) for (const raised of change.raise) enqueue.raise(raised as never);
  }) as unknown as ActionFunction<ConversationContext, ConversationEvent, ConversationEvent, undefined, never, never, never, never, never>;
}

/** Where each moving cell of the phone-event table takes the call. */
const CELL_TARGET: Partial<Record<PhoneEventCell, CallState>> = {
  answered: 'TALKING',
  retrieved: 'TALKING',
  'to-held': 'HELD',
  'busy-word': 'RELEASED',
  'failed-word': 'RELEASED',
  end: 'RELEASED',
  'end-diag': 'RELEASED',
};

/** The action that runs each cell's rule, named for the cell. */
const CELL_ACTION: Readonly<Record<PhoneEventCell, string>> = {
  dup: 'ignoreDuplicate',
  diag: 'reportIgnored',
  nothing: 'ignoreStarted',
  answered: 'tellAnswered',
  retrieved: 'tellRetrieved',
  'to-held': 'tellHeld',
  'mute-tell': 'muteAndTell',
  'mute-quiet': 'muteQuietly',
  'unmute-tell': 'unmuteAndTell',
  'unmute-quiet': 'unmuteQuietly',
  'busy-word': 'tellBusyAndEnd',
  'failed-word': 'tellFailedAndEnd',
  end: 'tellEnded',
  'end-diag': 'tellEndedAndReport',
  'party-add': 'listParty',
  'party-remove': 'unlistParty',
  'transfer-failed': 'tellTransferFailed',
  'conference-failed': 'tellConferenceFailed',
};

const cellActions = Object.fromEntries(
  (Object.keys(CELL_ACTION) as PhoneEventCell[]).map((cell) => [CELL_ACTION[cell], act(rules.applyCell(cell) as Rule)]),
);

/** The state a re-read leg shows, as the model will read it. */
const snapshotState = (event: ConversationEvent): CallState | undefined =>
  event.type === 'resync' ? modelFromSnapshot(event.snapshot).state : undefined;

/** One call state: an edge per phone event whose cell moves the call, a target-less one otherwise. */
function liveCallState(state: LiveCallState) {
  const on: Edges = {};
  for (const type of PHONE_EVENT_TYPES) {
    const cell = PHONE_EVENT_TABLE[type][LIVE_CALL_STATES.indexOf(state)];
    const target = CELL_TARGET[cell];
    on[`phone.${type}`] = { guard: 'isLive', ...(target !== undefined && { target }), actions: CELL_ACTION[cell] };
  }
  on['resync'] = [
    ...CALL_STATES.filter((to) => to !== state).map((to) => ({ guard: { type: 'snapshotSays', params: { state: to } }, target: to, actions: 'rereadLeg' })),
    { actions: 'rereadLeg' },
  ];
  return { on };
}

// ---- the lifecycle's request edges ------------------------------------------------------------

/** First for every request: a frame for another target, a replay, a repeat of one not answered yet. */
const addressed = [
  { guard: 'isWrongTarget', actions: 'answerMoved' },
  { guard: 'isRemembered', actions: 'replay' },
  { guard: 'isRepeat', actions: 'joinRepeat' },
] as const;

function everyRequest(edges: (name: RequestName | 'unknown') => unknown): Edges {
  return Object.fromEntries([...REQUEST_NAMES, 'unknown' as const].map((name) => [`request.${name}`, edges(name)]));
}

const disposeFrom = (waiting: string) => [
  ...addressed,
  { guard: 'releaseInFlight', target: waiting, actions: ['cancelQueueByDispose', 'holdDispose'] },
  { target: '#conversation.lifecycle.disposed', actions: ['cancelInFlightByDispose', 'cancelQueueByDispose', 'answerDispose'] },
];

const awaitingInitRequests = everyRequest((name) => (name === 'dispose' ? disposeFrom('#conversation.lifecycle.disposing.awaitingInit') : [...addressed, { actions: 'answerNotInitialized' }]));

// ---- the operation region's request edges -----------------------------------------------------
// While the lifecycle is ready, the requests that reach the leg are the operation region's: it is
// idle or running, so an edge can say both what happens and where the region goes, in one step.

/** The requests that queue behind an operation (release cuts it short; dispose is the lifecycle's). */
const QUEUED_REQUESTS = REQUEST_NAMES.filter((name) => name !== 'dispose' && name !== 'release');

/** What every request meets first; outside `ready` the lifecycle region answers it. */
const checks = (name: RequestName) => [
  { guard: 'isNotReady' },
  ...addressed,
  ...(name === 'release' ? [] : [{ guard: 'notSupportedByPhone', actions: 'answerNotSupportedByPhone' }]),
  { guard: 'hasBodyError', actions: 'answerBadBody' },
  ...(name === 'release' ? [] : [{ guard: 'queueFull', actions: 'answerBusy' }]),
];

const whileIdle = (name: RequestName) => [
  ...checks(name),
  { guard: 'callsLegNow', target: 'running', actions: 'startOperation' },
  { actions: 'answerByTable' },
];

const idleRequests: Edges = Object.fromEntries([...QUEUED_REQUESTS, 'release' as const].map((name) => [`request.${name}`, whileIdle(name)]));

const runningRequests: Edges = {
  ...Object.fromEntries(QUEUED_REQUESTS.map((name) => [`request.${name}`, [...checks(name), { actions: 'enqueue' }]])),
  // A release cuts the operation in flight short and empties the queue; a second one shares the first's answer.
  'request.release': [
    ...checks('release'),
    { guard: 'releaseInFlight', actions: ['joinRelease', 'cancelQueueByRelease'] },
    { guard: 'callsLegNow', target: 'running', reenter: true, actions: ['cancelInFlightByRelease', 'cancelQueueByRelease', 'startOperation'] },
    { target: 'idle', actions: ['cancelInFlightByRelease', 'cancelQueueByRelease', 'answerByTable'] },
  ],
};

/** The operation in flight is done (its outcome or its deadline): the next waiting call starts, if any. */
const doneEdges = [
  { guard: 'nextCallWaiting', target: 'running', reenter: true },
  { guard: 'isCurrentOperation', target: 'idle' },
];
const done: Edges = { 'operation.settled': doneEdges, 'operation.deadline': doneEdges };

/** In `ready` the lifecycle keeps dispose (it ends the lifecycle) and the names it does not know. */
const readyRequests: Edges = {
  'request.dispose': disposeFrom('#conversation.lifecycle.disposing.ready'),
  'request.unknown': [{ guard: 'isWrongTarget', actions: 'answerMoved' }, { actions: 'answerUnsupported' }],
};

const phoneWhileAwaiting: Edges = Object.fromEntries(
  PHONE_EVENT_TYPES.map((type) => [`phone.${type}`, [{ guard: 'preInitFull', actions: 'overflowPreInit' }, { actions: 'queuePreInit' }]]),
);

const sameOperation = ({ context, event }: { context: ConversationContext; event: ConversationEvent }): boolean =>
  'opId' in event && context.inFlight?.opId === event.opId;

export const conversationMachine = setup({
  types: {
    context: {} as ConversationContext,
    events: {} as ConversationEvent,
    input: {} as ConversationInput,
  },
  actions: {
    refuse: act(rules.refuse as Rule),
    answerMoved: act(rules.answerMoved as Rule),
    replay: act(rules.replay as Rule),
    joinRepeat: act(rules.joinRepeat as Rule),
    answerNotInitialized: act(rules.answerNotInitialized as Rule),
    answerDisposing: act(rules.answerDisposing as Rule),
    answerDisposed: act(rules.answerDisposed as Rule),
    answerUnsupported: act(rules.answerUnsupported as Rule),
    answerNotSupportedByPhone: act(rules.answerNotSupportedByPhone as Rule),
    answerBadBody: act(rules.answerBadBody as Rule),
    answerBusy: act(rules.answerBusy as Rule),
    enqueue: act(rules.enqueue as Rule),
    startOperation: act(rules.startOperation as Rule),
    answerByTable: act(rules.answerByTable as Rule),
    takeNext: act(rules.takeNext as Rule),
    cancelInFlightByRelease: act(rules.cancelInFlight('release') as Rule),
    cancelInFlightByDispose: act(rules.cancelInFlight('dispose') as Rule),
    cancelQueueByRelease: act(rules.cancelQueue('release') as Rule),
    cancelQueueByDispose: act(rules.cancelQueue('dispose') as Rule),
    joinRelease: act(rules.joinRelease as Rule),
    holdDispose: act(rules.holdDispose as Rule),
    answerDispose: act(rules.answerDispose as Rule),
    completeDispose: act(rules.completeDispose as Rule),
    answerOutcome: act(rules.answerOutcome as Rule),
    answerTimedOut: act(rules.answerTimedOut as Rule),
    answerInit: act(rules.answerInit as Rule),
    replayPreInit: act(rules.replayPreInit as Rule),
    newEpoch: act(rules.newEpoch as Rule),
    queuePreInit: act(rules.queuePreInit as Rule),
    overflowPreInit: act(rules.overflowPreInit as Rule),
    rereadLeg: act(rules.rereadLeg as Rule),
    reportUnknownPhoneEvent: act(rules.reportUnknownPhoneEvent as Rule),
    letGo: act(rules.letGo as Rule),
    ...cellActions,
  },
  guards: {
    isWrongTarget: ({ context, event }) => 'header' in event && context.target !== undefined && event.header.target !== context.target,
    isRemembered: ({ context, event }) => 'header' in event && context.memory.recall(event.header.name, event.header.requestId) !== undefined,
    isRepeat: ({ context, event }) => 'header' in event && repeated(context, event.header) !== undefined,
    releaseInFlight: ({ context }) => context.inFlight?.request === 'release',
    notSupportedByPhone: ({ context, event }) => {
      const operation = OPERATIONS[requestOf(event as KnownRequestEvent) as Exclude<RequestName, 'dispose'>].operation;
      return !isCoreOperation(operation) && !context.settings.supported.includes(operation);
    },
    hasBodyError: ({ event }) => (event as KnownRequestEvent).bodyError !== undefined,
    queueFull: ({ context, event }) => queueFull(context, event as KnownRequestEvent),
    isCurrentOperation: sameOperation,
    isNotReady: not(stateIn({ lifecycle: 'ready' })),
    callsLegNow: ({ context, event }) => rules.callsLegNow(context, event as KnownRequestEvent),
    // This operation is done and requests wait behind it.
    othersWaiting: (args) => sameOperation(args) && args.context.queue.size > 0,
    // This operation is done and a waiting request will call the leg next.
    nextCallWaiting: (args) => sameOperation(args) && rules.callWaiting(args.context),
    preInitFull: ({ context }) => context.preInit.length >= context.settings.preInitEvents,
    isLive: or([stateIn({ lifecycle: 'ready' }), stateIn({ lifecycle: { disposing: 'ready' } })]),
    snapshotSays: ({ event }, params: { state: CallState }) => snapshotState(event) === params.state,
    startsIn: ({ context }, params: { state: CallState }) => context.model.state === params.state,
    wasInitialised: ({ context }) => context.flags.initialized,
    isDisposed: stateIn('#conversation.lifecycle.disposed'),
    mayLetGo: and(['wasInitialised', not('isDisposed')]),
    mayStillLetGo: and([not('wasInitialised'), not('isDisposed')]),
  },
  delays: {
    letGoAfter: ({ context }) => context.letGoAfterMs,
  },
}).createMachine({
  id: 'conversation',
  type: 'parallel',
  context: ({ input }) => initialContext(input),
  states: {
    lifecycle: {
      initial: 'awaitingInit',
      // In every lifecycle state: a header outside the catalogue's limits could not carry a SUCCESS.
      on: {
        'request.malformed': { actions: 'refuse' },
        'phone.unknown': { actions: 'reportUnknownPhoneEvent' },
        'operation.settled': [
          { guard: 'othersWaiting', actions: ['answerOutcome', 'takeNext'] },
          { guard: 'isCurrentOperation', actions: 'answerOutcome' },
        ],
        'operation.deadline': [
          { guard: 'othersWaiting', actions: ['answerTimedOut', 'takeNext'] },
          { guard: 'isCurrentOperation', actions: 'answerTimedOut' },
        ],
        'connection.lost': { actions: 'newEpoch' },
      },
      states: {
        awaitingInit: {
          on: {
            'query.init': { target: 'ready', actions: ['answerInit', 'replayPreInit'] },
            ...awaitingInitRequests,
            ...phoneWhileAwaiting,
            resync: { actions: 'overflowPreInit' },
          },
        },
        ready: {
          on: {
            'query.init': { actions: 'answerInit' },
            ...readyRequests,
            'connection.lost': { target: 'awaitingInit', actions: 'newEpoch' },
          },
        },
        // A dispose waits for the release in flight: a hang-up is never cut off.
        disposing: {
          initial: 'ready',
          on: {
            ...everyRequest(() => [...addressed, { actions: 'answerDisposing' }]),
            'operation.settled': { guard: 'isCurrentOperation', target: 'disposed', actions: ['answerOutcome', 'completeDispose'] },
            'operation.deadline': { guard: 'isCurrentOperation', target: 'disposed', actions: ['answerTimedOut', 'completeDispose'] },
          },
          states: {
            awaitingInit: {
              on: {
                'query.init': { target: 'ready', actions: ['answerInit', 'replayPreInit'] },
                ...phoneWhileAwaiting,
                resync: { actions: 'overflowPreInit' },
              },
            },
            ready: {
              on: {
                'query.init': { actions: 'answerInit' },
                'connection.lost': { target: 'awaitingInit', actions: 'newEpoch' },
              },
            },
          },
        },
        // Still answers: a repeated dispose is replayed, anything else is told "disposed".
        disposed: {
          on: {
            'query.init': [{ guard: 'isRemembered', actions: 'replay' }, { actions: 'answerDisposed' }],
            ...everyRequest(() => [{ guard: 'isRemembered', actions: 'replay' }, { actions: 'answerDisposed' }]),
          },
        },
      },
    },
    call: {
      // The leg's state at creation decides where the region starts.
      initial: 'entry',
      states: {
        entry: {
          always: CALL_STATES.map((state) => ({ guard: { type: 'startsIn', params: { state } }, target: state })),
        },
        RINGING: liveCallState('RINGING'),
        DIALING: liveCallState('DIALING'),
        TALKING: liveCallState('TALKING'),
        HELD: liveCallState('HELD'),
        // Every phone event is ignored once the call is RELEASED. An ended leg the bridge never
        // disposes is let go after the grace period (docs/contract.md, "Init and the pre-init queue").
        RELEASED: {
          after: {
            letGoAfter: [
              { guard: 'mayLetGo', target: 'RELEASED', actions: 'letGo' },
              { guard: 'mayStillLetGo', target: 'RELEASED', reenter: true },
            ],
          },
        },
      },
    },
    operation: {
      initial: 'idle',
      states: {
        idle: {
          on: idleRequests,
        },
        running: {
          on: {
            ...runningRequests,
            ...done,
            // A dispose cut the operation short (the lifecycle region's edge).
            'operation.cancelled': { target: 'idle' },
          },
        },
      },
    },
  },
});

export type ConversationMachine = typeof conversationMachine;
