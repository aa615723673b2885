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

/** One message on the wire or from the phone, tied to the leg it concerns. */
export interface TrafficRecord {
  /** The leg id (the last segment of the target). */
  readonly leg: string;
  readonly direction: TrafficDirection;
  /** A wire message (`{ header, body }`), a phone event (`{ type, ... }`) or an operation. */
  readonly message: unknown;
}

export interface ConversationInspection {
  /** The observer to pass as `inspect` to createConversationDestination for this leg. */
  observerFor(legId: string): Observer<InspectionEvent>;
  /** Records wire or phone traffic as an inspection event of the leg. Never throws. */
  record(traffic: TrafficRecord): void;
  /** Stops sending; releases sockets and ports. */
  close(): Promise<void>;
}
