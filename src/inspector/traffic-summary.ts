/** A one-line name and detail for a recorded message, whatever its shape. */
export function trafficName(message: unknown): { name: string; detail?: string } {
  if (!message || typeof message !== 'object') return { name: typeof message === 'string' ? 'text' : String(message) };
  const header = (message as { header?: unknown }).header;
  if (header && typeof header === 'object') {
    const { name, requestId, result, errorMessage, type } = header as Record<string, unknown>;
    const details = [
      typeof requestId === 'string' ? `#${requestId.length > 12 ? `${requestId.slice(-12)}` : requestId}` : undefined,
      typeof result === 'string' ? result : undefined,
      typeof errorMessage === 'string' ? errorMessage : undefined,
    ].filter((part): part is string => part !== undefined);
    return {
      name: typeof name === 'string' ? name : typeof type === 'string' ? type : 'message',
      ...(details.length > 0 ? { detail: details.join(' ') } : {}),
    };
  }
  const kind = (message as { type?: unknown; operation?: unknown }).type ?? (message as { operation?: unknown }).operation;
  return { name: typeof kind === 'string' ? kind : 'message' };
}

/** The target a wire message names, if any. */
export function trafficTarget(message: unknown): string | undefined {
  const header = message && typeof message === 'object' ? (message as { header?: unknown }).header : undefined;
  const target = header && typeof header === 'object' ? (header as { target?: unknown }).target : undefined;
  return typeof target === 'string' ? target : undefined;
}
