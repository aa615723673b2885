/**
 * The conversation machine keeps the call's data (mute, parties) and its queues in context beside
 * its states (machines/context.ts). This turns that context into what a person watching a call wants to
 * read, and keeps the request memory to its size. A context of another shape passes unchanged.
 * DTMF digits are never shown (they can be card numbers): only how many. Beside the call state it
 * lists the requests the leg would take now (machines/capabilities.ts), the buttons a UI enables;
 * that needs the lifecycle, which is the snapshot's state value (`value`), not its context.
 */
import { matchesState, type StateValue } from 'xstate';
import { capabilitiesOf } from '../../machines/capabilities.js';
import { OPTIONAL_LEG_OPERATIONS, type LegOperationName } from '../phone/types.js';

const CALL_STATES = ['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'];

interface Header {
  readonly name?: unknown;
  readonly requestId?: unknown;
}

interface ConversationLike {
  readonly phase?: unknown;
  readonly target?: unknown;
  readonly connected?: unknown;
  readonly model: { readonly state: string; readonly muted?: unknown; readonly parties?: unknown };
  readonly flags?: unknown;
  readonly preInit?: readonly { readonly type?: unknown }[];
  readonly oneShots?: readonly { readonly type?: unknown }[];
  /** An array, or the machine's LegQueue (toArray). */
  readonly queue?: readonly { readonly header?: Header }[] | { toArray(): readonly { readonly header?: Header }[] };
  readonly inFlight?: { readonly operation?: unknown; readonly args?: readonly unknown[]; readonly header?: Header };
  readonly pendingDispose?: { readonly header?: Header };
  readonly memory?: { readonly size?: unknown; readonly limit?: unknown };
  readonly settings?: { readonly supported?: readonly LegOperationName[] };
}

/** `value`: the snapshot's state value; without it the requests it would take are not shown. */
export function conversationView(context: unknown, value?: unknown): unknown {
  if (!isConversation(context)) return context;
  const inFlight = context.inFlight;
  return {
    'call state': context.model.state,
    'requests it would take': takes(context, value),
    muted: context.model.muted,
    parties: context.model.parties,
    'queued events': [...(context.preInit ?? []), ...(context.oneShots ?? [])].map((event) => event?.type),
    'queued requests': queued(context.queue).map((pending) => requestLabel(pending.header)),
    'operation in flight': inFlight
      ? `${String(inFlight.operation)}(${argumentsLabel(inFlight.operation, inFlight.args)}) for ${requestLabel(inFlight.header)}`
      : null,
    phase: context.phase,
    target: context.target,
    connected: context.connected,
    'sent so far': context.flags,
    'dispose waiting': context.pendingDispose ? requestLabel(context.pendingDispose.header) : null,
    'answered requestIds': context.memory ? `${String(context.memory.size)} of at most ${String(context.memory.limit)}` : undefined,
  };
}

function queued(queue: ConversationLike['queue']): readonly { readonly header?: Header }[] {
  if (Array.isArray(queue)) return queue;
  return queue !== undefined && typeof (queue as { toArray?: unknown }).toArray === 'function' ? (queue as { toArray(): readonly { readonly header?: Header }[] }).toArray() : [];
}

function takes(context: ConversationLike, value: unknown): readonly string[] | undefined {
  const state = stateValueOf(context, value);
  if (state === undefined) return undefined;
  const supported = context.settings?.supported;
  return capabilitiesOf({
    matches: (part) => matchesState(part as StateValue, state),
    context: { settings: { supported: Array.isArray(supported) ? supported : OPTIONAL_LEG_OPERATIONS } },
  });
}

const LIFECYCLES = ['awaitingInit', 'ready', 'disposing', 'disposed'];

/**
 * The chart's state value. A context that names its own `phase` (the shape from before the
 * lifecycle became a region of the chart) stands for one: a waiting dispose is `disposing`.
 */
function stateValueOf(context: ConversationLike, value: unknown): StateValue | undefined {
  if (value !== null && typeof value === 'object' && 'lifecycle' in value) return value as StateValue;
  const { phase } = context;
  if (typeof phase !== 'string' || !LIFECYCLES.includes(phase)) return undefined;
  return { lifecycle: context.pendingDispose !== undefined ? 'disposing' : phase, call: context.model.state };
}

function isConversation(context: unknown): context is ConversationLike {
  const model = context && typeof context === 'object' ? (context as { model?: unknown }).model : undefined;
  const state = model && typeof model === 'object' ? (model as { state?: unknown }).state : undefined;
  return typeof state === 'string' && CALL_STATES.includes(state);
}

function requestLabel(header: Header | undefined): string {
  const name = typeof header?.name === 'string' ? header.name.replace(/^conversation\.(request|query)\./, '') : '?';
  return typeof header?.requestId === 'string' ? `${name} #${header.requestId}` : name;
}

function argumentsLabel(operation: unknown, args: readonly unknown[] | undefined): string {
  if (!args || args.length === 0) return '';
  if (operation === 'sendDtmf') return `${String(args[0] ?? '').length} digits`;
  return args.map((arg) => JSON.stringify(arg)).join(', ');
}
