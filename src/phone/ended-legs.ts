/**
 * Bounds the ended legs a phone keeps. An ended leg stays listed until it is disposed (its
 * snapshot is still read), but a client that never disposes must not make the list grow for ever.
 */

/**
 * Forgets the oldest ended legs of `legs` (in the map's insertion order) until at most `max` are
 * left; live legs are never touched. `forget` removes a leg from `legs` (and whatever else the
 * phone holds for it).
 */
export function dropOldEndedLegs<L extends { readonly ended: boolean }>(
  legs: ReadonlyMap<unknown, L>,
  max: number,
  forget: (leg: L) => void,
): void {
  let ended = 0;
  for (const leg of legs.values()) if (leg.ended) ended += 1;
  for (const leg of legs.values()) {
    if (ended <= max) break;
    if (leg.ended) {
      forget(leg);
      ended -= 1;
    }
  }
}
