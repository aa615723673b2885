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

/**
 * What every destination inherits: `target`, read from its actor. A getter written into each
 * destination's literal would make V8 build every destination in dictionary mode (about 450 bytes
 * a leg more, BENCHMARKS.md "Memory").
 */
export const DESTINATION_PROTOTYPE: { readonly target: string | undefined } = Object.freeze({
  get target(): string | undefined {
    return actors.get(this as object)?.getSnapshot().context.target;
  },
});

export function internalActor(destination: object): Actor<ConversationMachine> {
  const actor = actors.get(destination);
  if (actor === undefined) throw new TypeError('not a conversation destination made by createConversationDestination');
  return actor;
}
