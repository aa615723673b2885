/**
 * A read-only view of what passes through a destination, for a recorder (src/trace) or a test.
 * Every hook is optional and is called synchronously where the thing happens; a hook that throws
 * is the destination's diagnostic, never its failure.
 */
import type { OutboundMessage } from '../../generated/types.js';
import type { LegOperationName, PhoneEvent } from '../phone/types.js';

export interface DestinationTap {
  /** What receive() was given, before any check. */
  inbound?(frame: unknown): void;
  /** A phone event as the leg delivered it. */
  phoneEvent?(event: PhoneEvent): void;
  operationStarted?(opId: number, operation: LegOperationName, args: readonly string[]): void;
  operationSettled?(opId: number, outcome: { ok: true } | { ok: false; error: string }): void;
  /** What the destination sent, after validation. */
  outbound?(message: OutboundMessage): void;
}
