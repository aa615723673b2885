/**
 * `can(request)`, `capabilities()` and a change event on a destination, read from its machine's
 * snapshot (lifecycle and call regions, the leg's operations) with machines/capabilities.ts. The
 * listener hears a new list only when it differs from the last one it heard, so a UI re-renders
 * its buttons only when they change.
 */
import { capabilitiesOf, canTake, type CapabilitySnapshot } from '../../machines/capabilities.js';
import { requestNameOf } from '../../machines/requests.js';
import type { RequestName } from '../../machines/tables.js';

export interface DestinationCapabilities {
  /**
   * True when the leg would take this request now (`hold`, or `conversation.request.hold`): its
   * answer now would not be a refusal no body could change. Refusals are the request table's `no`
   * for the call state, "not initialized" (before the init only `dispose` is taken), "disposed"
   * (also while a dispose waits for a release in flight) and "not supported by this phone"; a name
   * that is not a request is false. A request waiting behind an operation in flight meets the same
   * table when its turn comes (docs/traces.md, "Capabilities").
   */
  can(request: string): boolean;
  /** The requests the leg would take now, in the request table's order. */
  capabilities(): readonly RequestName[];
  /** Called with the new list whenever it changes. Returns an unsubscribe. */
  onCapabilitiesChange(listener: (capabilities: readonly RequestName[]) => void): () => void;
}

/** The destination's actor, as far as capabilities read it. */
interface Watched {
  getSnapshot(): CapabilitySnapshot;
  subscribe(listener: (snapshot: CapabilitySnapshot) => void): { unsubscribe(): void };
}

const REQUEST_PREFIX = 'conversation.request.';

/** `hold` or `conversation.request.hold`, read as the destination reads a request's name. */
const shortRequest = (request: string): RequestName | undefined =>
  requestNameOf({ type: 'cti.request', name: request.startsWith(REQUEST_PREFIX) ? request : REQUEST_PREFIX + request, target: '', requestId: '' });

export function watchCapabilities(actor: Watched): DestinationCapabilities {
  // The listeners and the subscription are made with the first onCapabilitiesChange: most legs
  // never have a listener (BENCHMARKS.md, "Memory").
  let listeners: Set<(capabilities: readonly RequestName[]) => void> | undefined;
  let last: string | undefined;
  let subscription: { unsubscribe(): void } | undefined;
  const current = (): readonly RequestName[] => capabilitiesOf(actor.getSnapshot());
  const changed = (snapshot: CapabilitySnapshot): void => {
    const list = capabilitiesOf(snapshot);
    const key = list.join(',');
    if (key === last) return;
    last = key;
    for (const listener of [...(listeners ?? [])]) {
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
      return name !== undefined && canTake(actor.getSnapshot(), name);
    },
    capabilities: current,
    onCapabilitiesChange(listener) {
      if (subscription === undefined) {
        last = current().join(',');
        subscription = actor.subscribe(changed);
      }
      const heard = (listeners ??= new Set());
      heard.add(listener);
      return () => {
        heard.delete(listener);
        if (heard.size === 0) {
          subscription?.unsubscribe();
          subscription = undefined;
        }
      };
    },
  };
}
