/**
 * The records the client hands to its listeners. They are built here and only here, and only when
 * someone listens (the client checks first), so a client without a traffic or diagnostics
 * listener builds none per frame; a test holds it to that.
 */
import type { BridgeClientDiagnostic, ClientTrafficEntry } from './options.js';

export function trafficRecord(direction: ClientTrafficEntry['direction'], message: unknown): ClientTrafficEntry {
  return { direction, message };
}

export function diagnosticRecord(
  code: string,
  message: string,
  level: BridgeClientDiagnostic['level'],
  extra: { readonly target?: string | undefined; readonly legId?: string | undefined },
): BridgeClientDiagnostic {
  return {
    code,
    message,
    level,
    ...(extra.target !== undefined && { target: extra.target }),
    ...(extra.legId !== undefined && { legId: extra.legId }),
  };
}
