/**
 * Capabilities: which requests a leg would take now, for an agent UI that greys out the buttons
 * the bridge would be refused. Read from the chart: the lifecycle and call regions of a snapshot,
 * the request table (tables.ts) and the operations the leg has, the same facts the chart's request
 * edges decide by; no second table. A request is taken unless its answer now would be a refusal no
 * body could change: the table's `no` for the call state, "not initialized", "disposed" (also while
 * a dispose waits for a release), or "not supported by this phone". A request waiting behind an
 * operation in flight meets the same table when its turn comes, against the same call state unless
 * the phone reports a change first.
 */
import { isCoreOperation, OPERATIONS } from './requests.js';
import { CALL_STATES, REQUEST_NAMES, requestCell, type RequestName } from './tables.js';
import type { CallState, LegOperationName } from './types.js';

/** What capabilities are read from: a conversation machine's snapshot (or anything that answers the same). */
export interface CapabilitySnapshot {
  matches(value: { lifecycle: 'awaitingInit' | 'ready' } | { call: CallState }): boolean;
  readonly context: { readonly settings: { readonly supported: readonly LegOperationName[] } };
}

export function canTake(snapshot: CapabilitySnapshot, request: RequestName): boolean {
  if (snapshot.matches({ lifecycle: 'awaitingInit' })) return request === 'dispose';
  if (!snapshot.matches({ lifecycle: 'ready' })) return false; // disposing or disposed
  if (request === 'dispose') return true;
  const { operation } = OPERATIONS[request];
  if (!isCoreOperation(operation) && !snapshot.context.settings.supported.includes(operation)) return false;
  const call = CALL_STATES.find((state) => snapshot.matches({ call: state }));
  return call !== undefined && requestCell(request, call) !== 'no';
}

/** Every request `canTake` allows, in the table's order. */
export function capabilitiesOf(snapshot: CapabilitySnapshot): readonly RequestName[] {
  return REQUEST_NAMES.filter((request) => canTake(snapshot, request));
}
