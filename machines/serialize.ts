/**
 * A state identity for `xstate/graph` traversal: the state value and what decides behaviour,
 * without the counters that only grow (operation ids, the requestId memory, the connection
 * epoch) so the explored state space stays finite.
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
    [...c.earlierTargets],
    c.preInit.map((e) => e.type),
    c.oneShots.map((e) => e.type),
    // The connection epoch only grows; what matters is whether a request came in on this one.
    c.queue.toArray().map((p) => [p.request, p.epoch === c.epoch]),
    c.inFlight === undefined ? null : [c.inFlight.request, c.inFlight.epoch === c.epoch],
    c.pendingDispose !== undefined,
  ]);
}
