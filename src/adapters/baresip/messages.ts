/** The JSON that baresip 1.0.0's ctrl_tcp sends, parsed defensively (it is outside input). */

export interface BaresipResponse {
  readonly ok: boolean;
  readonly data: string;
  readonly token?: string;
}

export interface BaresipEvent {
  readonly type: string;
  readonly class?: string;
  readonly direction?: string;
  readonly peerUri?: string;
  readonly peerDisplayName?: string;
  /** The SIP Call-ID (the same on both ends of a call). */
  readonly callId?: string;
  readonly param?: string;
}

export type BaresipMessage =
  | { readonly kind: 'response'; readonly response: BaresipResponse }
  | { readonly kind: 'event'; readonly event: BaresipEvent };

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Returns undefined for anything that is neither a response nor an event. */
export function parseBaresipMessage(payload: string): BaresipMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  if (record.response === true) {
    return {
      kind: 'response',
      response: { ok: record.ok === true, data: text(record.data) ?? '', token: text(record.token) },
    };
  }
  if (record.event === true && typeof record.type === 'string') {
    return {
      kind: 'event',
      event: {
        type: record.type,
        class: text(record.class),
        direction: text(record.direction),
        peerUri: text(record.peeruri),
        peerDisplayName: text(record.peerdisplayname),
        callId: text(record.id) || undefined,
        param: text(record.param),
      },
    };
  }
  return undefined;
}
