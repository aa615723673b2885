/**
 * The XState actor behind a destination, for tests and the inspector only: the public surface is
 * the destination's `getSnapshot()` / `subscribe()` view, which does not change when the chart does.
 */
import type { Actor } from 'xstate';
import type { ConversationMachine } from '../../machines/conversation.machine.js';

const actors = new WeakMap<object, Actor<ConversationMachine>>();

/** Called once by createConversationDestination. */
export function registerActor(destination: object, actor: Actor<ConversationMachine>): void {
  actors.set(destination, actor);
}

export function internalActor(destination: object): Actor<ConversationMachine> {
  const actor = actors.get(destination);
  if (actor === undefined) throw new TypeError('not a conversation destination made by createConversationDestination');
  return actor;
}
