/**
 * Event normalisation: a phone event applied to the model, in one call state, gives the events the
 * bridge is told (docs/contract.md, "Phone events: what each does in each call state" and the rules below it).
 */
import type { Party, PhoneEvent } from './types.js';
import { PHONE_EVENT_TABLE, type PhoneEventCell } from './tables.js';
import { cleanParty, cleanReason, type CallModel, type SentFlags } from './model.js';
import { eventMessage, type EventMessage } from './messages.js';

export interface Diagnostic {
  readonly code: string;
  readonly message: string;
}

export interface Applied {
  readonly model: CallModel;
  readonly flags: SentFlags;
  readonly out: readonly EventMessage[];
  readonly diagnostic?: Diagnostic;
}

export function isPhoneEvent(value: unknown): value is PhoneEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { type?: unknown }).type === 'string' &&
    Object.hasOwn(PHONE_EVENT_TABLE, (value as { type: string }).type)
  );
}

/** busy, failed, transferFailed and conferenceFailed: words that no snapshot can tell later. */
export function isOneShot(event: PhoneEvent): boolean {
  return event.type === 'busy' || event.type === 'failed' || event.type === 'transferFailed' || event.type === 'conferenceFailed';
}

function partyBody(party: Party): Record<string, unknown> {
  return party.name === undefined ? { number: party.number } : { number: party.number, name: party.name };
}

type CellRule = (model: CallModel, flags: SentFlags, event: PhoneEvent, target: string) => Applied;

const same = (model: CallModel, flags: SentFlags): Applied => ({ model, flags, out: [] });
const odd = (event: PhoneEvent, model: CallModel): string => `phone event ${event.type} while ${model.state}`;

/** The started rule: `started` goes out once, before anything that shows the call connected. */
function tellStarted(flags: SentFlags, out: EventMessage[], target: string): SentFlags {
  if (!flags.started) out.push(eventMessage(target, 'started'));
  return flags.started ? flags : { ...flags, started: true };
}

/** The call ends: `started` if never sent, then `ended` once. */
function release(model: CallModel, flags: SentFlags, target: string, out: EventMessage[] = []): Applied {
  const started = tellStarted(flags, out, target);
  out.push(eventMessage(target, 'ended'));
  return { model: { ...model, state: 'RELEASED' }, flags: { ...started, ended: true }, out };
}

function talking(model: CallModel, flags: SentFlags, target: string, partiesFirst: boolean): Applied {
  const out: EventMessage[] = [];
  const started = tellStarted(flags, out, target);
  if (partiesFirst) for (const party of model.parties) out.push(eventMessage(target, 'partyadded', partyBody(party)));
  out.push(eventMessage(target, 'talking'));
  if (model.muted) out.push(eventMessage(target, 'mute'));
  return { model: { ...model, state: 'TALKING' }, flags: started, out };
}

function setMuted(model: CallModel, flags: SentFlags, muted: boolean, word: 'mute' | 'talking' | undefined, target: string): Applied {
  if (model.muted === muted) return same(model, flags);
  return { model: { ...model, muted }, flags, out: word === undefined ? [] : [eventMessage(target, word)] };
}

const reasonOf = (event: PhoneEvent): string => cleanReason((event as { reason?: unknown }).reason);

/**
 * One small rule per cell of the phone-event table (docs/contract.md, "Phone events: what each
 * does in each state"). The chart calls the cell's rule on the edge the table gives it.
 */
