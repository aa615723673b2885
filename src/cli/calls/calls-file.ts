/**
 * The calls file of `client --phone sim --calls FILE`: which calls the simulated phone plays, and
 * what their far ends do. Read from JSON or YAML; every mistake is reported with where it is
 * (`calls[2].far[0].do: …`). examples/calls.yaml shows the format.
 */
import { LEG_ID_PATTERN, PHONE_EVENT_TYPES, type Party, type PhoneEventType } from '../../phone/types.js';
import type { ConferenceOutcome, DialOutcomeKind, TransferOutcome } from '../../phone/simulated/index.js';

export type FarActionName = 'answer' | 'busy' | 'fail' | 'hangUp' | 'join' | 'leave';

export interface FarAction {
  /** Wait for the leg to report this event (after the previous action) before acting. */
  readonly on?: PhoneEventType;
  /** Then wait this long (milliseconds). */
  readonly afterMs?: number;
  readonly do: FarActionName;
  readonly reason?: string;
  readonly party?: Party;
  readonly number?: string;
}

export type CallSpec =
  | { readonly kind: 'inbound'; readonly leg: string; readonly ring: Party; readonly far: readonly FarAction[] }
  | {
      readonly kind: 'outbound';
      readonly leg?: string;
      readonly dial: string;
      readonly outcome: DialOutcomeKind;
      readonly reason?: string;
      readonly name?: string;
      readonly far: readonly FarAction[];
    };

export interface CallsFile {
  readonly outboundIdPrefix: string;
  readonly transfers: ReadonlyMap<string, TransferOutcome>;
  readonly conferences: ReadonlyMap<string, ConferenceOutcome>;
  readonly calls: readonly CallSpec[];
}

/** A mistake in the file, with the path to it. */
export class CallsFileError extends Error {
  constructor(
    readonly path: string,
    reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'CallsFileError';
  }
}

const FAR_ACTIONS: readonly FarActionName[] = ['answer', 'busy', 'fail', 'hangUp', 'join', 'leave'];
const DIAL_OUTCOMES: readonly DialOutcomeKind[] = ['answer', 'busy', 'fail', 'noAnswer'];

export function parseCallsFile(value: unknown): CallsFile {
  const root = record(value, '(the file)');
  known(root, '(the file)', ['outboundIdPrefix', 'transfers', 'conferences', 'calls']);
  const outboundIdPrefix = optionalString(root.outboundIdPrefix, 'outboundIdPrefix') ?? 'out-';
  if (!/^[A-Za-z0-9_-]{1,100}$/.test(outboundIdPrefix)) {
    throw new CallsFileError('outboundIdPrefix', 'may hold only A-Z, a-z, 0-9, _ and - (at most 100)');
  }
  const transfers = new Map<string, TransferOutcome>();
  for (const [destination, plan] of Object.entries(optionalRecord(root.transfers, 'transfers') ?? {})) {
    const path = `transfers.${destination}`;
    const fields = record(plan, path);
    known(fields, path, ['outcome', 'reason']);
    const outcome = oneOf(fields.outcome ?? 'succeed', `${path}.outcome`, ['succeed', 'fail'] as const);
    const reason = optionalString(fields.reason, `${path}.reason`);
    transfers.set(destination, reason === undefined ? { outcome } : { outcome, reason });
  }
  const conferences = new Map<string, ConferenceOutcome>();
  for (const [destination, plan] of Object.entries(optionalRecord(root.conferences, 'conferences') ?? {})) {
    const path = `conferences.${destination}`;
    const fields = record(plan, path);
    known(fields, path, ['outcome', 'reason', 'name']);
    const outcome = oneOf(fields.outcome ?? 'join', `${path}.outcome`, ['join', 'fail'] as const);
    const reason = optionalString(fields.reason, `${path}.reason`);
    const name = optionalString(fields.name, `${path}.name`);
    conferences.set(destination, { outcome, ...(reason !== undefined && { reason }), ...(name !== undefined && { name }) });
  }
  if (!Array.isArray(root.calls) || root.calls.length === 0) {
    throw new CallsFileError('calls', 'must be a list of at least one call');
  }
  const calls = root.calls.map((call, index) => parseCall(call, `calls[${index}]`));
  const legs = new Set<string>();
  calls.forEach((call, index) => {
    if (call.leg === undefined) return;
    if (legs.has(call.leg)) throw new CallsFileError(`calls[${index}].leg`, `leg ${call.leg} is named twice`);
    legs.add(call.leg);
  });
  return { outboundIdPrefix, transfers, conferences, calls };
}

