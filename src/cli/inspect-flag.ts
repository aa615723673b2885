/**
 * The --inspect flag of `demo` and `client`: `--inspect` or `--inspect=local` serves the local
 * inspector page; `--inspect=stately` or `--inspect=stately=URL` feeds Stately's WebSocket
 * inspector (issue 6).
 */
import { UsageError } from './usage-error.js';

export type InspectChoice = { readonly kind: 'local' } | { readonly kind: 'stately'; readonly url?: string };

export function parseInspectFlag(command: string, value: string | undefined): InspectChoice | undefined {
  if (value === undefined) return undefined;
  const hint = 'use --inspect, --inspect=local, --inspect=stately or --inspect=stately=ws://HOST:PORT';
  if (value === '' || value === 'local') return { kind: 'local' };
  if (value === 'stately') return { kind: 'stately' };
  if (value.startsWith('stately=')) {
    const url = value.slice('stately='.length);
    if (!/^wss?:\/\/[^\s]+$/.test(url)) {
      throw new UsageError(`${command}: --inspect=stately= wants a ws:// or wss:// URL`, hint);
    }
    return { kind: 'stately', url };
  }
  throw new UsageError(`${command}: --inspect does not know ${JSON.stringify(value)}`, hint);
}
