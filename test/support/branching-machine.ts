/**
 * The conversation machine as an `xstate/graph` walk needs it: every branch starts from its own
 * copy of the context (TESTING.md, "Branching from snapshots"), so exploring one event never
 * changes another's start. The actor writes its context in place; this copy costs only the tests.
 */
import type { SnapshotFrom } from 'xstate';
import { branchContext } from '../../machines/context.js';
import { conversationMachine } from '../../machines/conversation.machine.js';
import type { ConversationEvent } from '../../machines/events.js';

type Snapshot = SnapshotFrom<typeof conversationMachine>;

export const branchingMachine = Object.create(conversationMachine, {
  transition: {
    value: (snapshot: Snapshot, event: ConversationEvent, scope: never) =>
      conversationMachine.transition({ ...snapshot, context: branchContext(snapshot.context) } as Snapshot, event, scope),
  },
}) as typeof conversationMachine;
