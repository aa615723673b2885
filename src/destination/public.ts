/** What the package exports for this part: the destination and the machine behind it. */
export * from './index.js';
export * from '../../machines/index.js';
