/**
 * cti-conversation/conformance/vitest: the conformance kit as vitest tests. This entry imports
 * vitest (an optional peer dependency); `cti-conversation/conformance` has the same checks for any
 * runner and never loads vitest. See docs/conformance.md.
 */
export { describePhoneConformance } from './describe.js';
