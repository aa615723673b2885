/**
 * A destination over the leg under test, as the bridge sees it: the kit plays the bridge, keeps
 * every message the destination sends, checks each against the generated outbound validator and
 * waits for the ones it expects.
 */
import { validateOutbound } from '../../generated/validators.js';
import { createConversationDestination, type ConversationDestination } from '../destination/index.js';
import type { TelephonyLeg } from '../phone/types.js';

export interface BridgeMessage {
  readonly header: {
    readonly type: string;
    readonly name: string;
    readonly target: string;
    readonly requestId?: string;
    readonly result?: string;
    readonly errorMessage?: string;
  };
  readonly body: Readonly<Record<string, unknown>>;
}

interface Waiter {
  readonly matches: (message: BridgeMessage) => boolean;
  readonly since: number;
  readonly resolve: (message: BridgeMessage) => void;
}

export class BridgeView {
  readonly messages: BridgeMessage[] = [];
  readonly problems: string[] = [];
  readonly destination: ConversationDestination;
  readonly target: string;
  private waiters: Waiter[] = [];
  private nextRequest = 1;
  /** Resolves with the promise the leg's dispose() returned, once the destination called it. */
  readonly legDisposed: Promise<Promise<void>>;

  constructor(leg: TelephonyLeg) {
    this.target = `PB1.CONFORMANCE.TEL.I-1.${leg.id}`;
    let disposed!: (result: Promise<void>) => void;
    this.legDisposed = new Promise((resolve) => (disposed = resolve));
    // The destination sees the leg through a wrapper only so the kit can await its dispose().
    const watched = new Proxy(leg, {
      get: (target, key) => {
        if (key === 'dispose') {
          return () => {
            const result = Promise.resolve(target.dispose());
            disposed(result);
            return result;
          };
        }
        const value: unknown = Reflect.get(target, key, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    this.destination = createConversationDestination({
      leg: watched,
      target: this.target,
      send: (message) => this.record(message as unknown as BridgeMessage),
    });
  }

  /** Sends a query or request and resolves with its response. */
  ask(name: string, body: Record<string, unknown> = {}): Promise<BridgeMessage> {
    const requestId = `conformance-${this.nextRequest++}`;
    const since = this.messages.length;
    const type = name.startsWith('conversation.query.') ? 'cti.query' : 'cti.request';
    const response = this.waitFor((message) => message.header.type === 'cti.response' && message.header.requestId === requestId, since);
    this.destination.receive({ header: { type, name, target: this.target, requestId }, body });
    return response;
  }

  /** Resolves with the first message at or after `since` that `matches`. */
  waitFor(matches: (message: BridgeMessage) => boolean, since = 0): Promise<BridgeMessage> {
    const found = this.messages.slice(since).find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.waiters.push({ matches, since, resolve }));
  }

  waitForEvent(name: string, since = 0): Promise<BridgeMessage> {
    return this.waitFor((message) => message.header.type === 'cti.event' && message.header.name === name, since);
  }

  /** The short names of the events sent at or after `since`, in order. */
  events(since = 0): string[] {
    return this.messages
      .slice(since)
      .filter((message) => message.header.type === 'cti.event')
      .map((message) => message.header.name.replace(/^conversation\./, ''));
  }

  mark(): number {
    return this.messages.length;
  }

  private record(message: BridgeMessage): void {
    const checked = validateOutbound(message);
    if (!checked.ok) {
      const first = checked.errors[0];
      this.problems.push(`the destination sent a ${message.header.name} that fails the catalogue at ${first?.path}: ${first?.message}`);
    }
    this.messages.push(message);
    const index = this.messages.length - 1;
    const ready = this.waiters.filter((waiter) => waiter.since <= index && waiter.matches(message));
    this.waiters = this.waiters.filter((waiter) => !ready.includes(waiter));
    for (const waiter of ready) waiter.resolve(message);
  }
}