export const CELL_RULES: Readonly<Record<PhoneEventCell, CellRule>> = {
  dup: same,
  nothing: same,
  diag: (model, flags, event) => ({ ...same(model, flags), diagnostic: { code: 'phone-event-ignored', message: `${odd(event, model)}: ignored` } }),
  answered: (model, flags, _event, target) => talking(model, flags, target, true),
  retrieved: (model, flags, _event, target) => talking(model, flags, target, false),
  'to-held': (model, flags, _event, target) => {
    const out: EventMessage[] = [];
    const started = tellStarted(flags, out, target);
    out.push(eventMessage(target, 'held'));
    return { model: { ...model, state: 'HELD' }, flags: started, out };
  },
  'mute-tell': (model, flags, _event, target) => setMuted(model, flags, true, 'mute', target),
  'mute-quiet': (model, flags, _event, target) => setMuted(model, flags, true, undefined, target),
  'unmute-tell': (model, flags, _event, target) => setMuted(model, flags, false, 'talking', target),
  'unmute-quiet': (model, flags, _event, target) => setMuted(model, flags, false, undefined, target),
  'busy-word': (model, flags, _event, target) => release(model, flags, target, [eventMessage(target, 'busy')]),
  'failed-word': (model, flags, event, target) => release(model, flags, target, [eventMessage(target, 'failed', { reason: reasonOf(event) })]),
  end: (model, flags, _event, target) => release(model, flags, target),
  'end-diag': (model, flags, event, target) => ({
    ...release(model, flags, target),
    diagnostic: { code: 'phone-event-ends-call', message: `${odd(event, model)}: the call ended` },
  }),
  'party-add': (model, flags, event, target) => {
    const party = cleanParty((event as { party?: Party }).party ?? { number: '' });
    if (model.parties.some((p) => p.number === party.number)) return same(model, flags);
    return { model: { ...model, parties: [...model.parties, party] }, flags, out: [eventMessage(target, 'partyadded', partyBody(party))] };
  },
  'party-remove': (model, flags, event, target) => {
    const number = cleanParty({ number: (event as { number: string }).number }).number;
    const diag = (code: string, why: string): Applied => ({ ...same(model, flags), diagnostic: { code, message: `${odd(event, model)}: ${why}` } });
    if (!model.parties.some((p) => p.number === number)) return diag('party-not-listed', 'the party is not listed');
    if (model.parties.length === 1) return diag('only-party-kept', 'the only party stays listed');
    return {
      model: { ...model, parties: model.parties.filter((p) => p.number !== number) },
      flags,
      out: [eventMessage(target, 'partyremoved', { number })],
    };
  },
  'transfer-failed': (model, flags, event, target) => ({ model, flags, out: [eventMessage(target, 'transfer.failed', { reason: reasonOf(event) })] }),
  'conference-failed': (model, flags, event, target) => ({ model, flags, out: [eventMessage(target, 'conference.failed', { reason: reasonOf(event) })] }),
};

/** The one-shot words kept through a pre-init queue overflow, sent as they are. */
export function oneShotMessage(event: PhoneEvent, target: string): EventMessage {
  switch (event.type) {
    case 'busy':
      return eventMessage(target, 'busy');
    case 'failed':
      return eventMessage(target, 'failed', { reason: cleanReason(event.reason) });
    case 'transferFailed':
      return eventMessage(target, 'transfer.failed', { reason: cleanReason(event.reason) });
    default:
      return eventMessage(target, 'conference.failed', { reason: cleanReason((event as { reason?: unknown }).reason) });
  }
}

/**
 * The events right after an init response (docs/contract.md, "Rules across the table", the first rule), with the
 * one-shot words a pre-init queue overflow kept (busy, failed, transfer.failed, conference.failed).
 *
 * A re-init may find a model the bridge never heard move: a queue overflow re-reads the leg, so a
 * call first reported RINGING can be TALKING, HELD or RELEASED now. The init body tells the new
 * state; `started` (and `ended` for a released call) follow here, so `started` still precedes
 * everything and `ended` is still sent once (invariant 4). Found by the property tests.
 */
export function eventsAfterInit(
  model: CallModel,
  flags: SentFlags,
  target: string,
  oneShots: readonly PhoneEvent[] = [],
): { flags: SentFlags; out: EventMessage[] } {
  const out: EventMessage[] = [];
  const words = (): void => {
    for (const event of oneShots) out.push(oneShotMessage(event, target));
  };
  const mutedTalking = model.state === 'TALKING' && model.muted;
  if (!flags.initialized && (model.state === 'RINGING' || model.state === 'DIALING')) {
    out.push(eventMessage(target, model.state === 'RINGING' ? 'ringing' : 'dialing'));
    words();
    return { flags: { ...flags, initialized: true }, out };
  }
  if (model.state === 'RELEASED') {
    // The first init of a released call sends nothing of its own; a re-init ends what the bridge saw live.
    if (flags.ended) return { flags: { ...flags, initialized: true }, out };
    words();
    if (!flags.initialized) return { flags: { ...flags, initialized: true }, out };
    if (!flags.started) out.push(eventMessage(target, 'started'));
    out.push(eventMessage(target, 'ended'));
    return { flags: { ...flags, started: true, ended: true }, out };
  }
  if (model.state === 'TALKING' || model.state === 'HELD') {
    if (!flags.started) out.push(eventMessage(target, 'started'));
    if (mutedTalking) out.push(eventMessage(target, 'mute'));
    words();
    return { flags: { ...flags, initialized: true, started: true }, out };
  }
  words();
  return { flags: { ...flags, initialized: true }, out };
}
