/**
 * Reads a numeric option of a phone: absent gives the default, anything but a finite number of 0
 * or more is refused with a RangeError naming the phone and the option (each phone's options type
 * documents the RangeError).
 */
import { MAX_DELAY_MS } from '../../machines/context.js';

/** `value`, or `fallback` when it is undefined; throws `<owner>: <name> must be a number of 0 or more`. */
export function countOption(owner: string, value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${owner}: ${name} must be a number of 0 or more`);
  return value;
}

/**
 * A phone's timer length: read as countOption reads, then at most MAX_DELAY_MS (a longer one would
 * make setTimeout fire at once).
 */
export function delayOption(owner: string, value: number | undefined, fallback: number, name: string): number {
  return Math.min(MAX_DELAY_MS, countOption(owner, value, fallback, name));
}
