/**
 * The local inspector's memory: one view per leg, built only from inspection events. Live legs
 * stay until they end; of the ended ones the last `historyLegs` stay viewable. Each timeline keeps
 * its last `timelineLimit` rows, so a long call cannot grow without bound.
 */
import { activePaths } from './machine-graph.js';
import type { LegDetail, LegSummary, LocalInspectionEvent, PageUpdate, TimelineEntry } from './local-events.js';
import { trafficName, trafficTarget } from './traffic-summary.js';

interface LegRecord {
  legId: string;
  target?: string;
  status: 'live' | 'ended';
  sessionId?: string;
  machineKey?: string;
  value: unknown;
  active: string[];
  leaves: string[];
  /** The call as the context tells it (`call.HELD`, `call.muted`), for machines that keep it there. */
  callMarks: string[];
  context: unknown;
  timeline: TimelineEntry[];
  /** The machine event still waiting for the snapshot that tells what it did. */
  pendingEvent?: TimelineEntry;
}

export interface LegStoreOptions {
  readonly historyLegs: number;
  readonly timelineLimit: number;
}

export class LegStore {
  private readonly legs = new Map<string, LegRecord>();
  private readonly ended: string[] = [];
  private readonly listeners = new Set<(update: PageUpdate) => void>();
  private seq = 0;
  private turn = 0;
  private turnOpen = false;

  constructor(private readonly options: LegStoreOptions) {}

  onUpdate(listener: (update: PageUpdate) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  summaries(): LegSummary[] {
    return [...this.legs.values()].map(summary);
  }

  detail(legId: string): LegDetail | undefined {
    const leg = this.legs.get(legId);
    if (!leg) return undefined;
    return { ...summary(leg), value: leg.value, active: leg.active, context: leg.context, timeline: leg.timeline };
  }

  apply(event: LocalInspectionEvent): void {
    this.openTurn();
    const leg = this.legFor(event.leg);
    switch (event.type) {
      case '@xstate.actor':
        if (leg.sessionId !== undefined && leg.sessionId !== event.sessionId) this.revive(leg);
        leg.sessionId = event.sessionId;
        leg.machineKey = event.machineKey;
        this.publish({ type: 'leg', leg: summary(leg) });
        return;
      case '@xstate.event': {
        const entry = this.entry(leg, { kind: 'event', name: event.eventType, message: event.event });
        leg.pendingEvent = entry;
        return;
      }
      case '@xstate.snapshot':
        this.snapshot(leg, event);
        return;
      case 'cti.traffic': {
        const { name, detail } = trafficName(event.message);
        this.entry(leg, {
          kind: 'traffic',
          direction: event.direction,
          name,
          ...(detail !== undefined ? { detail } : {}),
          message: event.message,
        });
        const target = trafficTarget(event.message);
        if (target !== undefined && target !== leg.target) {
          leg.target = target;
          this.publish({ type: 'leg', leg: summary(leg) });
        }
        return;
      }
    }
  }

  private snapshot(leg: LegRecord, event: LocalInspectionEvent & { type: '@xstate.snapshot' }): void {
    const active = activePaths(event.value);
    const leaves = leafPaths(active);
    // A machine with a `call` region already lists its call state among the leaves.
    const callMarks = callMarksOf(event.context).filter((mark) => !leaves.includes(mark));
    const pending = leg.pendingEvent;
    leg.pendingEvent = undefined;
    if (pending) {
      const before = [...leg.leaves, ...leg.callMarks];
      const after = [...leaves, ...callMarks];
      const from = before.filter((path) => !after.includes(path));
      const to = after.filter((path) => !before.includes(path));
      if (from.length > 0 || to.length > 0) {
        pending.transition = { from, to };
        this.publish({ type: 'entry', legId: leg.legId, entry: pending });
      }
    }
    const contextTarget = (event.context as { target?: unknown } | undefined)?.target;
    const targetChanged = typeof contextTarget === 'string' && contextTarget !== leg.target;
    if (targetChanged) leg.target = contextTarget as string;
    const leavesChanged = [...leaves, ...callMarks].join('\n') !== [...leg.leaves, ...leg.callMarks].join('\n');
    leg.callMarks = callMarks;
    leg.value = event.value;
    leg.active = active;
    leg.leaves = leaves;
    leg.context = event.context;
    this.publish({ type: 'state', legId: leg.legId, value: leg.value, active, leaves, call: callMarks, context: leg.context });
    if (event.status !== 'active' && leg.status === 'live') this.end(leg);
    else if (leavesChanged || targetChanged) this.publish({ type: 'leg', leg: summary(leg) });
  }

  private entry(leg: LegRecord, fields: Omit<TimelineEntry, 'seq' | 'turn' | 'at'>): TimelineEntry {
    const entry: TimelineEntry = { seq: ++this.seq, turn: this.turn, at: Date.now(), ...fields };
    leg.timeline.push(entry);
    if (leg.timeline.length > this.options.timelineLimit) leg.timeline.splice(0, leg.timeline.length - this.options.timelineLimit);
    this.publish({ type: 'entry', legId: leg.legId, entry });
    return entry;
  }

  private legFor(legId: string): LegRecord {
    let leg = this.legs.get(legId);
    if (!leg) {
      leg = { legId, status: 'live', value: undefined, active: [], leaves: [], callMarks: [], context: undefined, timeline: [] };
      this.legs.set(legId, leg);
      this.publish({ type: 'leg', leg: summary(leg) });
    }
    return leg;
  }

  private end(leg: LegRecord): void {
    leg.status = 'ended';
    this.ended.push(leg.legId);
    this.publish({ type: 'leg', leg: summary(leg) });
    while (this.ended.length > this.options.historyLegs) {
      const forgotten = this.ended.shift() as string;
      this.legs.delete(forgotten);
      this.publish({ type: 'forget', legId: forgotten });
    }
  }

  /** A new actor for a leg id seen before: the leg is live again and keeps its timeline. */
  private revive(leg: LegRecord): void {
    if (leg.status === 'ended') {
      leg.status = 'live';
      this.ended.splice(this.ended.indexOf(leg.legId), 1);
    }
  }

  /** Rows recorded in one synchronous run share a turn: a message and what it set off. */
  private openTurn(): void {
    if (this.turnOpen) return;
    this.turnOpen = true;
    this.turn += 1;
    queueMicrotask(() => {
      this.turnOpen = false;
    });
  }

  private publish(update: PageUpdate): void {
    for (const listener of this.listeners) {
      try {
        listener(update);
      } catch {
        // A page that cannot take an update must not stop the others (or the leg).
      }
    }
  }
}

function summary(leg: LegRecord): LegSummary {
  return {
    legId: leg.legId,
    ...(leg.target !== undefined ? { target: leg.target } : {}),
    status: leg.status,
    leaves: leg.leaves,
    call: leg.callMarks,
    ...(leg.machineKey !== undefined ? { machineKey: leg.machineKey } : {}),
  };
}

/** `call.<STATE>` and `call.muted` from a context shown by conversationView. */
function callMarksOf(context: unknown): string[] {
  if (!context || typeof context !== 'object') return [];
  const { 'call state': state, muted } = context as Record<string, unknown>;
  if (typeof state !== 'string') return [];
  return muted === true ? [`call.${state}`, 'call.muted'] : [`call.${state}`];
}

/** The active paths no other active path lies under: the atomic states. */
function leafPaths(active: readonly string[]): string[] {
  const under = (other: string, path: string): boolean =>
    path === '' ? other !== '' : other.startsWith(`${path}.`);
  return active.filter((path) => !active.some((other) => under(other, path)));
}
