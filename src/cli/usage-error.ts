/**
 * A mistake in how the command was called: exit code 2 and one line on stderr saying what is wrong and,
 * hint saying what to do (the convention of POSIX utilities and most CLIs: 2 = usage error).
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE_EXIT_CODE = 2;
