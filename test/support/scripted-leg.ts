/**
 * A small scripted phone leg for the destination's own tests, and a harness that binds it to a
 * destination on XState's SimulatedClock. The test decides how each operation ends (resolve,
 * reject, throw, hang, or by hand) and which events the leg reports.
 */
import { onTestFinished } from 'vitest';
import { SimulatedClock } from 'xstate';
import { validateOutbound } from '../../generated/validators.js';
import type { OutboundMessage } from '../../generated/types.js';
import {
  createConversationDestination,
  type ConversationDestinationOptions,
  type DestinationDiagnostic,
} from '../../src/destination/index.js';
import type { CallState, LegOperationName, LegSnapshot, Party, PhoneEvent, PhoneEventListener, TelephonyLeg } from '../../src/phone/types.js';

export type OperationMode = 'resolve' | 'reject' | 'throw' | 'hang' | 'manual';

export interface LegCall {
  readonly operation: LegOperationName | 'dispose';
  readonly args: readonly string[];
  readonly signal?: AbortSignal;
}

export interface ScriptedLeg extends TelephonyLeg {
  state: CallState;
  muted: boolean;
  parties: Party[];
  readonly calls: LegCall[];
  /** How each operation ends; default 'resolve'. */
  readonly modes: Partial<Record<LegOperationName | 'dispose', OperationMode>>;
  readonly listenerCount: number;
  /** Reports an event to the subscribers, after folding it into the snapshot as a phone would. */
  emit(event: PhoneEvent): void;
  /** Ends the oldest 'manual' call of an operation. */
  settle(operation: LegOperationName, outcome?: { reject?: string }): void;
  /** The operations called, in order, without dispose unless asked. */
  operations(withDispose?: boolean): string[];
}

export const CALLER: Party = { number: '+15551230001', name: 'Pat Caller' };

export function scriptedLeg(init: { id?: string; state?: CallState; muted?: boolean; parties?: Party[]; lacks?: LegOperationName[] } = {}): ScriptedLeg {
  const listeners = new Set<PhoneEventListener>();
  const manual = new Map<string, { resolve: () => void; reject: (error: Error) => void }[]>();
  const run = (operation: LegOperationName | 'dispose', args: string[], signal?: AbortSignal): Promise<void> => {
    leg.calls.push({ operation, args, ...(signal && { signal }) });
    switch (leg.modes[operation] ?? 'resolve') {
      case 'resolve':
        return Promise.resolve();
      case 'reject':
        return Promise.reject(new Error(`${operation} refused by the scripted phone`));
      case 'throw':
        throw new Error(`${operation} threw in the scripted phone`);
      case 'hang':
        return new Promise<void>(() => undefined);
      case 'manual':
        return new Promise<void>((resolve, reject) => {
          const waiting = manual.get(operation) ?? [];
          waiting.push({ resolve, reject });
          manual.set(operation, waiting);
        });
    }
  };
  const leg: ScriptedLeg = {
    id: init.id ?? 'leg-1',
    state: init.state ?? 'RINGING',
    muted: init.muted ?? false,
    parties: [...(init.parties ?? [CALLER])],
    calls: [],
    modes: {},
    get listenerCount() {
      return listeners.size;
    },
    snapshot(): LegSnapshot {
      return { state: leg.state, muted: leg.muted, parties: [...leg.parties] };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      switch (event.type) {
        case 'ringing':
          leg.state = 'RINGING';
          break;
        case 'dialing':
          leg.state = 'DIALING';
          break;
        case 'talking':
          leg.state = 'TALKING';
          break;
        case 'held':
          leg.state = 'HELD';
          break;
        case 'muted':
        case 'unmuted':
          leg.muted = event.type === 'muted';
          break;
        case 'busy':
        case 'failed':
        case 'ended':
          leg.state = 'RELEASED';
          break;
        case 'partyAdded':
          if (!leg.parties.some((p) => p.number === event.party.number)) leg.parties.push(event.party);
          break;
        case 'partyRemoved':
          if (leg.parties.length > 1) leg.parties = leg.parties.filter((p) => p.number !== event.number);
          break;
        default:
          break;
      }
      for (const listener of [...listeners]) listener(event);
    },
    settle(operation, outcome = {}) {
      const next = manual.get(operation)?.shift();
      if (next === undefined) throw new Error(`no manual ${operation} is waiting`);
      if (outcome.reject !== undefined) next.reject(new Error(outcome.reject));
      else next.resolve();
    },
    operations(withDispose = false) {
      return leg.calls.filter((c) => withDispose || c.operation !== 'dispose').map((c) => c.operation);
    },
    answer: (signal) => run('answer', [], signal),
    release: (signal) => run('release', [], signal),
    hold: (signal) => run('hold', [], signal),
    retrieve: (signal) => run('retrieve', [], signal),
    mute: (signal) => run('mute', [], signal),
    unmute: (signal) => run('unmute', [], signal),
    transfer: (destination, signal) => run('transfer', [destination], signal),
    conference: (destination, signal) => run('conference', [destination], signal),
    removeParty: (number, signal) => run('removeParty', [number], signal),
    sendDtmf: (digits, signal) => run('sendDtmf', [digits], signal),
    dispose: () => run('dispose', []),
  };
  for (const operation of init.lacks ?? []) delete (leg as unknown as Record<string, unknown>)[operation];
  return leg;
}

