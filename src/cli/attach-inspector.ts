/**
 * Wires --inspect to the inspector (src/inspector, issue 6). Until that part offers a way to
 * attach, asking for it is a clear error rather than a silent no-op.
 */
import type { InspectChoice } from './inspect-flag.js';

export class InspectorUnavailableError extends Error {
  constructor(command: string) {
    super(`${command}: --inspect: inspector not available yet`);
    this.name = 'InspectorUnavailableError';
  }
}

export interface AttachedInspector {
  /** Passed to the client (and so to every destination) as its XState inspection observer. */
  readonly inspect?: unknown;
  /** Where the local page is served, to print. */
  readonly url?: string;
  close(): Promise<void>;
}

export async function attachInspector(command: string, choice: InspectChoice | undefined): Promise<AttachedInspector | undefined> {
  if (choice === undefined) return undefined;
  throw new InspectorUnavailableError(command);
}
