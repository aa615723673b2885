/**
 * The requestId memory (docs/contract.md, "How a request is handled", step 5): the answers already
 * given, keyed by request name and requestId, so a repeated request gets the same answer again.
 *
 * Bounded by count and by bytes; the oldest answer is forgotten first. A Map for recall and a ring
 * of keys for age (iterating a Map from its start after many deletions walks their holes, measured
 * in BENCHMARKS.md): remember, recall and forget are O(1) and copy nothing. An answer to a name
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

interface Entry {
  readonly response: ResponseMessage;
  readonly bytes: number;
}

const keyOf = (name: string, requestId: string): string => `${name}\u0000${requestId}`;

/** The bytes an answer is charged: its strings (UTF-16, 2 bytes a unit) and a fixed overhead. */
export function responseBytes(response: ResponseMessage): number {
  const h = response.header;
  const text = h.name.length + h.target.length + h.requestId.length + (h.result === 'FAILURE' ? h.errorMessage.length : 0);
  return ENTRY_OVERHEAD_BYTES + 2 * text;
}

export class RequestMemory {
  private entries = new Map<string, Entry>();
  /** Keys oldest first, from `head`; compacted once half of it is forgotten. */
  private order: string[] = [];
  private head = 0;
  private heldBytes = 0;

  constructor(
    /** At most this many answers. */
    readonly limit: number,
    /** At most this many bytes of answers (responseBytes). */
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  recall(name: string, requestId: string): ResponseMessage | undefined {
    return this.entries.get(keyOf(name, requestId))?.response;
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
    if (this.limit === 0) return 0;
    const key = keyOf(name, requestId);
    if (this.entries.has(key)) return 0;
    const bytes = responseBytes(response);
    if (bytes > this.maxBytes) return 1;
    this.entries.set(key, { response, bytes });
    this.order.push(key);
    this.heldBytes += bytes;
    // One in, so at most one over the count.
    if (this.entries.size > this.limit) this.forgetOldest();
    let forced = 0;
    for (; this.heldBytes > this.maxBytes; forced += 1) this.forgetOldest();
    return forced;
  }

  private forgetOldest(): void {
    const key = this.order[this.head] as string;
    this.head += 1;
    this.heldBytes -= (this.entries.get(key) as Entry).bytes;
    this.entries.delete(key);
    if (this.head * 2 >= this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
  }

  /** The oldest first (for tests and the inspector). */
  keys(): string[] {
    return [...this.entries.values()].map((entry) => `${entry.response.header.name} ${entry.response.header.requestId}`);
  }

  /** Serialised (inspectors, persisted snapshots) as its size and bounds, not its answers. */
  toJSON(): { size: number; limit: number; bytes: number; maxBytes: number } {
    return { size: this.size, limit: this.limit, bytes: this.heldBytes, maxBytes: this.maxBytes };
  }

  /** An independent copy: what a test that branches from one snapshot gives each branch. */
  clone(): RequestMemory {
    const copy = new RequestMemory(this.limit, this.maxBytes);
    copy.entries = new Map(this.entries);
    copy.order = this.order.slice(this.head);
    copy.heldBytes = this.heldBytes;
    return copy;
  }
}
