#!/usr/bin/env node
/**
 * The `cti-conversation` executable: runs the command with the real process streams, turns
 * Ctrl-C into a clean close, and exits with the command's code.
 */
import { runCli } from './run-cli.js';

const interrupt = new AbortController();
let interrupts = 0;
const onSignal = (): void => {
  interrupts += 1;
  // A second Ctrl-C means "now": skip the clean close.
  if (interrupts > 1) process.exit(130);
  interrupt.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  signal: interrupt.signal,
});
process.exitCode = code;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
// Every command closes what it opened; should a handle still linger, it must not keep a finished
// command alive. The timer is unref'd, so it never delays a process that is free to exit.
setTimeout(() => process.exit(code), 2_000).unref();
