/** Reads the scripted outcomes of dials, transfers and conferences into one plain shape. */
import type { ConferenceOutcome, DialOutcome, DialOutcomeKind, TransferOutcome } from './options.js';

export interface DialReaction {
  readonly outcome: DialOutcomeKind;
  readonly afterMs: number;
  readonly reason: string;
  readonly name: string | undefined;
}

export function dialReaction(outcome: DialOutcome): DialReaction {
  const plan = typeof outcome === 'string' ? { outcome } : outcome;
  return {
    outcome: plan.outcome,
    afterMs: plan.afterMs ?? 0,
    reason: plan.reason ?? 'the call failed',
    name: plan.name,
  };
}

export function transferReaction(outcome: TransferOutcome): { succeed: boolean; afterMs: number; reason: string } {
  const plan = typeof outcome === 'string' ? { outcome } : outcome;
  return {
    succeed: plan.outcome === 'succeed',
    afterMs: plan.afterMs ?? 0,
    reason: plan.reason ?? 'the transfer destination did not answer',
  };
}

export function conferenceReaction(
  outcome: ConferenceOutcome,
): { join: boolean; afterMs: number; reason: string; name: string | undefined } {
  const plan = typeof outcome === 'string' ? { outcome } : outcome;
  return {
    join: plan.outcome === 'join',
    afterMs: plan.afterMs ?? 0,
    reason: plan.reason ?? 'the conference destination did not answer',
    name: plan.name,
  };
}
