/**
 * Turns whatever a machine holds in its context or events (class instances, AbortControllers,
 * actor refs, Maps, cycles) into plain JSON of bounded size, so inspection never throws and never
 * ships a whole object graph. A string under the key `digits` (senddtmf's body) is masked.
 */
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_STRING = 500;

export function toSafeJson(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[…]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return cap(object).map((item) => toSafeJson(item, depth + 1, seen) ?? null);
    if (object instanceof Map) return toSafeJson(Object.fromEntries(cap([...object.entries()])), depth, seen);
    if (object instanceof Set) return toSafeJson(cap([...object]), depth, seen);
    if (object instanceof Date) return object.toISOString();
    if (object instanceof Error) return { error: object.message };
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      // An actor ref, an AbortController, a leg: its identity matters, not its insides.
      const id = (object as { id?: unknown }).id;
      return `[${prototype?.constructor?.name ?? 'object'}${typeof id === 'string' ? ` ${id}` : ''}]`;
    }
    const result: Record<string, unknown> = {};
    for (const [key, child] of cap(Object.entries(object))) {
      // DTMF digits can be card numbers: the inspector shows how many, never which.
      if (key === 'digits' && typeof child === 'string') {
        result[key] = `[${child.length} digits]`;
        continue;
      }
      const safe = toSafeJson(child, depth + 1, seen);
      if (safe !== undefined) result[key] = safe;
    }
    return result;
  } catch {
    return '[unreadable]';
  } finally {
    seen.delete(object);
  }
}

function cap<T>(items: T[]): T[] {
  return items.length > MAX_ITEMS ? items.slice(0, MAX_ITEMS) : items;
}
