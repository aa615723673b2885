/** The destination's public view of its leg: what a person (or a test) watching the call needs. */
import type { SnapshotFrom } from 'xstate';
import type { ConversationMachine } from '../../machines/conversation.machine.js';
import type { CallState, Party } from '../../machines/types.js';

export type DestinationLifecycle = 'awaitingInit' | 'ready' | 'disposing' | 'disposed';

export interface DestinationView {
  readonly lifecycle: DestinationLifecycle;
  readonly call: CallState;
  readonly muted: boolean;
  readonly parties: readonly Party[];
  /** Whether a leg operation is in flight. */
  readonly operation: 'idle' | 'running';
  readonly target: string | undefined;
}

export function viewOf(snapshot: SnapshotFrom<ConversationMachine>): DestinationView {
  const value = snapshot.value as { lifecycle: DestinationLifecycle | { disposing: string }; call: CallState | 'entry'; operation: 'idle' | 'running' };
  const { model, target } = snapshot.context;
  return {
    lifecycle: typeof value.lifecycle === 'string' ? value.lifecycle : 'disposing',
    call: model.state,
    muted: model.muted,
    parties: model.parties,
    operation: value.operation,
    target,
  };
}
