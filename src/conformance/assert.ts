/** The kit's own assertions, so its checks run under any test runner. */

export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceError(message);
}

/** Settles `promise` into a plain outcome; a synchronous throw counts as `threw`. */
export async function outcomeOf(
  call: () => Promise<unknown>,
): Promise<{ kind: 'resolved' } | { kind: 'rejected'; error: unknown } | { kind: 'threw'; error: unknown }> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    return { kind: 'threw', error };
  }
  try {
    await promise;
    return { kind: 'resolved' };
  } catch (error) {
    return { kind: 'rejected', error };
  }
}
