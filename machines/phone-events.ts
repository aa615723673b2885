/**
 * Event normalisation: a phone event applied to the model, in one call state, gives the events the
 * bridge is told (design.md, "Phone events: what each does in each state" and the rules below it).
 */
import type { Party, PhoneEvent } from '../src/phone/types.js';
import { PHONE_EVENT_TABLE, phoneEventCell, type LiveCallState } from './tables.js';
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

/** Applies one phone event; `target` addresses the events it sends. */
export function applyPhoneEvent(model: CallModel, flags: SentFlags, event: PhoneEvent, target: string): Applied {
  if (model.state === 'RELEASED') return { model, flags, out: [] };
  const state: LiveCallState = model.state;
  const cell = phoneEventCell(event.type, state);
  const out: EventMessage[] = [];
  const started = (): void => {
    if (!flags.started) out.push(eventMessage(target, 'started'));
    flags = { ...flags, started: true };
  };
  const released = (): Applied => {
    started();
    out.push(eventMessage(target, 'ended'));
    return { model: { ...model, state: 'RELEASED' }, flags: { ...flags, ended: true }, out };
  };
  const diag = (code: string, message: string): Applied => ({ model, flags, out, diagnostic: { code, message } });
  const odd = `phone event ${event.type} while ${state}`;

  switch (cell) {
    case 'dup':
    case 'nothing':
      return { model, flags, out };
    case 'diag':
      return diag('phone-event-ignored', `${odd}: ignored`);
    case 'answered':
    case 'retrieved': {
      started();
      if (cell === 'answered') for (const party of model.parties) out.push(eventMessage(target, 'partyadded', partyBody(party)));
      out.push(eventMessage(target, 'talking'));
      if (model.muted) out.push(eventMessage(target, 'mute'));
      return { model: { ...model, state: 'TALKING' }, flags, out };
    }
    case 'to-held':
      started();
      out.push(eventMessage(target, 'held'));
      return { model: { ...model, state: 'HELD' }, flags, out };
    case 'mute-tell':
    case 'mute-quiet':
      if (model.muted) return { model, flags, out };
      if (cell === 'mute-tell') out.push(eventMessage(target, 'mute'));
      return { model: { ...model, muted: true }, flags, out };
    case 'unmute-tell':
    case 'unmute-quiet':
      if (!model.muted) return { model, flags, out };
      if (cell === 'unmute-tell') out.push(eventMessage(target, 'talking'));
      return { model: { ...model, muted: false }, flags, out };
    case 'busy-word':
      out.push(eventMessage(target, 'busy'));
      return released();
    case 'failed-word':
      out.push(eventMessage(target, 'failed', { reason: cleanReason((event as { reason?: unknown }).reason) }));
      return released();
    case 'end':
      return released();
    case 'end-diag':
      return { ...released(), diagnostic: { code: 'phone-event-ends-call', message: `${odd}: the call ended` } };
    case 'party-add': {
      const party = cleanParty((event as { party: Party }).party ?? { number: '' });
      if (model.parties.some((p) => p.number === party.number)) return { model, flags, out };
      out.push(eventMessage(target, 'partyadded', partyBody(party)));
      return { model: { ...model, parties: [...model.parties, party] }, flags, out };
    }
    case 'party-remove': {
      const number = cleanParty({ number: (event as { number: string }).number }).number;
      if (!model.parties.some((p) => p.number === number)) return diag('party-not-listed', `${odd}: the party is not listed`);
      if (model.parties.length === 1) return diag('only-party-kept', `${odd}: the only party stays listed`);
      out.push(eventMessage(target, 'partyremoved', { number }));
      return { model: { ...model, parties: model.parties.filter((p) => p.number !== number) }, flags, out };
    }
    case 'transfer-failed':
    case 'conference-failed':
      out.push(
        eventMessage(target, cell === 'transfer-failed' ? 'transfer.failed' : 'conference.failed', {
          reason: cleanReason((event as { reason?: unknown }).reason),
        }),
      );
      return { model, flags, out };
  }
}

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
 * The events right after an init response (design.md, first rule across the table), with the
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
