/** The client's own answers for frames no destination can take. */
import { checkHeader } from '../destination/read-frame.js';

export interface RoutableHeader {
  readonly type: 'cti.query' | 'cti.request';
  readonly name: string;
  readonly target: string;
  readonly requestId: string;
}

/** A FAILURE response echoing name, target and requestId (protocol.md, "Envelope"). */
export function failureResponse(header: RoutableHeader, errorMessage: string) {
  return {
    header: {
      type: 'cti.response' as const,
      name: header.name,
      target: header.target,
      requestId: header.requestId,
      result: 'FAILURE' as const,
      errorMessage,
    },
    body: {},
  };
}

// One shortName for the whole project: the machine's (errorMessages must read alike everywhere).
export { shortName } from '../../machines/requests.js';

/** The header of a frame the client can route, or a reason why not (the destination's one check, worded for the client). */
export function routableHeader(message: Record<string, unknown>): RoutableHeader | string {
  const checked = checkHeader(message);
  if (checked.ok) return checked.header;
  if (checked.problem === 'no-header') return 'the frame has no header object';
  if (checked.problem === 'not-a-string') return `the frame's header lacks a string ${checked.key}`;
  return `a client accepts only cti.query and cti.request frames, not ${JSON.stringify(checked.type.slice(0, 40))}`;
}
