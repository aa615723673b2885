/**
 * `can(request)`, `capabilities()` and a change event on a destination, read from its machine's
 * context with machines/capabilities.ts. The listener hears a new list only when it differs from
 * the last one it heard, so a UI re-renders its buttons only when they change.
 */
import { capabilitiesOf, canTake, type CapabilityContext } from '../../machines/capabilities.js';
import { REQUEST_NAMES, type RequestName } from '../../machines/tables.js';

export interface DestinationCapabilities {
  /** True when the leg would take this request now (`hold`, or `conversation.request.hold`). */
  can(request: string): boolean;
  /** The requests the leg would take now, in the request table's order. */
  capabilities(): readonly RequestName[];
  /** Called with the new list whenever it changes. Returns an unsubscribe. */
  onCapabilitiesChange(listener: (capabilities: readonly RequestName[]) => void): () => void;
}

interface Watched {
  getSnapshot(): { readonly context: CapabilityContext };
  subscribe(listener: (snapshot: { readonly context: CapabilityContext }) => void): { unsubscribe(): void };
}

const shortRequest = (request: string): RequestName | undefined => {
  const short = request.startsWith('conversation.request.') ? request.slice('conversation.request.'.length) : request;
  return (REQUEST_NAMES as readonly string[]).includes(short) ? (short as RequestName) : undefined;
};

export function watchCapabilities(actor: Watched): DestinationCapabilities {
  const listeners = new Set<(capabilities: readonly RequestName[]) => void>();
  let last: string | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  const current = (): readonly RequestName[] => capabilitiesOf(actor.getSnapshot().context);
  const changed = (snapshot: { readonly context: CapabilityContext }): void => {
    const list = capabilitiesOf(snapshot.context);
    const key = list.join(',');
    if (key === last) return;
    last = key;
    for (const listener of [...listeners]) {
      try {
        listener(list);
      } catch {
        // One listener's failure is not the leg's, nor the other listeners'.
      }
    }
  };
  return {
    can(request) {
      const name = shortRequest(request);
      return name !== undefined && canTake(actor.getSnapshot().context, name);
    },
    capabilities: current,
    onCapabilitiesChange(listener) {
      if (subscription === undefined) {
        last = current().join(',');
        subscription = actor.subscribe(changed);
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          subscription?.unsubscribe();
          subscription = undefined;
        }
      };
    },
  };
}
