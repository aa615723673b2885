/**
 * What may be written to linphone-daemon's socket. Some commands kill the daemon (5.1.65): they
 * are refused here so that no code path, and no caller of `LinphonePhone.command`, can send them.
 * A command is one line of printable characters: a second line in the same write is dropped by
 * the daemon, and a split write turns into two bad commands.
 */

/** Commands never sent, with the reason given to whoever asks for them. */
export const DENIED_COMMANDS: ReadonlyMap<string, string> = new Map([
  ['call-stats', 'it crashes linphone-daemon (SIGSEGV)'],
  ['config-get', 'it crashes linphone-daemon when the key is not set'],
  ['audio-stream-stats', 'like call-stats it reads statistics linphone-daemon may not have (not proven safe)'],
  ['quit', 'it stops linphone-daemon; stop the process by its pid instead'],
]);

const LINE = /^[\x21-\x7e][\x20-\x7e]{0,1023}$/;

/** Why `line` must not be sent, or undefined when it may be. */
export function refusalOf(line: string): string | undefined {
  if (!LINE.test(line)) return 'a command is one line of 1-1024 printable characters';
  const words = line.split(' ').filter((word) => word !== '');
  const name = words[0] ?? '';
  const denied = DENIED_COMMANDS.get(name);
  if (denied) return `${name} is never sent: ${denied}`;
  if (name === 'conference' && words[1] === 'rm') {
    return 'conference rm is never sent: it crashes linphone-daemon on a call outside the conference (the adapter ends a party with terminate)';
  }
  // With one argument the daemon answers twice, which would shift every later reply.
  if (name === 'call-transfer' && words.length !== 3) return 'call-transfer takes exactly two arguments';
  return undefined;
}
