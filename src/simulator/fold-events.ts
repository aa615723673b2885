/**
 * Invariant 3's fold: the init body and the events after it, applied in order, give what the
 * client's destination believes about the leg (docs/contract.md, "The invariants the tests hold").
 */
import type { CallState } from '../phone/types.js';

/**
 * A leg's model (state, parties, muted) as folding its init response and later events gives it.
 */
export interface FoldedModel {
  readonly state: CallState | string;
  /** Party numbers, in the order they were listed or added. */
  readonly parties: readonly string[];
  readonly muted: boolean;
}

/** The model an init response describes, the starting point of the fold. */
export function foldInit(body: unknown): FoldedModel | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  const state = record['conversation-state'];
  const parties = Array.isArray(record['parties']) ? record['parties'] : [];
  if (typeof state !== 'string') return undefined;
  const numbers = parties
    .map((p) => (typeof p === 'object' && p !== null ? (p as Record<string, unknown>)['number'] : undefined))
    .filter((n): n is string => typeof n === 'string');
  return { state, parties: [...new Set(numbers)], muted: false };
}

/** Applies one event by its name (`conversation.talking` …); unknown names change nothing. */
export function foldEvent(model: FoldedModel, name: string, body: unknown): FoldedModel {
  const number =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['number'] : undefined;
  switch (name) {
    case 'conversation.ringing':
      return { ...model, state: 'RINGING' };
    case 'conversation.dialing':
      return { ...model, state: 'DIALING' };
    case 'conversation.talking':
      return { ...model, state: 'TALKING', muted: false };
    case 'conversation.held':
      return { ...model, state: 'HELD' };
    case 'conversation.mute':
      return { ...model, muted: true };
    case 'conversation.ended':
      return { ...model, state: 'RELEASED' };
    case 'conversation.partyadded':
      if (typeof number !== 'string' || model.parties.includes(number)) return model;
      return { ...model, parties: [...model.parties, number] };
    case 'conversation.partyremoved':
      if (typeof number !== 'string') return model;
      return { ...model, parties: model.parties.filter((p) => p !== number) };
    default:
      return model;
  }
}

/** What invariant 3 compares against: the leg's state, parties and mute flag. */
export interface ExpectedModel {
  readonly state: CallState;
  readonly parties: readonly { readonly number: string }[];
  readonly muted: boolean;
}

/** Differences between a fold and the expected model; empty when they agree. */
export function compareModel(folded: FoldedModel, expected: ExpectedModel): string[] {
  const problems: string[] = [];
  if (folded.state !== expected.state) {
    problems.push(`the events say ${folded.state} but the leg is ${expected.state}`);
  }
  const want = [...new Set(expected.parties.map((p) => p.number))].sort();
  const have = [...folded.parties].sort();
  if (want.join('\u0000') !== have.join('\u0000')) {
    problems.push(`the events list parties [${have.join(', ')}] but the leg has [${want.join(', ')}]`);
  }
  // The mute flag is only visible on the wire while TALKING (docs/contract.md, invariant 3).
  if (expected.state === 'TALKING' && folded.state === 'TALKING' && folded.muted !== expected.muted) {
    problems.push(`the events say ${folded.muted ? 'muted' : 'not muted'} but the leg is ${expected.muted ? 'muted' : 'not muted'}`);
  }
  return problems;
}
