/**
 * An XState inspection observer for one leg: it keeps the leg's root actor (child actors, such as
 * an operation in flight, show up as that actor's events and context) and turns each of its
 * inspection events into a local inspection event at once, so they keep their order with the
 * traffic recorded around them. (@statelyai/inspect's createInspector defers each event with
 * setTimeout(0), which would put them after the messages they caused.)
 */
import type { AnyActorRef, AnyStateMachine, InspectionEvent, Observer } from 'xstate';
import type { LocalInspectionEvent } from './local-events.js';
import { conversationView } from './conversation-view.js';
import { toSafeJson } from './safe-json.js';

export function legObserver(
  legId: string,
  emit: (event: LocalInspectionEvent) => void,
  machineKeyOf: (machine: AnyStateMachine) => string | undefined,
): Observer<InspectionEvent> {
  return {
    next(inspection) {
      try {
        const converted = convert(legId, inspection, machineKeyOf);
        if (converted) emit(converted);
      } catch {
        // Inspection must never disturb the leg it watches.
      }
    },
  };
}

function convert(
  leg: string,
  inspection: InspectionEvent,
  machineKeyOf: (machine: AnyStateMachine) => string | undefined,
): LocalInspectionEvent | undefined {
  const actor = inspection.actorRef as AnyActorRef;
  if (!isRoot(inspection)) return undefined;
  const sessionId = actor.sessionId;
  switch (inspection.type) {
    case '@xstate.actor': {
      const logic = (actor as { logic?: unknown }).logic;
      const machineKey = isMachine(logic) ? machineKeyOf(logic) : undefined;
      return machineKey === undefined ? undefined : { type: '@xstate.actor', leg, sessionId, machineKey };
    }
    case '@xstate.event':
      return {
        type: '@xstate.event',
        leg,
        sessionId,
        eventType: String(inspection.event.type),
        event: toSafeJson(inspection.event),
      };
    case '@xstate.snapshot': {
      const snapshot = inspection.snapshot as { status?: string; value?: unknown; context?: unknown };
      return {
        type: '@xstate.snapshot',
        leg,
        sessionId,
        status: snapshot.status ?? 'active',
        value: toSafeJson(snapshot.value),
        context: toSafeJson(conversationView(snapshot.context, snapshot.value)),
      };
    }
    default:
      return undefined;
  }
}

function isRoot(inspection: InspectionEvent): boolean {
  const actor = inspection.actorRef as { sessionId: string; _parent?: unknown };
  return actor._parent === undefined && (inspection.rootId === undefined || inspection.rootId === actor.sessionId);
}

function isMachine(logic: unknown): logic is AnyStateMachine {
  return !!logic && typeof logic === 'object' && 'root' in logic && 'config' in logic;
}
