/** Why a driver's wait ended without the message it waited for. */

/** Nothing matching arrived within the wait's `timeoutMs`. */
export class DriverTimeoutError extends Error {
  override readonly name = 'DriverTimeoutError';
  constructor(
    /** What was awaited, e.g. "the response to conversation.request.hold (requestId driver-3)". */
    readonly awaited: string,
    readonly timeoutMs: number,
  ) {
    super(`no ${awaited} within ${timeoutMs} ms`);
  }
}

/** The driver was stopped while the wait was pending. */
export class DriverStoppedError extends Error {
  override readonly name = 'DriverStoppedError';
  constructor(readonly awaited: string) {
    super(`the driver was stopped while waiting for ${awaited}`);
  }
}
