/**
 * One conformance check's world: a fresh phone, helpers that bring a call into a state through
 * the far-end driver, and the clean-up that ends every call the check made.
 */
import type { Phone, TelephonyLeg } from '../phone/types.js';
import { check, within } from './assert.js';
import { EventLog } from './event-log.js';
import { ALL_OPTIONAL_OPERATIONS, type OptionalOperation, type PhoneConformanceOptions } from './options.js';

/** A leg a check is running against, with the events it has reported so far. */
export interface LegUnderTest {
  readonly leg: TelephonyLeg;
  readonly log: EventLog;
}

/** A signal that never aborts, for operations the check does not mean to cancel. */
export function liveSignal(): AbortSignal {
  return new AbortController().signal;
}

export function abortedSignal(): AbortSignal {
  const controller = new AbortController();
  controller.abort(new Error('aborted by the conformance kit'));
  return controller.signal;
}

/**
 * What a check works with: the phone under test, its far-end driver, the legs it announced and
 * their event logs.
 */
export class ConformanceContext<P extends Phone = Phone> {
  private phoneOrUndefined: P | undefined;
  private readonly logs: EventLog[] = [];
  private readonly detached = new Set<TelephonyLeg>();
  /** Every leg the phone announced through onLeg during the check. */
  readonly announced: TelephonyLeg[] = [];
  private announcementWaiters: ((leg: TelephonyLeg) => void)[] = [];
  /** What the check last set out to do, for the message of a check that never finishes. */
  private doing = 'creating the phone';
  /** Set by clean-up: a phone created after it is closed at once. */
  private cleanedUp = false;

  constructor(readonly options: PhoneConformanceOptions<P>) {}

  get phone(): P {
    check(this.phoneOrUndefined, 'the phone was not created');
    return this.phoneOrUndefined;
  }

  get farEnd(): PhoneConformanceOptions<P>['farEnd'] {
    return this.options.farEnd;
  }

  get eventBeforeResolve(): boolean {
    return this.options.capabilities?.eventBeforeResolve ?? true;
  }

  has(operation: OptionalOperation): boolean {
    return (this.options.capabilities?.operations ?? ALL_OPTIONAL_OPERATIONS).includes(operation);
  }

  /** Where the check is: its last step and the events its legs are still waiting for. */
  get step(): string {
    const waits = this.logs.flatMap((log) => log.awaited().map((type) => `leg ${log.leg.id} waiting for ${type}`));
    return [`last step: ${this.doing}`, ...waits].join('; ');
  }

  async start(): Promise<void> {
    const phone = await this.options.createPhone();
    if (this.cleanedUp) {
      await phone.close();
      return;
    }
    this.phoneOrUndefined = phone;
    this.doing = 'the phone was created';
    this.phone.onLeg((leg) => {
      this.announced.push(leg);
      const waiters = this.announcementWaiters;
      this.announcementWaiters = [];
      for (const waiter of waiters) waiter(leg);
    });
  }

  /** Starts recording `leg`'s events (and checking its snapshot against each). */
  watch(leg: TelephonyLeg): LegUnderTest {
    const log = new EventLog(leg);
    this.logs.push(log);
    return { leg, log };
  }

  /** A new inbound call, RINGING, announced by the phone. */
  async ring(): Promise<LegUnderTest> {
    const before = this.announced.length;
    const announcement = this.nextAnnouncement(before);
    this.doing = 'the far end rings the phone (farEnd.ring)';
    const returned = await this.farEnd.ring(this.phone);
    this.doing = 'waiting for the phone to announce the ringing leg';
    const leg = returned ?? (await announcement);
    await this.announcedLeg(leg.id, before);
    const watched = this.watch(leg);
    this.doing = `leg ${leg.id} rang`;
    if (leg.snapshot().state !== 'RINGING') await watched.log.waitFor('ringing');
    return watched;
  }

  /** A call dialled through `phone.dial` (which the caller has checked is there), announced and watched. */
  async dial(): Promise<LegUnderTest & { readonly destination: string }> {
    const destination = this.farEnd.dialDestination ?? '2000';
    const before = this.announced.length;
    this.doing = `dialling ${destination}`;
    const leg = await this.phone.dial!(destination, liveSignal());
    this.doing = `waiting for the phone to announce the dialled leg ${leg.id}`;
    await this.announcedLeg(leg.id, before);
    this.doing = `dialled leg ${leg.id}`;
    return { ...this.watch(leg), destination };
  }

  /** A new inbound call, answered: TALKING. */
  async talking(): Promise<LegUnderTest> {
    const call = await this.ring();
    const mark = call.log.mark();
    this.doing = `answering leg ${call.leg.id}`;
    await call.leg.answer(liveSignal());
    this.doing = `answered leg ${call.leg.id}`;
    if (call.leg.snapshot().state !== 'TALKING') await call.log.waitFor('talking', mark);
    return call;
  }

  /** Marks a leg the check disposed: clean-up hangs it up from the far end. */
  markDisposed(leg: TelephonyLeg): void {
    this.detached.add(leg);
  }

  /** The problems the event logs found (snapshots that lag their events, bad ids). */
  problems(): string[] {
    return this.logs.flatMap((log) => log.problems);
  }

  /**
   * Ends every call the check made, then closes the phone. Never throws. A phone that does not
   * end its calls within `releaseBudgetMs` is closed all the same.
   */
  async cleanUp(releaseBudgetMs = 10_000): Promise<void> {
    this.cleanedUp = true;
    if (!this.phoneOrUndefined) return;
    const phone = this.phoneOrUndefined;
    const legs = new Set<TelephonyLeg>([...this.announced, ...this.logs.map((log) => log.leg)]);
    const endCalls = async (): Promise<void> => {
      for (const leg of legs) {
        try {
          if (this.detached.has(leg)) await this.farEnd.hangUp(phone, leg);
          else if (leg.snapshot().state !== 'RELEASED') await leg.release(liveSignal());
        } catch {
          // Clean-up is best effort; the check itself has already passed or failed.
        }
      }
    };
    await within(endCalls(), releaseBudgetMs, () => new Error('ending the calls overran')).catch(() => undefined);
    for (const log of this.logs) log.unsubscribe();
    try {
      if (this.options.closePhone) await this.options.closePhone(phone);
      else await phone.close();
    } catch {
      // As above.
    }
  }

  private nextAnnouncement(since: number): Promise<TelephonyLeg> {
    const already = this.announced[since];
    if (already) return Promise.resolve(already);
    return new Promise((resolve) => this.announcementWaiters.push(resolve));
  }

  /** Waits until the phone has announced the leg `id` through onLeg. */
  async announcedLeg(id: string, since = 0): Promise<TelephonyLeg> {
    for (;;) {
      const found = this.announced.slice(since).find((leg) => leg.id === id);
      if (found) return found;
      await new Promise<TelephonyLeg>((resolve) => this.announcementWaiters.push(resolve));
    }
  }
}
