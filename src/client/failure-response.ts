/** The client's own answers for frames no destination can take. */

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

/** The last segment of a name, as errorMessages use it: `conversation.request.hold` → `hold`. */
export function shortName(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1) || name;
}

/** The header of a frame the client can route and answer, or a reason why not. */
export function routableHeader(message: Record<string, unknown>): RoutableHeader | string {
  const h = message['header'];
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return 'the frame has no header object';
  const header = h as Record<string, unknown>;
  for (const key of ['type', 'name', 'target', 'requestId']) {
    if (typeof header[key] !== 'string') return `the frame's header lacks a string ${key}`;
  }
  if (header['type'] !== 'cti.query' && header['type'] !== 'cti.request') {
    return `a client accepts only cti.query and cti.request frames, not ${JSON.stringify(String(header['type']).slice(0, 40))}`;
  }
  return header as unknown as RoutableHeader;
}
