/**
 * The destination driver: one conversation destination in process, driven the way a bridge would
 * drive it, with promises instead of frames and polling. `request('hold')` builds the catalogue's
 * request (generated/builders.ts), hands it to the destination and resolves with its response;
 * `nextEvent('held')` resolves with the next event of that name; `events()` iterates them. Every
 * wait has a timeout.
 */
import type { EventName } from '../../generated/catalogue.js';
import type { InboundMessage, OutboundMessage } from '../../generated/types.js';
import type { EventMessage, EventOf, ResponseOf } from '../../generated/messages.js';
import { buildInbound, type InboundBodyOf, type InboundNameOf, type InboundShortName } from '../../generated/builders.js';
import {
  createConversationDestination,
  type ConversationDestination,
  type ConversationDestinationOptions,
} from '../destination/index.js';
import { Outbox } from './outbox.js';

/** An event's name without the leading `conversation.`: `'held'`, `'transfer.failed'`. */
export type EventShortName = EventName extends `conversation.${infer S}` ? S : never;
/** The full event name for a full or short one. */
export type EventNameOf<N extends EventName | EventShortName> = N extends EventName ? N : `conversation.${N}` & EventName;

/** How long one wait may take. */
export interface WaitOptions {
  /** Milliseconds before the wait rejects with DriverTimeoutError; default the driver's `timeoutMs`. */
  readonly timeoutMs?: number;
}

/**
 * createDestinationDriver's options: the destination's own (leg, timeouts, onDiagnostic, inspect,
 * …) plus the target, the default wait and an extra `send`.
 */
export interface DestinationDriverOptions extends Omit<ConversationDestinationOptions, 'send' | 'target'> {
  /** The bridge's address for the leg; default `DRIVER.${leg.id}`. */
  readonly target?: string;
  /** Default timeout of every wait, in ms; default 15 000 (above the default 10 s operation deadline). */
  readonly timeoutMs?: number;
  /** Also receives every message the destination sends (after the driver recorded it). */
  readonly send?: (message: OutboundMessage) => void;
}

/** The response type for the query or request with this short name. */
export type ResponseFor<S extends InboundShortName> = ResponseOf<InboundNameOf<S>>;
/** `request()`'s arguments after the name: the body when the request has one, then wait options. */
export type RequestArguments<S extends InboundShortName> = {} extends InboundBodyOf<S>
  ? [body?: InboundBodyOf<S>, options?: WaitOptions]
  : [body: InboundBodyOf<S>, options?: WaitOptions];

/** A destination driven in process with promises; see createDestinationDriver. */
export interface DestinationDriver {
  /** The destination driven; its `receive` can still be given frames of your own. */
  readonly destination: ConversationDestination;
  readonly target: string;
  /** Every message the destination sent, in order. */
  readonly sent: readonly OutboundMessage[];
  /**
   * Sends the query or request with this short name (`'init'`, `'answer'`, `'hold'`, …) and
   * resolves with its response, SUCCESS or FAILURE (a FAILURE is an answer, not an error).
   * @throws {DriverTimeoutError} (a rejection) when no response comes within the timeout.
   * @throws {DriverStoppedError} (a rejection) when the driver is stopped first.
   * @example
   *   const held = await driver.request('hold');
   *   if (held.header.result !== 'SUCCESS') console.log(held.header.errorMessage);
   *   await driver.request('transfer', { destination: '+15550100' });
   */
  request<S extends InboundShortName>(name: S, ...args: RequestArguments<S>): Promise<ResponseFor<S>>;
  /** Hands a query or request of your own to the destination and resolves with its response. */
  send<M extends InboundMessage>(message: M, options?: WaitOptions): Promise<ResponseOf<M['header']['name']>>;
  /**
   * The oldest event not handed out yet (with this name, full or short, when one is given); each
   * event is handed out once, by this or by `events()`.
   * @throws {DriverTimeoutError} (a rejection) when none comes within the timeout.
   */
  nextEvent(options?: WaitOptions): Promise<EventMessage>;
  nextEvent<N extends EventName | EventShortName>(name: N, options?: WaitOptions): Promise<EventOf<EventNameOf<N>>>;
  /**
   * The events as they come, each handed out once; ends when the driver stops.
   * @throws {DriverTimeoutError} from the loop when the next event takes longer than the timeout.
   * @example for await (const event of driver.events()) if (event.header.name === 'conversation.ended') break;
   */
  events(options?: WaitOptions): AsyncIterableIterator<EventMessage>;
  /** The first message sent at or after index `since` (see `sent.length`) that matches. */
  waitFor(matches: (message: OutboundMessage) => boolean, options?: WaitOptions & { readonly since?: number; readonly awaited?: string }): Promise<OutboundMessage>;
  /** Stops the destination (see its `stop()`) and rejects every pending wait. Idempotent. */
  stop(): void;
}

