/** What both inspectors (Stately transport and the local page) offer the code that runs legs. */
import type { InspectionEvent, Observer } from 'xstate';

/** Which way a recorded message went, seen from this client. */
export type TrafficDirection = 'bridge->client' | 'client->bridge' | 'phone->client' | 'client->phone';

export const TRAFFIC_DIRECTIONS: readonly TrafficDirection[] = [
  'bridge->client',
  'client->bridge',
  'phone->client',
  'client->phone',
];

/**
 * The direction as given, with the transcript's arrow (`bridge→client`, as the bridge client's
 * onTraffic and the examples spell it) taken as `->`; undefined when it is none of the four.
 */
export function trafficDirection(direction: unknown): TrafficDirection | undefined {
  const ascii = typeof direction === 'string' ? direction.replace('→', '->') : undefined;
  return TRAFFIC_DIRECTIONS.find((known) => known === ascii);
}

/** One message on the wire or from the phone, tied to the leg it concerns. */
export interface TrafficRecord {
  /** The leg id (the last segment of the target). */
  readonly leg: string;
  /** Also accepted with the arrow `→` (`bridge→client`). */
  readonly direction: TrafficDirection | `${string}→${string}`;
  /** A wire message (`{ header, body }`), a phone event (`{ type, ... }`) or an operation. */
  readonly message: unknown;
}

/**
 * What both inspectors offer: an observer per leg for its machine, record() for wire and phone
 * traffic, and close().
 */
export interface ConversationInspection {
  /** The observer to pass as `inspect` to createConversationDestination for this leg. */
  observerFor(legId: string): Observer<InspectionEvent>;
  /** Records wire or phone traffic as an inspection event of the leg. Never throws. */
  record(traffic: TrafficRecord): void;
  /** Stops sending; releases sockets and ports. */
  close(): Promise<void>;
}
