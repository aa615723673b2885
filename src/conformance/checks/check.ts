/** A conformance check: a name (the test's title) and what it does with a fresh context. */
import type { Phone, PhoneEventType, TelephonyLeg } from '../../phone/types.js';
import { check } from '../assert.js';
import type { ConformanceContext, LegUnderTest } from '../context.js';
import { liveSignal } from '../context.js';
import type { OptionalOperation } from '../options.js';

/**
 * One rule of the adapter contract as a runnable check: its name (a sentence) and what it needs
 * from the phone.
 */
export interface ConformanceCheck {
  readonly name: string;
  /** Optional operations the check exercises; it is registered only when the phone has them all. */
  readonly needs?: readonly OptionalOperation[];
  /** Runs a conversation destination over the leg (left out with skipDestinationChecks). */
  readonly throughDestination?: boolean;
  run(context: ConformanceContext<Phone>): Promise<void>;
}

/**
 * Runs `operation` and then makes sure the leg reported `event`: before the operation resolved
 * when the phone says it reports events first, else whenever it comes.
 */
export async function expectEvent(
  context: ConformanceContext<Phone>,
  call: LegUnderTest,
  label: string,
  event: PhoneEventType,
  operation: (leg: TelephonyLeg, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const mark = call.log.mark();
  await operation(call.leg, liveSignal());
  if (context.eventBeforeResolve) {
    check(call.log.has(event, mark), `${label} resolved before the leg reported ${event}`);
  } else {
    await call.log.waitFor(event, mark);
  }
}

/** Runs `operation` and checks it caused no event and left the snapshot as it was. */
export async function expectNoChange(
  call: LegUnderTest,
  label: string,
  operation: (leg: TelephonyLeg, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const before = call.leg.snapshot();
  const mark = call.log.mark();
  await operation(call.leg, liveSignal());
  const after = call.leg.snapshot();
  check(
    after.state === before.state && after.muted === before.muted,
    `${label} changed the call from ${before.state}${before.muted ? ' (muted)' : ''} to ${after.state}${after.muted ? ' (muted)' : ''}`,
  );
  check(call.log.mark() === mark, `${label} reported ${call.log.types(mark).join(', ')}`);
}
