/**
 * The bounded memory of answered requestIds (design.md, request handling rule 2).
 *
 * Immutable, so each machine snapshot keeps its own (xstate/graph explores branches from one
 * snapshot). Entries live in chunks of about sqrt(limit): remembering copies only the newest
 * chunk, recalling looks in at most sqrt(limit) + 1 maps (measured: the two balance there), and
 * forgetting drops the oldest chunk whole, so the memory holds between `limit - chunk + 1` and
 * `limit` entries.
 */
import type { ResponseMessage } from './messages.js';

export interface RequestMemory {
  readonly limit: number;
  readonly chunkSize: number;
  /** Oldest first. */
  readonly chunks: readonly ReadonlyMap<string, ResponseMessage>[];
  readonly size: number;
}

export function emptyMemory(limit: number): RequestMemory {
  const bounded = Math.max(0, Math.floor(limit));
  return { limit: bounded, chunkSize: Math.max(1, Math.ceil(Math.sqrt(bounded))), chunks: [], size: 0 };
}

export function recall(memory: RequestMemory, requestId: string): ResponseMessage | undefined {
  for (let i = memory.chunks.length - 1; i >= 0; i -= 1) {
    const found = memory.chunks[i].get(requestId);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function remember(memory: RequestMemory, requestId: string, response: ResponseMessage): RequestMemory {
  const newest = memory.chunks[memory.chunks.length - 1];
  // Callers remember only what they did not recall; a repeat within one step lands in the newest chunk.
  if (memory.limit === 0 || newest?.has(requestId) === true) return memory;
  const chunks = memory.chunks.slice();
  if (newest === undefined || newest.size >= memory.chunkSize) chunks.push(new Map([[requestId, response]]));
  else chunks[chunks.length - 1] = new Map(newest).set(requestId, response);
  let size = memory.size + 1;
  while (size > memory.limit) size -= chunks.shift()!.size;
  return { ...memory, chunks, size };
}
