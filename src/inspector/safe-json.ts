/**
 * Turns whatever a machine holds in its context or events (class instances, AbortControllers,
 * actor refs, Maps, cycles) into plain JSON of bounded size, so inspection never throws and never
 * ships a whole object graph. A string under the key `digits` (senddtmf's body) is masked.
 */
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_STRING = 500;
const MASKED = /^\[\d+ digits\]$/;

export interface SafeJsonLimits {
  readonly maxDepth?: number;
  readonly maxString?: number;
}

export function toSafeJson(value: unknown, limits: SafeJsonLimits = {}): unknown {
  maxString = limits.maxString ?? MAX_STRING;
  return safe(value, 0, limits.maxDepth ?? MAX_DEPTH, new WeakSet<object>());
}

// Set per call (toSafeJson is synchronous and not re-entered), so `safe` keeps a short signature.
let maxString = MAX_STRING;

function safe(value: unknown, depth: number, maxDepth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (typeof value === 'string') return value.length > maxString ? `${value.slice(0, maxString)}…` : value;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'undefined' || typeof value === 'function' || typeof value === 'symbol') return undefined;
  const object = value as object;
  if (seen.has(object)) return '[circular]';
  if (depth >= maxDepth) return '[…]';
  seen.add(object);
  try {
    if (Array.isArray(object)) return cap(object).map((item) => safe(item, depth + 1, maxDepth, seen) ?? null);
    if (object instanceof Map) return safe(Object.fromEntries(cap([...object.entries()])), depth, maxDepth, seen);
    if (object instanceof Set) return safe(cap([...object]), depth, maxDepth, seen);
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
        result[key] = MASKED.test(child) ? child : `[${child.length} digits]`;
        continue;
      }
      const plain = safe(child, depth + 1, maxDepth, seen);
      if (plain !== undefined) result[key] = plain;
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
