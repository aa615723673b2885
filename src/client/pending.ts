/**
 * The frames of the current connection still owed an answer, with their sizes: a response is sent
 * only when one is owed (answers belong to the connection their frame came in on), and the totals
 * are what the client-wide budget bounds. Add and settle are O(1) per frame.
 */
export class PendingFrames {
  /** requestId → the sizes of the frames with that requestId still owed, oldest first. */
  #owed = new Map<string, number[]>();
  #frames = 0;
  #bytes = 0;

  get frames(): number {
    return this.#frames;
  }

  get bytes(): number {
    return this.#bytes;
  }

  add(requestId: string, bytes: number): void {
    const sizes = this.#owed.get(requestId);
    if (sizes) sizes.push(bytes);
    else this.#owed.set(requestId, [bytes]);
    this.#frames++;
    this.#bytes += bytes;
  }

  /** Takes one owed frame for this requestId; false when none is owed. */
  settle(requestId: string): boolean {
    const sizes = this.#owed.get(requestId);
    if (!sizes) return false;
    const bytes = sizes.shift() ?? 0;
    if (sizes.length === 0) this.#owed.delete(requestId);
    this.#frames--;
    this.#bytes -= bytes;
    return true;
  }

  /** A new connection: nothing is owed on it yet. */
  clear(): void {
    this.#owed = new Map();
    this.#frames = 0;
    this.#bytes = 0;
  }
}
