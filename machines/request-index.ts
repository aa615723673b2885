/**
 * Values found by request name and requestId, with no key string built per lookup: a bridge gives
 * each request a requestId of its own, so a map by requestId alone finds almost every value; the
 * rare requestId reused under another name goes to a second map, keyed by both, made when first
 * needed. Building a `name + requestId` string for every lookup cost about a tenth of a
 * request/response pair (BENCHMARKS.md, "Machine"). The requestId memory and the queue's repeat
 * index are each one of these.
 */

/** What the index holds: anything that carries the request's header. */
interface Keyed {
  readonly header: { readonly name: string; readonly requestId: string };
}

/** The second map's key; no request name contains a NUL. */
const keyOf = (name: string, requestId: string): string => `${name}\u0000${requestId}`;

export class RequestIndex<T extends Keyed> {
  private byId = new Map<string, T>();
  private others: Map<string, T> | undefined;

  get(name: string, requestId: string): T | undefined {
    const value = this.byId.get(requestId);
    if (value !== undefined && value.header.name === name) return value;
    return this.others?.get(keyOf(name, requestId));
  }

  /** Adds a value under its header's name and requestId; the caller checked none is held there. */
  add(value: T): void {
    const { name, requestId } = value.header;
    if (this.byId.has(requestId)) (this.others ??= new Map()).set(keyOf(name, requestId), value);
    else this.byId.set(requestId, value);
  }

  /** Removes a value this index holds. */
  delete(value: T): void {
    const { name, requestId } = value.header;
    // By requestId alone unless that place held another name's value when this one came.
    if (this.byId.get(requestId) === value) this.byId.delete(requestId);
    else (this.others as Map<string, T>).delete(keyOf(name, requestId));
  }

  clear(): void {
    this.byId.clear();
    this.others = undefined;
  }

  /** An independent copy holding the same values (one per branch of a test). */
  clone(): RequestIndex<T> {
    const copy = new RequestIndex<T>();
    copy.byId = new Map(this.byId);
    copy.others = this.others === undefined ? undefined : new Map(this.others);
    return copy;
  }
}
