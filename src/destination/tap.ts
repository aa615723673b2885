/**
 * A tap on one destination: what went in and out, as it happened, for loggers, recorders and
 * metrics. Every hook is optional; a hook that throws loses its own report, nothing else.
 */
import type { OutboundMessage } from '../../generated/types.js';
import type { LegOperationName, PhoneEvent } from '../../machines/types.js';

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
