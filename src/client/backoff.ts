/** Reconnect delays: exponential growth up to a ceiling, with part of each delay taken at random. */
import { MAX_DELAY_MS } from '../../machines/context.js';
import { CLIENT_DEFAULTS, type ReconnectOptions } from './options.js';

/**
 * The delay before reconnect attempt `attempt` (0 for the first). With jitter j the delay lies in
 * [d·(1−j), d], so many clients dropped at once do not all return at the same moment. Never over
 * MAX_DELAY_MS: a longer timer would fire at once, and a dropped client would retry in a tight loop.
 */
export function reconnectDelay(attempt: number, options: ReconnectOptions = {}, random: () => number = Math.random): number {
  const initial = Math.max(0, options.initialDelayMs ?? CLIENT_DEFAULTS.initialDelayMs);
  const ceiling = Math.max(initial, options.maxDelayMs ?? CLIENT_DEFAULTS.maxDelayMs);
  const factor = Math.max(1, options.factor ?? CLIENT_DEFAULTS.factor);
  const jitter = Math.min(1, Math.max(0, options.jitter ?? CLIENT_DEFAULTS.jitter));
  const delay = Math.min(ceiling, initial * factor ** Math.min(attempt, 64));
  return Math.min(MAX_DELAY_MS, Math.round(delay * (1 - jitter * random())));
}
