/**
 * Reads one inbound frame for the destination: rule 1 of design.md (a frame without a string
 * type, name, target and requestId, or not a query or request, gets no response), then the
 * generated validator for the body and header limits. Never throws.
 */
import { validateInbound, type ValidationError } from '../../generated/validators.js';
import type { RequestHeader } from '../../machines/messages.js';

export type ReadFrame =
  | {
      readonly ok: true;
      readonly header: RequestHeader;
      readonly body: Readonly<Record<string, unknown>>;
      /** `digits may hold only 0-9, * and #`: the field without `body.`, never the value. */
      readonly bodyError?: string;
      /** `requestId must be 1 to 256 characters long`: a header outside the catalogue's limits. */
      readonly headerError?: string;
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly code: string; readonly message: string };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const describe = (error: ValidationError, prefix: string): string =>
  `${error.path === prefix ? prefix : error.path.slice(prefix.length + 1)} ${error.message}`;

export function readFrame(input: unknown): ReadFrame {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, code: 'bad-json', message: 'a frame that is not JSON was dropped' };
    }
  }
  const header = isRecord(value) ? value['header'] : undefined;
  if (!isRecord(header)) return { ok: false, code: 'malformed-header', message: 'a frame without a header object was dropped' };
  const { type, name, target, requestId } = header;
  if (typeof type !== 'string' || typeof name !== 'string' || typeof target !== 'string' || typeof requestId !== 'string') {
    return { ok: false, code: 'malformed-header', message: 'a frame without a string type, name, target and requestId was dropped' };
  }
  if (type !== 'cti.query' && type !== 'cti.request') {
    return { ok: false, code: 'not-a-request', message: `a ${type.slice(0, 32)} frame was dropped: only queries and requests are answered` };
  }
  const rawBody = (value as Record<string, unknown>)['body'];
  const body = isRecord(rawBody) ? rawBody : {};
  const checked = validateInbound(value);
  const errors = checked.ok ? [] : checked.errors;
  const bodyProblem = errors.find((e) => e.path === 'body' || e.path.startsWith('body.'));
  const headerProblem = errors.find((e) => e.path === 'header.target' || e.path === 'header.requestId');
  return {
    ok: true,
    header: { type, name, target, requestId },
    body,
    ...(bodyProblem && { bodyError: describe(bodyProblem, 'body') }),
    ...(headerProblem && { headerError: describe(headerProblem, 'header') }),
    warnings: checked.warnings.map((w) => `${w.path} ${w.message}`),
  };
}
