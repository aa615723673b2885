/**
 * The leg's request queue (docs/contract.md, "How a request is handled", step 12): requests waiting
 * for the one operation in flight, oldest first, each with the repeats that share its answer.
 *
 * Bounded by count and by bytes; a request beyond either bound is answered "busy" by the machine.
 * An array with a moving head (compacted now and then) and an index by name and requestId
 * (machines/request-index.ts): push, shift and find are O(1) and copy nothing per request. Owned
 * by one actor and changed in place; see TESTING.md, "Branching from snapshots".
 */
import type { RequestHeader } from './messages.js';
import { RequestIndex } from './request-index.js';
import type { RequestName } from './tables.js';
import type { LegOperationName } from './types.js';

/** A frame owed an answer, and the connection it came in on (ConversationContext.epoch). */
export interface Asker {
  readonly header: RequestHeader;
  readonly epoch: number;
}

/** A request waiting in the queue; `sharers` are repeated frames owed the same answer. */
export interface Pending extends Asker {
  readonly request: RequestName;
  readonly args: readonly string[];
  /** Grows as repeats join (in place: the pending request is the actor's own). */
  readonly sharers: Asker[];
}

export interface InFlight extends Pending {
  readonly opId: number;
  readonly operation: LegOperationName;
}

/** A queued request's charge: its strings (UTF-16, 2 bytes a unit) and a fixed overhead. */
const REQUEST_OVERHEAD_BYTES = 128;

/** A request's charge from its header and arguments, before anything is built for it. */
export function requestBytes(header: RequestHeader, args: readonly string[]): number {
  let bytes = REQUEST_OVERHEAD_BYTES + 2 * (header.name.length + header.target.length + header.requestId.length);
  for (const arg of args) bytes += 2 * arg.length;
  return bytes;
}

const NO_ARGS: readonly string[] = [];

/** A repeat sharing a request's answer: charged for its header alone. */
export function askerBytes(asker: Asker): number {
  return requestBytes(asker.header, NO_ARGS);
}

export function pendingBytes(pending: Pending): number {
  return requestBytes(pending.header, pending.args);
}

/** Compact the array once this many slots before the head are dead (and half of it is). */
const COMPACT_AFTER = 64;

export class LegQueue {
  private items: (Pending | undefined)[] = [];
  private head = 0;
  private byKey = new RequestIndex<Pending>();
  private heldBytes = 0;

  constructor(
    readonly maxRequests: number,
    readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** Whether `bytes` more (one more request, or one more sharer) still fit both bounds. */
  fits(bytes: number, requests = 1): boolean {
    return this.size + requests <= this.maxRequests && this.heldBytes + bytes <= this.maxBytes;
  }

  push(pending: Pending): void {
    this.items.push(pending);
    this.byKey.add(pending);
    this.heldBytes += pendingBytes(pending);
  }

  /** A repeat joins the queued request it repeats; the caller checked `fits`. */
  join(pending: Pending, sharer: Asker): void {
    pending.sharers.push(sharer);
    this.heldBytes += askerBytes(sharer);
  }

  find(header: RequestHeader): Pending | undefined {
    return this.byKey.get(header.name, header.requestId);
  }

  /** Whether any waiting request passes `test`, oldest first. */
  some(test: (pending: Pending) => boolean): boolean {
    for (let i = this.head; i < this.items.length; i += 1) if (test(this.items[i] as Pending)) return true;
    return false;
  }

  shift(): Pending | undefined {
    if (this.head >= this.items.length) return undefined;
    const pending = this.items[this.head] as Pending;
    this.items[this.head] = undefined;
    this.head += 1;
    this.byKey.delete(pending);
    this.heldBytes -= pendingBytes(pending);
    for (const sharer of pending.sharers) this.heldBytes -= askerBytes(sharer);
    if (this.head === this.items.length) this.reset();
    else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return pending;
  }

  /** Empties the queue, returning what it held, oldest first. */
  drain(): Pending[] {
    const all = this.toArray();
    this.reset();
    return all;
  }

  toArray(): Pending[] {
    return this.items.slice(this.head) as Pending[];
  }

  /** Serialised (inspectors, persisted snapshots) as the waiting requests, oldest first. */
  toJSON(): Pending[] {
    return this.toArray();
  }

  private reset(): void {
    this.items = [];
    this.head = 0;
    this.byKey.clear();
    this.heldBytes = 0;
  }

  /** An independent copy (pending requests and their sharers too): one per branch of a test. */
  clone(): LegQueue {
    const copy = new LegQueue(this.maxRequests, this.maxBytes);
    for (const pending of this.toArray()) {
      const own = { ...pending, sharers: [...pending.sharers] };
      copy.items.push(own);
      copy.byKey.add(own);
    }
    copy.heldBytes = this.heldBytes;
    return copy;
  }
}
