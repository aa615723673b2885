/**
 * Hands one value to every listener. A listener that throws must neither stop the phone nor keep
 * the value from the listeners after it (src/phone/types.ts, PhoneEventListener and LegListener).
 */

/**
 * Calls each listener with `value`, in order; the error of one that throws goes to `onThrow` and
 * the next listener is still called. Iterates what it is given: a caller whose listeners may
 * unsubscribe meanwhile passes a copy.
 */
export function tellListeners<T>(
  listeners: Iterable<(value: T) => void>,
  value: T,
  onThrow: (error: unknown) => void,
): void {
  for (const listener of listeners) {
    try {
      listener(value);
    } catch (error) {
      onThrow(error);
    }
  }
}
