/**
 * Per-frame warnings, rate-limited: a bridge that sends 200,000 bad frames must not write 200,000
 * lines. Each key (a diagnostic code) may log `burst` lines per window; the rest are counted, and
 * the first line after the window says how many were suppressed.
 */
export interface RateLimiterOptions {
  /** Lines per key per window; default 10. */
  readonly burst?: number;
  /** Window length in ms; default 10 000. */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** What RateLimiter.take answers for one line. */
export interface RateDecision {
  /** Whether this line may be written. */
  readonly allowed: boolean;
  /** When allowed: how many lines of this key were suppressed since the last written one. */
  readonly suppressedBefore: number;
}

/** At most this many keys are tracked; a key past it shares one slot (codes are few; this is a fence). */
const MAX_KEYS = 256;

/**
 * Limits lines per key (a diagnostic code) to `burst` per `windowMs` (defaults 10 per 10 s), and
 * counts the rest, so one noisy cause cannot flood a log and the next line it writes says how many
 * were left out. It tracks at most 256 keys; later keys share one slot. The bridge client uses one
 * for its per-frame lines. Never throws; a burst or window below 1 counts as 1.
 *
 * @example
 * const limiter = new RateLimiter({ burst: 5, windowMs: 60_000 });
 * const decision = limiter.take('bad-frame');
 * if (decision.allowed) log.warn(`bad frame${decision.suppressedBefore ? ` (${decision.suppressedBefore} more not logged)` : ''}`);
 */
export class RateLimiter {
  readonly #burst: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #keys = new Map<string, { start: number; count: number; suppressed: number }>();
  #suppressedTotal = 0;

  constructor(options: RateLimiterOptions = {}) {
    this.#burst = Math.max(1, options.burst ?? 10);
    this.#windowMs = Math.max(1, options.windowMs ?? 10_000);
    this.#now = options.now ?? Date.now;
  }

  /** Lines suppressed since this limiter began. */
  get suppressedTotal(): number {
    return this.#suppressedTotal;
  }

  /** Asks whether one more line of `key` may be written now, and counts it either way. */
  take(key: string): RateDecision {
    const slot = this.#keys.has(key) || this.#keys.size < MAX_KEYS ? key : '(other)';
    const now = this.#now();
    let entry = this.#keys.get(slot);
    if (!entry || now - entry.start >= this.#windowMs) {
      const suppressed = entry?.suppressed ?? 0;
      entry = { start: now, count: 1, suppressed: 0 };
      this.#keys.set(slot, entry);
      return { allowed: true, suppressedBefore: suppressed };
    }
    if (entry.count < this.#burst) {
      entry.count++;
      return { allowed: true, suppressedBefore: 0 };
    }
    entry.suppressed++;
    this.#suppressedTotal++;
    return { allowed: false, suppressedBefore: 0 };
  }
}
