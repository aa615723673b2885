/**
 * cti-conversation: the public API. Each section re-exports one part of the package; keep one
 * `export … from` block per part so parts can be added without touching each other.
 */

// The adapter contract (src/phone/types.ts).
export * from './phone/types.js';