/** Lets promise callbacks (operation outcomes) run. Not a wall-clock wait. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

export const TARGET = 'PB1.S-1001.G-1.TEL.I-5521.leg-1';

export type Harness = ReturnType<typeof harness>;

/**
 * A destination on a scripted leg and a SimulatedClock. Every message sent is checked with the
 * generated validateOutbound (invariant 8); the test fails at its end if one did not pass.
 */
export function harness(
  options: { leg?: ScriptedLeg } & Partial<Omit<ConversationDestinationOptions, 'leg' | 'send' | 'clock' | 'onDiagnostic' | 'onDisposed'>> = {},
) {
  const leg = options.leg ?? scriptedLeg();
  const clock = new SimulatedClock();
  const sent: OutboundMessage[] = [];
  const invalid: unknown[] = [];
  const diagnostics: DestinationDiagnostic[] = [];
  const order: string[] = []; // sends and leg dispose calls interleaved, for invariant 6
  let disposedCallbacks = 0;
  let counter = 0;
  // Every leg operation and every send, interleaved, so tests can check what came first.
  for (const name of ['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf', 'dispose'] as const) {
    const real = leg[name] as ((...args: unknown[]) => Promise<void>) | undefined;
    if (real === undefined) continue;
    (leg as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      order.push(`leg.${name}`);
      return real(...args);
    };
  }
  const destination = createConversationDestination({
    ...options,
    leg,
    clock,
    send: (message) => {
      if (!validateOutbound(message).ok) invalid.push(message);
      sent.push(message);
      order.push(`${message.header.type} ${message.header.name}`);
    },
    onDiagnostic: (d) => diagnostics.push(d),
    onDisposed: () => {
      disposedCallbacks += 1;
    },
  });
  onTestFinished(() => {
    destination.stop();
    if (invalid.length > 0) throw new Error(`messages failed validateOutbound: ${JSON.stringify(invalid)}`);
  });
  const target = options.target ?? TARGET;
  const frame = (name: string, requestId: string, body?: Record<string, unknown>, at = target) => ({
    header: { type: name.includes('.query.') ? 'cti.query' : 'cti.request', name, target: at, requestId },
    body: body ?? {},
  });
  const h = {
    leg,
    clock,
    destination,
    sent,
    diagnostics,
    order,
    get disposedCallbacks() {
      return disposedCallbacks;
    },
    frame,
    /** Sends `conversation.request.<short>` (or the init query for 'init'); returns its requestId. */
    request(short: string, body?: Record<string, unknown>, requestId?: string, at?: string): string {
      const id = requestId ?? `r${(counter += 1)}`;
      const name = short === 'init' ? 'conversation.query.init' : `conversation.request.${short}`;
      destination.receive(frame(name, id, body, at));
      return id;
    },
    init(at?: string): string {
      return h.request('init', undefined, undefined, at);
    },
    /** Responses sent for a requestId. */
    responses(requestId: string) {
      return sent.filter((m) => m.header.type === 'cti.response' && (m.header as { requestId: string }).requestId === requestId);
    },
    /** The only response for a requestId, as `SUCCESS` or `FAILURE: <errorMessage>`. */
    outcome(requestId: string): string {
      const found = h.responses(requestId);
      if (found.length !== 1) return `${found.length} responses`;
      const header = found[0].header as { result: string; errorMessage?: string };
      return header.result === 'SUCCESS' ? 'SUCCESS' : `FAILURE: ${header.errorMessage}`;
    },
    /** Event names sent (without `conversation.`), in order. */
    events(): string[] {
      return sent.filter((m) => m.header.type === 'cti.event').map((m) => m.header.name.replace(/^conversation\./, ''));
    },
    /** Everything sent since the last call, as short lines. */
    take(): string[] {
      const lines = sent.splice(0).map((m) => {
        const header = m.header as { type: string; name: string; result?: string };
        return header.type === 'cti.event' ? `event ${header.name.replace(/^conversation\./, '')}` : `${header.result} ${header.name.replace(/^conversation\.(request|query)\./, '')}`;
      });
      return lines;
    },
  };
  return h;
}

/** A harness over a TALKING leg whose init has been answered, with what that sent already taken. */
export async function talkingHarness(options: Parameters<typeof harness>[0] = {}) {
  const h = harness({ leg: scriptedLeg({ state: 'TALKING' }), ...options });
  h.init();
  await flush();
  h.take();
  return h;
}
