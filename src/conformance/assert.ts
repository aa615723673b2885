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

/** Resolves or rejects as `work` does, or rejects with `late()` once `ms` have passed. */
export async function within<T>(work: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
