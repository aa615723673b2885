/**
 * The Stately transport: every leg's inspection events go through @statelyai/inspect's inspector
 * (createInspector: its event format, conversion and serialisation) and a WebSocket to a URL (a
 * Stately inspector relay such as `@statelyai/inspect/server`, or any WebSocket receiver). The
 * socket is our own (stately-socket.ts): the package's createWebSocketInspector cannot be stopped
 * while its URL is unreachable. Nothing is created unless this is called, so an uninspected process pays nothing.
 * Recorded wire and phone traffic goes through the same inspector, as events between the leg's
 * actor and two named stand-ins, "bridge" and "phone".
 */
import { importOptional } from './optional-dependency.js';
import type { AnyEventObject, InspectionEvent, MachineContext, Observer } from 'xstate';
import { conversationView } from './conversation-view.js';
import { toSafeJson } from './safe-json.js';
import { StatelySocketAdapter } from './stately-socket.js';
import { trafficName } from './traffic-summary.js';
import { trafficDirection, type ConversationInspection, type TrafficRecord } from './types.js';

/**
 * Where createStatelyInspection sends events when given no URL: a Stately inspector relay on this
 * machine.
 */
export const DEFAULT_STATELY_URL = 'ws://127.0.0.1:8080';

/**
 * The running Stately transport: the observers to inspect legs with, record() for traffic,
 * close().
 */
export interface StatelyInspection extends ConversationInspection {
  /** One observer for every leg; the inspector tells legs apart by their actors' session ids. */
  readonly inspect: Observer<InspectionEvent>;
  readonly url: string;
  /** Same as close(), without waiting. */
  stop(): void;
}

type StatelyInspectModule = typeof import('@statelyai/inspect');

/**
 * Starts sending every leg's inspection events to a Stately inspector at `url` (a WebSocket relay).
 * Pass `inspection.observerFor(legId)` (or `inspect`) as a destination's `inspect` option, or the
 * whole inspection as the bridge client's `inspect` option; `close()` flushes and stops.
 * Loads @statelyai/inspect on the first call.
 * @param url ws:// or wss:// address; default `DEFAULT_STATELY_URL` (ws://127.0.0.1:8080).
 * @throws {TypeError} (a rejection) when `url` is not a ws:// or wss:// URL.
 * @throws {MissingOptionalDependencyError} (a rejection) when @statelyai/inspect is not installed.
 */
export async function createStatelyInspection(url: string = DEFAULT_STATELY_URL): Promise<StatelyInspection> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('stately inspection: the URL is not a valid URL (expected ws://host:port or wss://…)');
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new TypeError(`stately inspection: the URL must start with ws:// or wss://, not ${parsed.protocol}//`);
  }
  const { createInspector } = await importOptional<StatelyInspectModule>('@statelyai/inspect', 'Stately inspection');
  const socket = new StatelySocketAdapter({ url });
  const inspector = createInspector(socket, {
    // Plain JSON of bounded size, DTMF digits masked; the conversation's context read as a call.
    sanitizeEvent: (event) => toSafeJson(event) as AnyEventObject,
    sanitizeContext: (context) => toSafeJson(conversationView(context)) as MachineContext,
  });
  inspector.start();
  const sessions = new Map<string, string>();
  const standIns = new Set<string>();
  let stopped = false;

  const standIn = (name: 'bridge' | 'phone'): string => {
    if (!standIns.has(name)) {
      standIns.add(name);
      inspector.actor(name, { status: 'active', context: {} });
    }
    return name;
  };

  const forward = (inspection: InspectionEvent): void => {
    if (!stopped) inspector.inspect.next?.(inspection);
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    inspector.stop();
  };

  return {
    url,
    inspect: { next: forward },
    observerFor(legId: string): Observer<InspectionEvent> {
      return {
        next(inspection) {
          const actor = inspection.actorRef as { sessionId: string; _parent?: unknown };
          if (actor._parent === undefined) {
            // Known while the actor runs; forgotten when it stops, so a long run does not pile up legs.
            const status = inspection.type === '@xstate.snapshot' ? (inspection.snapshot as { status?: string }).status : 'active';
            if (status === 'active') sessions.set(legId, actor.sessionId);
            else sessions.delete(legId);
          }
          forward(inspection);
        },
      };
    },
    record(traffic: TrafficRecord): void {
      const direction = trafficDirection(traffic?.direction);
      if (stopped || !traffic || typeof traffic.leg !== 'string' || direction === undefined) return;
      const leg = sessions.get(traffic.leg) ?? `leg:${traffic.leg}`;
      const message = toSafeJson(traffic.message);
      const event = { type: `${direction} ${trafficName(message).name}`, direction, message };
      // The inspector sends XState's own events one timer tick late; so do we, to keep their order.
      setTimeout(() => {
        if (stopped) return;
        try {
          switch (direction) {
            case 'bridge->client':
              inspector.event(leg, event, { source: standIn('bridge') });
              break;
            case 'phone->client':
              inspector.event(leg, event, { source: standIn('phone') });
              break;
            case 'client->bridge':
              inspector.event(standIn('bridge'), event, { source: leg });
              break;
            case 'client->phone':
              inspector.event(standIn('phone'), event, { source: leg });
              break;
          }
        } catch {
          // Inspection must never disturb the leg.
        }
      }, 0);
    },
    stop,
    async close(): Promise<void> {
      // Let the events already handed over (sent one tick late) go out first.
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      // …and what waits for the socket to open, unless the connection fails.
      await socket.flush();
      stop();
    },
  };
}
