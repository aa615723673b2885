/**
 * A state identity for `xstate/graph` traversal: the state value and what decides behaviour,
 * without the counters that only grow (operation ids, the requestId memory) so the explored
 * state space stays finite.
 */
import type { SnapshotFrom } from 'xstate';
import type { ConversationMachine } from './conversation.machine.js';

export function serializeConversationState(snapshot: SnapshotFrom<ConversationMachine>): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.target,
    c.model,
    c.flags,
    c.connected,
    c.preInit.map((e) => e.type),
    c.oneShots.map((e) => e.type),
    c.queue.map((p) => p.request),
    c.inFlight?.request ?? null,
    c.pendingDispose !== undefined,
  ]);
}
