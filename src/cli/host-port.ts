import { UsageError } from './usage-error.js';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/**
 * Reads `HOST:PORT` (an IPv6 host in brackets: `[::1]:4000`). `allowPortZero` lets a server ask
 * the system for a free port. The way back, for printing, is formatHostPort (src/log/host-port.ts).
 */
export function parseHostPort(
  flag: string,
  text: string,
  hint: string,
  options: { allowPortZero?: boolean } = {},
): HostPort {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  if (!match) {
    throw new UsageError(`${flag} wants HOST:PORT, e.g. 127.0.0.1:4000`, hint);
  }
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  const lowest = options.allowPortZero ? 0 : 1;
  if (port < lowest || port > 65535) {
    throw new UsageError(`${flag} has port ${port}, which is not between ${lowest} and 65535`, hint);
  }
  return { host, port };
}
