/**
 * The local inspector: a page served from this process (127.0.0.1 by default, a port of its own
 * or the one given) that shows every leg's statechart, context and message timeline live. It works
 * with no network beyond loopback. Machine inspection events and recorded traffic both enter
 * through `emit`, the one path into the leg store.
 */
import type { InspectionEvent, Observer } from 'xstate';
import { LegStore } from './leg-store.js';
import type { LocalInspectionEvent } from './local-events.js';
import { legObserver } from './local-observer.js';
import { serveInspector } from './local-server.js';
import { MachineRegistry } from './machine-registry.js';
import { importOptional } from './optional-dependency.js';
import { toSafeJson } from './safe-json.js';
import { trafficDirection, type ConversationInspection, type TrafficRecord } from './types.js';

/** startLocalInspector's options; every one has a default. */
export interface LocalInspectorOptions {
  /** Default 127.0.0.1. Anything else exposes call details to the network: think first. */
  readonly host?: string;
  /** Default 0: a free port, reported in `url`. */
  readonly port?: number;
  /** Ended legs that stay viewable, newest kept. Default 20. */
  readonly historyLegs?: number;
  /** Timeline rows kept per leg, newest kept. Default 1000. */
  readonly timelineLimit?: number;
}

/** The running local inspector: its page URL, the inspection hooks for legs, and close(). */
export interface LocalInspector extends ConversationInspection {
  /** The page's address, e.g. http://127.0.0.1:40123/ */
  readonly url: string;
  /** Feeds one inspection event in; what observerFor and record do underneath. */
  emit(event: LocalInspectionEvent): void;
}

/**
 * Serves the local inspector page (127.0.0.1, a free port by default) and resolves once it
 * listens. Pass it as the bridge client's `inspect` option, or `inspector.observerFor(legId)` as a
 * destination's.
 * @throws {MissingOptionalDependencyError} (a rejection) when @viz-js/viz, which draws the
 * statecharts, is not installed.
 * @throws {RangeError} (a rejection) for a port or limit out of range.
 */
export async function startLocalInspector(options: LocalInspectorOptions = {}): Promise<LocalInspector> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const historyLegs = options.historyLegs ?? 20;
  const timelineLimit = options.timelineLimit ?? 1000;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`local inspector: port must be an integer from 0 to 65535`);
  }
  if (!Number.isInteger(historyLegs) || historyLegs < 0) {
    throw new RangeError('local inspector: historyLegs must be a whole number, 0 or more');
  }
  if (!Number.isInteger(timelineLimit) || timelineLimit < 1) {
    throw new RangeError('local inspector: timelineLimit must be a whole number, 1 or more');
  }
  // The page draws each statechart with Graphviz: say so now rather than on the first page load.
  await importOptional('@viz-js/viz', 'the local inspector');
  const store = new LegStore({ historyLegs, timelineLimit });
  const machines = new MachineRegistry();
  const server = await serveInspector(store, machines, host, port);

  const emit = (event: LocalInspectionEvent): void => {
    try {
      store.apply(event);
    } catch {
      // The inspector must never disturb a leg.
    }
  };

  return {
    url: server.url,
    emit,
    observerFor(legId: string): Observer<InspectionEvent> {
      return legObserver(legId, emit, (machine) => machines.keyOf(machine));
    },
    record(traffic: TrafficRecord): void {
      const direction = trafficDirection(traffic?.direction);
      if (!traffic || typeof traffic.leg !== 'string' || direction === undefined) return;
      emit({ type: 'cti.traffic', leg: traffic.leg, direction, message: toSafeJson(traffic.message) });
    },
    close: () => server.close(),
  };
}
