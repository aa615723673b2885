/**
 * Every message a destination sent, in order, with waits on it: a wait resolves with the first
 * message at or after its `since` index that matches, or rejects after its timeout or when the
 * outbox closes. Events can also be taken one by one (each is handed out once).
 */
import type { OutboundMessage } from '../../generated/types.js';
import type { EventMessage } from '../../generated/messages.js';
import { DriverStoppedError, DriverTimeoutError } from './errors.js';

interface Wait {
  readonly matches: (message: OutboundMessage, index: number) => boolean;
  readonly since: number;
  readonly awaited: string;
  /** Marks the message taken as it is handed over, so a second taker cannot get it too. */
  readonly claims: boolean;
  readonly resolve: (found: { message: OutboundMessage; index: number }) => void;
  readonly reject: (error: Error) => void;
  timer?: ReturnType<typeof setTimeout>;
}

export class Outbox {
  readonly messages: OutboundMessage[] = [];
  /** Indexes of events already handed out by `takeEvent`. */
  private readonly taken = new Set<number>();
  private waits: Wait[] = [];
  private closed = false;

  add(message: OutboundMessage): void {
    this.messages.push(message);
    const index = this.messages.length - 1;
    for (const wait of [...this.waits]) {
      if (index < wait.since || (wait.claims && this.taken.has(index)) || !wait.matches(message, index)) continue;
      if (wait.claims) this.taken.add(index);
      this.settle(wait, () => wait.resolve({ message, index }));
    }
  }

  /** The first message at or after `since` that matches, now or once it arrives. */
  waitFor(
    matches: (message: OutboundMessage, index: number) => boolean,
    awaited: string,
    timeoutMs: number,
    since = 0,
    claims = false,
  ): Promise<{ message: OutboundMessage; index: number }> {
    for (let index = since; index < this.messages.length; index++) {
      const message = this.messages[index]!;
      if ((claims && this.taken.has(index)) || !matches(message, index)) continue;
      if (claims) this.taken.add(index);
      return Promise.resolve({ message, index });
    }
    if (this.closed) return Promise.reject(new DriverStoppedError(awaited));
    return new Promise((resolve, reject) => {
      const wait: Wait = { matches, since, awaited, claims, resolve, reject };
      wait.timer = setTimeout(() => this.settle(wait, () => reject(new DriverTimeoutError(awaited, timeoutMs))), timeoutMs);
      this.waits.push(wait);
    });
  }

  /** The oldest event not yet taken whose name passes `named`; marks it taken. */
  async takeEvent(named: (name: string) => boolean, awaited: string, timeoutMs: number): Promise<EventMessage> {
    const { message } = await this.waitFor((message) => message.header.type === 'cti.event' && named(message.header.name), awaited, timeoutMs, 0, true);
    return message as EventMessage;
  }

  /** Rejects every pending wait; later waits reject at once unless already satisfied. */
  close(): void {
    this.closed = true;
    for (const wait of [...this.waits]) this.settle(wait, () => wait.reject(new DriverStoppedError(wait.awaited)));
  }

  private settle(wait: Wait, action: () => void): void {
    if (!this.waits.includes(wait)) return;
    clearTimeout(wait.timer);
    this.waits = this.waits.filter((other) => other !== wait);
    action();
  }
}
