/**
 * Records a leg's events and checks, as each arrives, that the leg's snapshot already reflects it
 * (the contract: "a snapshot() that reflects every event it has delivered").
 */
import { LEG_ID_PATTERN, type LegSnapshot, type PhoneEvent, type PhoneEventType, type TelephonyLeg } from '../phone/types.js';

interface Waiter {
  readonly type: PhoneEventType;
  readonly since: number;
  readonly resolve: (event: PhoneEvent) => void;
}

/** Problems with a snapshot as a party list or state, or undefined when it is sound. */
export function snapshotProblem(snapshot: LegSnapshot): string | undefined {
  if (!['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED'].includes(snapshot.state)) {
    return `state ${String(snapshot.state)} is not a call state`;
  }
  if (!Array.isArray(snapshot.parties) || snapshot.parties.length === 0) return 'it lists no party';
  for (const party of snapshot.parties) {
    if (typeof party.number !== 'string' || party.number.length === 0) return 'a party has no number';
    if (party.name !== undefined && typeof party.name !== 'string') return 'a party name is not a string';
  }
  if (typeof snapshot.muted !== 'boolean') return 'muted is not a boolean';
  return undefined;
}

/** Whether `snapshot` shows what `event` reports; a RELEASED call may already show its end. */
function reflects(snapshot: LegSnapshot, event: PhoneEvent): boolean {
  const listed = (number: string): boolean => snapshot.parties.some((party) => party.number === number);
  switch (event.type) {
    case 'ringing':
      return snapshot.state === 'RINGING' || snapshot.state === 'RELEASED';
    case 'dialing':
      return snapshot.state === 'DIALING' || snapshot.state === 'RELEASED';
    case 'talking':
      return snapshot.state === 'TALKING' || snapshot.state === 'RELEASED';
    case 'held':
      return snapshot.state === 'HELD' || snapshot.state === 'RELEASED';
    case 'muted':
      return snapshot.muted || snapshot.state === 'RELEASED';
    case 'unmuted':
      return !snapshot.muted || snapshot.state === 'RELEASED';
    case 'busy':
    case 'failed':
    case 'ended':
      return snapshot.state === 'RELEASED';
    case 'partyAdded':
      return listed(event.party.number) || snapshot.state === 'RELEASED';
    case 'partyRemoved':
      return !listed(event.number) || snapshot.parties.length === 1;
    case 'started':
    case 'transferFailed':
    case 'conferenceFailed':
      return true;
  }
}

/**
 * Every phone event a leg reported, in order, with waits for the next one of a type (the kit's way
 * of never sleeping).
 */
export class EventLog {
  readonly events: PhoneEvent[] = [];
  readonly problems: string[] = [];
  private waiters: Waiter[] = [];
  readonly unsubscribe: () => void;

  constructor(readonly leg: TelephonyLeg) {
    if (!LEG_ID_PATTERN.test(leg.id)) this.problems.push(`leg id does not match ${LEG_ID_PATTERN.source}`);
    this.unsubscribe = leg.subscribe((event) => this.record(event));
  }

  /** A position in the log: events from here on are "after" it. */
  mark(): number {
    return this.events.length;
  }

  /** Whether an event of `type` arrived at or after `since`. */
  has(type: PhoneEventType, since = 0): boolean {
    return this.events.slice(since).some((event) => event.type === type);
  }

  /** The event types someone is still waiting for (for a timed-out check's message). */
  awaited(): PhoneEventType[] {
    return this.waiters.map((waiter) => waiter.type);
  }

  types(since = 0): PhoneEventType[] {
    return this.events.slice(since).map((event) => event.type);
  }

  /** Resolves with the first event of `type` at or after `since` (now or when it comes). */
  waitFor(type: PhoneEventType, since = 0): Promise<PhoneEvent> {
    const found = this.events.slice(since).find((event) => event.type === type);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ type, since, resolve }));
  }

  /** Resolves with the first event of any of `types` at or after `since`. */
  waitForAny(types: readonly PhoneEventType[], since = 0): Promise<PhoneEvent> {
    return Promise.race(types.map((type) => this.waitFor(type, since)));
  }

  private record(event: PhoneEvent): void {
    this.events.push(event);
    const snapshot = this.leg.snapshot();
    const problem = snapshotProblem(snapshot);
    if (problem) this.problems.push(`after a ${event.type} event the snapshot is unsound: ${problem}`);
    else if (!reflects(snapshot, event)) {
      this.problems.push(
        `the leg delivered ${event.type} but its snapshot (state ${snapshot.state}, muted ${snapshot.muted}, ` +
          `${snapshot.parties.length} parties) does not show it`,
      );
    }
    const index = this.events.length - 1;
    const ready = this.waiters.filter((waiter) => waiter.type === event.type && waiter.since <= index);
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(event);
  }
}
