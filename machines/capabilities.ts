/**
 * Capabilities: which requests a leg would take now, for an agent UI that greys out the buttons
 * the bridge would be refused. Derived from the request table (tables.ts) and the lifecycle, the
 * same rules `step` answers by; no second table. A request is taken unless its answer now would
 * be a refusal that no body could change: the table's `no` for the call state, "not initialized",
 * "disposed" (or a dispose already waiting), or "not supported by this phone". A request waiting
 * behind an operation in flight meets the same table when its turn comes, against the same call
 * state unless the phone reports a change first.
 */
import type { CallState, LegOperationName } from '../src/phone/types.js';
import { OPERATIONS } from './requests.js';
import { REQUEST_NAMES, requestCell, type RequestName } from './tables.js';

/** What capabilities are read from: a conversation context, or any object with these fields. */
export interface CapabilityContext {
  readonly phase: 'awaitingInit' | 'ready' | 'disposed';
  readonly pendingDispose?: unknown;
  readonly model: { readonly state: CallState };
  /** The optional operations the leg has; absent means all of them. */
  readonly settings?: { readonly supported: readonly LegOperationName[] };
}

/** The operations every leg has (docs/contract.md, "The adapter contract"); only the others can be missing. */
const ALWAYS: readonly LegOperationName[] = ['answer', 'release', 'hold', 'retrieve'];

export function canTake(context: CapabilityContext, request: RequestName): boolean {
  if (context.phase === 'disposed' || context.pendingDispose !== undefined) return false;
  if (request === 'dispose') return true;
  if (context.phase !== 'ready') return false;
  const { operation } = OPERATIONS[request];
  const supported = context.settings?.supported;
  if (supported !== undefined && !ALWAYS.includes(operation) && !supported.includes(operation)) return false;
  return requestCell(request, context.model.state) !== 'no';
}

/** Every request `canTake` allows, in the table's order. */
export function capabilitiesOf(context: CapabilityContext): readonly RequestName[] {
  return REQUEST_NAMES.filter((request) => canTake(context, request));
}
