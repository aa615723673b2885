/** The package's logger and the helpers that keep bridge text safe in log lines and answers. */
export {
  createLogger,
  enabled,
  isLogThreshold,
  LOG_LEVELS,
  safeFields,
  silentLogger,
  toLogger,
  type CreateLoggerOptions,
  type LogFields,
  type Logger,
  type LoggerLike,
  type LogLevel,
  type LogMethod,
  type LogThreshold,
} from './logger.js';
export { RateLimiter, type RateDecision, type RateLimiterOptions } from './rate-limit.js';
export { escapeText, quoteText, showText, SHOWN_CHARACTERS } from './show.js';