const fullEventName = (name: string): string => (name.startsWith('conversation.') ? name : `conversation.${name}`);

/**
 * Creates a destination over `options.leg` and a driver for it. Request ids are `driver-1`,
 * `driver-2`, … Never throws beyond what `createConversationDestination` throws.
 * @example
 *   const driver = createDestinationDriver({ leg: new SimulatedPhone().ring({ number: '+15551230001' }) });
 *   await driver.request('init');
 *   await driver.request('answer');
 *   await driver.nextEvent('talking');
 */
export function createDestinationDriver(options: DestinationDriverOptions): DestinationDriver {
  const { timeoutMs: defaultTimeout = 15_000, send: alsoSend, target: chosenTarget, ...destinationOptions } = options;
  const target = chosenTarget ?? `DRIVER.${String(options.leg.id)}`;
  const outbox = new Outbox();
  let nextId = 1;
  let stopped = false;
  const destination = createConversationDestination({
    ...destinationOptions,
    target,
    send: (message) => {
      outbox.add(message);
      alsoSend?.(message);
    },
  });
  const timeout = (wait?: WaitOptions): number => wait?.timeoutMs ?? defaultTimeout;

  const send = async <M extends InboundMessage>(message: M, wait?: WaitOptions): Promise<ResponseOf<M['header']['name']>> => {
    const { requestId, name } = message.header;
    const since = outbox.messages.length;
    const response = outbox.waitFor(
      (sent) => sent.header.type === 'cti.response' && sent.header.requestId === requestId,
      `response to ${name} (requestId ${requestId})`,
      timeout(wait),
      since,
    );
    destination.receive(message);
    return (await response).message as ResponseOf<M['header']['name']>;
  };

  const driver: DestinationDriver = {
    destination,
    target,
    sent: outbox.messages,
    request(name, ...args) {
      const [body, wait] = args as [unknown, WaitOptions | undefined];
      const build = buildInbound[name] as (target: string, requestId: string, body?: unknown) => InboundMessage;
      return send(build(target, `driver-${nextId++}`, body ?? {}), wait) as never;
    },
    send,
    nextEvent(nameOrOptions?: string | WaitOptions, wait?: WaitOptions) {
      if (typeof nameOrOptions === 'string') {
        const full = fullEventName(nameOrOptions);
        return outbox.takeEvent((name) => name === full, `${full} event`, timeout(wait)) as never;
      }
      return outbox.takeEvent(() => true, 'event', timeout(nameOrOptions));
    },
    async *events(wait) {
      while (!stopped) {
        try {
          yield await outbox.takeEvent(() => true, 'event', timeout(wait));
        } catch (error) {
          if (stopped) return;
          throw error;
        }
      }
    },
    async waitFor(matches, wait) {
      const found = await outbox.waitFor(matches, wait?.awaited ?? 'matching message', timeout(wait), wait?.since ?? 0);
      return found.message;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      destination.stop();
      outbox.close();
    },
  };
  return driver;
}
