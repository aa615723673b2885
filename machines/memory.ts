/**
 * The requestId memory (docs/contract.md, "How a request is handled", rule 2): the answers already
 * given, keyed by request name and requestId, so a repeated request gets the same answer again.
 *
 * Bounded by count and by bytes; the oldest answer is forgotten first. One Map, whose insertion
 * order is the age order: remember, recall and forget are O(1) and copy nothing. Answers to names
 * the catalogue does not know are never kept (a bridge inventing names cannot fill it).
 *
 * The memory is owned by one actor and changed in place; see TESTING.md, "Branching from snapshots",
 * for how the xstate/graph tests still branch (they clone it with `clone()` before each step).
 */
import type { ResponseMessage } from './messages.js';
import { isCatalogueName } from './requests.js';

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

  /** Keeps the first answer for a key; forgets the oldest answers past either bound. */
  remember(response: ResponseMessage): void {
    const { name, requestId } = response.header;
    if (this.limit === 0 || !isCatalogueName(name)) return;
    const key = keyOf(name, requestId);
    if (this.entries.has(key)) return;
    const bytes = responseBytes(response);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { response, bytes });
    this.heldBytes += bytes;
    while (this.entries.size > this.limit || this.heldBytes > this.maxBytes) this.forgetOldest();
  }

  private forgetOldest(): void {
    const oldest = this.entries.entries().next().value as [string, Entry];
    this.entries.delete(oldest[0]);
    this.heldBytes -= oldest[1].bytes;
  }

  /** The oldest first (for tests and the inspector). */
  keys(): string[] {
    return [...this.entries.values()].map((entry) => `${entry.response.header.name} ${entry.response.header.requestId}`);
  }

  /** An independent copy: what a test that branches from one snapshot gives each branch. */
  clone(): RequestMemory {
    const copy = new RequestMemory(this.limit, this.maxBytes);
    copy.entries = new Map(this.entries);
    copy.heldBytes = this.heldBytes;
    return copy;
  }
}
