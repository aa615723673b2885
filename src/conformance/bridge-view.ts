/**
 * A destination over the leg under test, as the bridge sees it: the kit plays the bridge through
 * the destination driver (src/driver/), keeps every message the destination sends, checks each
 * against the generated outbound validator and waits for the ones it expects.
 */
import { buildInboundMessage } from '../../generated/builders.js';
import type { InboundMessageName } from '../../generated/catalogue.js';
import { validateOutbound } from '../../generated/validators.js';
import type { ConversationDestination } from '../destination/index.js';
import { createDestinationDriver, type DestinationDriver } from '../driver/index.js';
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

/** A check waits as long as a real phone may take; the test runner's own timeout comes first. */
const WAIT_MS = 120_000;

export class BridgeView {
  readonly problems: string[] = [];
  readonly destination: ConversationDestination;
  readonly target: string;
  private readonly driver: DestinationDriver;
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
    this.driver = createDestinationDriver({
      leg: watched,
      target: this.target,
      timeoutMs: WAIT_MS,
      send: (message) => this.check(message as unknown as BridgeMessage),
    });
    this.destination = this.driver.destination;
  }

  /** Every message the destination sent, in order. */
  get messages(): readonly BridgeMessage[] {
    return this.driver.sent as unknown as readonly BridgeMessage[];
  }

  /** Sends a query or request and resolves with its response. */
  async ask(name: InboundMessageName, body: Record<string, unknown> = {}): Promise<BridgeMessage> {
    const message = buildInboundMessage(name, this.target, `conformance-${this.nextRequest++}`, body as never);
    return (await this.driver.send(message)) as unknown as BridgeMessage;
  }

  /** Resolves with the first message at or after `since` that `matches`. */
  async waitFor(matches: (message: BridgeMessage) => boolean, since = 0): Promise<BridgeMessage> {
    const found = await this.driver.waitFor((message) => matches(message as unknown as BridgeMessage), { since });
    return found as unknown as BridgeMessage;
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

  private check(message: BridgeMessage): void {
    const checked = validateOutbound(message);
    if (!checked.ok) {
      const first = checked.errors[0];
      this.problems.push(`the destination sent a ${message.header.name} that fails the catalogue at ${first?.path}: ${first?.message}`);
    }
  }
}