function parseCall(value: unknown, path: string): CallSpec {
  const fields = record(value, path);
  const far = parseFar(fields.far, `${path}.far`);
  if ('ring' in fields) {
    known(fields, path, ['leg', 'ring', 'far']);
    const leg = legId(fields.leg, `${path}.leg`, true) as string;
    return { kind: 'inbound', leg, ring: party(fields.ring, `${path}.ring`), far };
  }
  if ('dial' in fields) {
    known(fields, path, ['leg', 'dial', 'outcome', 'reason', 'name', 'far']);
    const dial = string(fields.dial, `${path}.dial`);
    const outcome = oneOf(fields.outcome ?? 'noAnswer', `${path}.outcome`, DIAL_OUTCOMES);
    const leg = legId(fields.leg, `${path}.leg`, false);
    const reason = optionalString(fields.reason, `${path}.reason`);
    const name = optionalString(fields.name, `${path}.name`);
    return {
      kind: 'outbound',
      dial,
      outcome,
      far,
      ...(leg !== undefined && { leg }),
      ...(reason !== undefined && { reason }),
      ...(name !== undefined && { name }),
    };
  }
  throw new CallsFileError(path, 'a call needs `ring` (an inbound call) or `dial` (an outbound call)');
}

function parseFar(value: unknown, path: string): FarAction[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new CallsFileError(path, 'must be a list of far-end actions');
  return value.map((item, index) => {
    const at = `${path}[${index}]`;
    const fields = record(item, at);
    known(fields, at, ['on', 'afterMs', 'do', 'reason', 'party', 'number']);
    const action = oneOf(fields.do, `${at}.do`, FAR_ACTIONS);
    const on = fields.on === undefined ? undefined : oneOf(fields.on, `${at}.on`, PHONE_EVENT_TYPES);
    const afterMs = fields.afterMs;
    if (afterMs !== undefined && (typeof afterMs !== 'number' || !Number.isInteger(afterMs) || afterMs < 0)) {
      throw new CallsFileError(`${at}.afterMs`, 'must be a whole number of milliseconds, 0 or more');
    }
    const reason = optionalString(fields.reason, `${at}.reason`);
    if (action === 'join' && fields.party === undefined) throw new CallsFileError(`${at}.party`, 'join needs the party that joins');
    if (action === 'leave' && fields.number === undefined) throw new CallsFileError(`${at}.number`, 'leave needs the number that leaves');
    return {
      do: action,
      ...(on !== undefined && { on }),
      ...(afterMs !== undefined && { afterMs }),
      ...(reason !== undefined && { reason }),
      ...(fields.party !== undefined && { party: party(fields.party, `${at}.party`) }),
      ...(fields.number !== undefined && { number: string(fields.number, `${at}.number`) }),
    } as FarAction;
  });
}

function party(value: unknown, path: string): Party {
  const fields = record(value, path);
  known(fields, path, ['number', 'name']);
  const number = string(fields.number, `${path}.number`);
  const name = optionalString(fields.name, `${path}.name`);
  return name === undefined ? { number } : { number, name };
}

function legId(value: unknown, path: string, required: boolean): string | undefined {
  if (value === undefined && !required) return undefined;
  const id = string(value, path);
  if (!LEG_ID_PATTERN.test(id)) throw new CallsFileError(path, 'a leg id may hold only A-Z, a-z, 0-9, _ and - (1 to 128)');
  return id;
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CallsFileError(path, 'must be a mapping of keys to values');
  }
  return value as Record<string, unknown>;
}

function optionalRecord(value: unknown, path: string): Record<string, unknown> | undefined {
  return value === undefined || value === null ? undefined : record(value, path);
}

function string(value: unknown, path: string): string {
  // YAML reads an unquoted 2001 as a number; a phone number is text either way.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return String(value);
  if (typeof value !== 'string' || value === '') throw new CallsFileError(path, 'must be a non-empty string');
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined || value === null ? undefined : string(value, path);
}

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new CallsFileError(path, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function known(fields: Record<string, unknown>, path: string, keys: readonly string[]): void {
  for (const key of Object.keys(fields)) {
    if (!keys.includes(key)) throw new CallsFileError(`${path}.${key}`, `unknown key (known: ${keys.join(', ')})`);
  }
}
