/**
 * What a simulated leg keeps of its record (`history` in SimulatedPhoneOptions): the latest
 * `limit` operation calls, or DTMF digits, of however many there were.
 */
type Held = string | readonly unknown[];

/** The latest `limit` of what is held. */
export function latest<T extends Held>(held: T, limit: number): T {
  return (held.length > limit ? held.slice(held.length - limit) : held) as T;
}

/**
 * What is held after one more was added: cut back to the latest `limit` only once it holds twice
 * that, so keeping stays O(1) per item on average instead of copying at every addition.
 */
export function trimmed<T extends Held>(held: T, limit: number): T {
  return (held.length >= 2 * limit ? held.slice(held.length - limit) : held) as T;
}
