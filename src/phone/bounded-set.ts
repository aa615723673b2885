/**
 * A set that holds at most `max` values: adding one more forgets the oldest. A phone keeps the
 * ids of calls it no longer follows this way, so their late events are ignored without the list
 * growing for as long as the phone runs.
 */
export class BoundedSet<T> {
  private readonly values = new Set<T>();

  constructor(readonly max: number) {}

  get size(): number {
    return this.values.size;
  }

  has(value: T): boolean {
    return this.values.has(value);
  }

  /** Adds `value` (a value already held keeps its place); past `max`, the oldest is forgotten. */
  add(value: T): void {
    this.values.add(value);
    if (this.values.size > this.max) {
      const oldest = this.values.values().next().value;
      if (oldest !== undefined) this.values.delete(oldest);
    }
  }

  clear(): void {
    this.values.clear();
  }
}
