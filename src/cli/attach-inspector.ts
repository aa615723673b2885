/**
 * Wires --inspect to the inspectors of src/inspector (issue 6): `local` serves the inspector page
 * on 127.0.0.1, `stately` feeds Stately's WebSocket inspector. Each leg's destination gets the
 * inspection's observer for that leg, and the wire and phone traffic is recorded through the same
 * inspection, so the page's timeline shows which message moved the machine.
 */
import type { BridgeClientOptions, ClientDestination, ClientDestinationOptions } from '../client/index.js';
import { createConversationDestination } from '../destination/index.js';
import {
  createStatelyInspection,
  DEFAULT_STATELY_URL,
  startLocalInspector,
  type ConversationInspection,
} from '../inspector/index.js';
import type { InspectChoice } from './inspect-flag.js';
import type { PhoneTrace } from './traced-phone.js';

export interface AttachedInspector {
  readonly inspection: ConversationInspection;
  /** What to print: the local page's address or the Stately URL events go to. */
  readonly url: string;
  /** True for the local page: the process stays up after its work, until Ctrl-C. */
  readonly staysUp: boolean;
  /** Client options that give each destination its observer and record the wire traffic. */
  clientOptions(
    onTraffic?: BridgeClientOptions['onTraffic'],
  ): Pick<BridgeClientOptions, 'createDestination' | 'onTraffic'>;
  /** Records what the traced phone saw. */
  recordPhone(entry: PhoneTrace): void;
  close(): Promise<void>;
}

export async function attachInspector(choice: InspectChoice | undefined): Promise<AttachedInspector | undefined> {
  if (choice === undefined) return undefined;
  const inspection: ConversationInspection & { readonly url: string } =
    choice.kind === 'local' ? await startLocalInspector() : await createStatelyInspection(choice.url ?? DEFAULT_STATELY_URL);
  const url = inspection.url;
  return {
    inspection,
    url,
    staysUp: choice.kind === 'local',
    clientOptions(onTraffic) {
      return {
        createDestination: (options: ClientDestinationOptions): ClientDestination =>
          createConversationDestination({
            ...(options as unknown as Parameters<typeof createConversationDestination>[0]),
            inspect: inspection.observerFor(options.leg.id),
          }) as unknown as ClientDestination,
        onTraffic: (entry) => {
          const target = (entry.message as { header?: { target?: unknown } } | null)?.header?.target;
          if (typeof target === 'string') {
            inspection.record({
              leg: target.split('.').pop() ?? target,
              direction: entry.direction === 'bridge→client' ? 'bridge->client' : 'client->bridge',
              message: entry.message,
            });
          }
          onTraffic?.(entry);
        },
      };
    },
    recordPhone(entry) {
      inspection.record({
        leg: entry.leg,
        direction: entry.dir === 'client→phone' ? 'client->phone' : 'phone->client',
        message: entry.dir === 'client→phone' ? { operation: entry.op, args: entry.args ?? [] } : entry.event,
      });
    },
    close: () => inspection.close(),
  };
}
