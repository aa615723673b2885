/**
 * A Map that forgets its oldest entries past a count or a byte total: memory stays bounded however
 * long it runs and however large the entries a peer makes it keep. The bridge client keeps its
 * disposed legs in one; a phone, the calls it owes a hang-up.
 */
export class BoundedMap<K, V> {
  readonly #entries = new Map<K, { value: V; bytes: number }>();
  #bytes = 0;
  #evicted = 0;

  constructor(
    readonly limit: number,
    readonly byteLimit: number = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.#entries.size;
  }

  /** The bytes the entries were given with. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Entries forgotten to stay within the limits, since creation. */
  get evicted(): number {
    return this.#evicted;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.#entries.has(key);
  }

  set(key: K, value: V, bytes = 0): void {
    this.delete(key);
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    while (this.#entries.size > Math.max(0, this.limit) || (this.#bytes > this.byteLimit && this.#entries.size > 0)) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.delete(oldest.value);
      this.#evicted++;
    }
  }

  /** The entries, oldest first. */
  *entries(): IterableIterator<[K, V]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  delete(key: K): boolean {
    const entry = this.#entries.get(key);
    if (!entry) return false;
    this.#bytes -= entry.bytes;
    return this.#entries.delete(key);
  }
}
