/**
 * The requestId memory (docs/contract.md, "How a request is handled", step 5): the answers already
 * given, keyed by request name and requestId, so a repeated request gets the same answer again.
 *
 * Bounded by count and by bytes; the oldest answer is forgotten first. A RequestIndex for recall
 * (machines/request-index.ts: no key string built per lookup) and a ring of answers for age
 * (iterating a Map from its start after many deletions walks their holes, measured in
 * BENCHMARKS.md): remember, recall and forget are O(1) and copy nothing. An answer to a name the
 * catalogue does not know is kept too (a repeat must get the same "unsupported", even after
 * dispose: the property tests hold rule 2 for every well-formed frame); the byte bound is what
 * stops a bridge inventing long names from filling it.
 *
 * The memory is owned by one actor and changed in place; see TESTING.md, "Branching from snapshots",
 * for how the xstate/graph tests still branch (they clone it with `clone()` before each step).
 */
import type { ResponseMessage } from './messages.js';
import { RequestIndex } from './request-index.js';

/** What one remembered answer costs besides its strings: a measured-free, generous allowance. */
const ENTRY_OVERHEAD_BYTES = 96;

/** The bytes an answer is charged: its strings (UTF-16, 2 bytes a unit) and a fixed overhead. */
export function responseBytes(response: ResponseMessage): number {
  const h = response.header;
  const text = h.name.length + h.target.length + h.requestId.length + (h.result === 'FAILURE' ? h.errorMessage.length : 0);
  return ENTRY_OVERHEAD_BYTES + 2 * text;
}

export class RequestMemory {
  /** The answers by name and requestId. */
  private kept = new RequestIndex<ResponseMessage>();
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
    return this.kept.get(name, requestId);
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
    this.kept.add(response);
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
    this.kept.delete(oldest);
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
    copy.kept = this.kept.clone();
    copy.order = this.order.slice(this.head);
    copy.heldBytes = this.heldBytes;
    return copy;
  }
}
