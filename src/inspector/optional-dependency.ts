/**
 * Inspection's heavy packages (@statelyai/inspect, @viz-js/viz: most of the install) are optional
 * peer dependencies: loaded here, on first use, never by importing the package. A missing one is
 * one clear line naming what to install.
 */

/** Thrown (as a rejection) when an optional package that inspection needs is not installed. */
export class MissingOptionalDependencyError extends Error {
  override readonly name = 'MissingOptionalDependencyError';
  constructor(
    /** The npm package to install. */
    readonly packageName: string,
    purpose: string,
  ) {
    super(`${purpose} needs the optional package ${packageName}: install it with \`npm install ${packageName}\``);
  }
}

const notFound = (error: unknown, name: string): boolean => {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && typeof message === 'string' && message.includes(name);
};

/** `import(name)`, or MissingOptionalDependencyError when the package cannot be found. */
export async function importOptional<T>(name: '@statelyai/inspect' | '@viz-js/viz', purpose: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    if (notFound(error, name)) throw new MissingOptionalDependencyError(name, purpose);
    throw error;
  }
}
