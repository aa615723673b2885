/**
 * The requestId memory (docs/contract.md, "How a request is handled", step 5): the answers already
 * given, keyed by request name and requestId, so a repeated request gets the same answer again.
 *
 * Bounded by count and by bytes; the oldest answer is forgotten first. A Map by requestId for
 * recall (and a second, by name and requestId, for the rare requestId reused under another name)
 * and a ring of answers for age (iterating a Map from its start after many deletions walks their
 * holes, measured in BENCHMARKS.md): remember, recall and forget are O(1) and copy nothing. An answer to a name
 * the catalogue does not know is kept too (a repeat must get the same "unsupported", even after
 * dispose: the property tests hold rule 2 for every well-formed frame); the byte bound is what
 * stops a bridge inventing long names from filling it.
 *
 * The memory is owned by one actor and changed in place; see TESTING.md, "Branching from snapshots",
 * for how the xstate/graph tests still branch (they clone it with `clone()` before each step).
 */
import type { ResponseMessage } from './messages.js';

/** What one remembered answer costs besides its strings: a measured-free, generous allowance. */
const ENTRY_OVERHEAD_BYTES = 96;

/** The key of an answer kept in `others`: name and requestId, which no name contains a NUL of. */
const keyOf = (name: string, requestId: string): string => `${name}\u0000${requestId}`;

/** The bytes an answer is charged: its strings (UTF-16, 2 bytes a unit) and a fixed overhead. */
export function responseBytes(response: ResponseMessage): number {
  const h = response.header;
  const text = h.name.length + h.target.length + h.requestId.length + (h.result === 'FAILURE' ? h.errorMessage.length : 0);
  return ENTRY_OVERHEAD_BYTES + 2 * text;
}

export class RequestMemory {
  /**
   * The answers by requestId alone: a bridge gives each request a requestId of its own, so one
   * lookup finds it with no key to build (a key string per lookup cost a tenth of a pair).
   */
  private byId = new Map<string, ResponseMessage>();
  /** The rare answer whose requestId was already answered under another name; made when first needed. */
  private others: Map<string, ResponseMessage> | undefined;
  /**
   * The answers oldest first, from `head`; compacted once half of it is forgotten. The answers
   * themselves, nothing wrapped around them: an answer a leg keeps outlives many collections, and
   * each object it holds is one more for the collector to copy and mark (BENCHMARKS.md, "Machine").
   */
  private order: ResponseMessage[] = [];
  private head = 0;
  private heldBytes = 0;

  constructor(
    /** At most this many answers. */
    readonly limit: number,
    /** At most this many bytes of answers (responseBytes). */
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.order.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  recall(name: string, requestId: string): ResponseMessage | undefined {
    const kept = this.byId.get(requestId);
    if (kept !== undefined && kept.header.name === name) return kept;
    return this.others?.get(keyOf(name, requestId));
  }

  /**
   * Keeps the first answer for a key; forgets the oldest answers past either bound. Returns how
   * many answers the byte bound cost: those forgotten to make room in bytes, plus this one if it
   * alone is over the bound (not kept). The count bound's forgetting of the oldest, the steady
   * state of a busy leg, is not counted: the caller reports only what the byte bound did, which a
   * bridge sending ordinary requests never reaches.
   */
  remember(response: ResponseMessage): number {
    const { name, requestId } = response.header;
    if (this.limit === 0 || this.recall(name, requestId) !== undefined) return 0;
    const bytes = responseBytes(response);
    if (bytes > this.maxBytes) return 1;
    if (this.byId.has(requestId)) (this.others ??= new Map()).set(keyOf(name, requestId), response);
    else this.byId.set(requestId, response);
    this.order.push(response);
    this.heldBytes += bytes;
    // One in, so at most one over the count.
    if (this.size > this.limit) this.forgetOldest();
    let forced = 0;
    for (; this.heldBytes > this.maxBytes; forced += 1) this.forgetOldest();
    return forced;
  }

  private forgetOldest(): void {
    const oldest = this.order[this.head] as ResponseMessage;
    this.head += 1;
    this.heldBytes -= responseBytes(oldest);
    const { name, requestId } = oldest.header;
    // Kept by requestId alone unless that place held another name's answer when it came.
    if (this.byId.get(requestId) === oldest) this.byId.delete(requestId);
    else (this.others as Map<string, ResponseMessage>).delete(keyOf(name, requestId));
    if (this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** The oldest first (for tests and the inspector). */
  keys(): string[] {
    return this.order.slice(this.head).map((response) => `${response.header.name} ${response.header.requestId}`);
  }

  /** Serialised (inspectors, persisted snapshots) as its size and bounds, not its answers. */
  toJSON(): { size: number; limit: number; bytes: number; maxBytes: number } {
    return { size: this.size, limit: this.limit, bytes: this.heldBytes, maxBytes: this.maxBytes };
  }

  /** An independent copy: what a test that branches from one snapshot gives each branch. */
  clone(): RequestMemory {
    const copy = new RequestMemory(this.limit, this.maxBytes);
    copy.byId = new Map(this.byId);
    copy.others = this.others === undefined ? undefined : new Map(this.others);
    copy.order = this.order.slice(this.head);
    copy.heldBytes = this.heldBytes;
    return copy;
  }
}
