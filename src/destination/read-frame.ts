/**
 * Reads one inbound frame for the destination: step 1 of docs/contract.md, "How a request is
 * handled" (a frame without a string type, name, target and requestId, or not a query or request,
 * gets no response), then the generated validator for the body and header limits. Never throws.
 * `checkHeader` is that step 1, the one header check of the project (the client uses it too).
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

export type HeaderCheck =
  | { readonly ok: true; readonly header: RequestHeader & { readonly type: 'cti.query' | 'cti.request' } }
  | { readonly ok: false; readonly problem: 'no-header' }
  | { readonly ok: false; readonly problem: 'not-a-string'; readonly key: 'type' | 'name' | 'target' | 'requestId' }
  | { readonly ok: false; readonly problem: 'not-a-request'; readonly type: string };

const HEADER_KEYS = ['type', 'name', 'target', 'requestId'] as const;

const NO_WARNINGS: readonly string[] = Object.freeze([]);

/** Step 1: whether a frame has a header that can be answered (a query or request with four strings). */
export function checkHeader(frame: unknown): HeaderCheck {
  const header = isRecord(frame) ? frame['header'] : undefined;
  if (!isRecord(header)) return { ok: false, problem: 'no-header' };
  for (const key of HEADER_KEYS) if (typeof header[key] !== 'string') return { ok: false, problem: 'not-a-string', key };
  const { type, name, target, requestId } = header as Record<(typeof HEADER_KEYS)[number], string>;
  if (type !== 'cti.query' && type !== 'cti.request') return { ok: false, problem: 'not-a-request', type };
  return { ok: true, header: { type, name, target, requestId } };
}

export function readFrame(input: unknown): ReadFrame {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      return { ok: false, code: 'bad-json', message: 'a frame that is not JSON was dropped' };
    }
  }
  const checked = checkHeader(value);
  if (!checked.ok) {
    if (checked.problem === 'no-header') return { ok: false, code: 'malformed-header', message: 'a frame without a header object was dropped' };
    if (checked.problem === 'not-a-string') {
      return { ok: false, code: 'malformed-header', message: 'a frame without a string type, name, target and requestId was dropped' };
    }
    return { ok: false, code: 'not-a-request', message: `a ${checked.type.slice(0, 32)} frame was dropped: only queries and requests are answered` };
  }
  const header = checked.header;
  const rawBody = (value as Record<string, unknown>)['body'];
  const body = isRecord(rawBody) ? rawBody : {};
  const validated = validateInbound(value);
  // The common frame: valid, nothing extra. One small object, no spreads (BENCHMARKS.md, "Machine").
  if (validated.ok && validated.warnings.length === 0) return { ok: true, header, body, warnings: NO_WARNINGS };
  const errors = validated.ok ? [] : validated.errors;
  const bodyProblem = errors.find((e) => e.path === 'body' || e.path.startsWith('body.'));
  const headerProblem = errors.find((e) => e.path === 'header.target' || e.path === 'header.requestId');
  return {
    ok: true,
    header,
    body,
    ...(bodyProblem && { bodyError: describe(bodyProblem, 'body') }),
    ...(headerProblem && { headerError: describe(headerProblem, 'header') }),
    warnings: validated.warnings.map((w) => `${w.path} ${w.message}`),
  };
}
