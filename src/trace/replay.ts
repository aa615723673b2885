/**
 * Replay: every leg of a trace is rebuilt (a ReplayLeg and a fresh destination with the recorded
 * settings), the recorded inputs (frames from the bridge, phone events, operation outcomes,
 * connection drops) are fed in recorded order on XState's SimulatedClock set to each line's time,
 * and every message the destination sends and every operation it starts is compared, in order,
 * with the recorded one. The first difference stops the replay.
 */
import { isDeepStrictEqual } from 'node:util';
import { SimulatedClock } from 'xstate';
import { createConversationDestination, type ConversationDestination, type ConversationDestinationOptions } from '../destination/index.js';
import type { TraceEntry } from './format.js';
import type { ParsedTrace, TracedEntry } from './read.js';
import { ReplayLeg, type RecordedSnapshot } from './replay-leg.js';

/** What a destination did, as the replay saw it. */
export type ReplayOutput =
  | { readonly kind: 'frame.out'; readonly leg: string; readonly frame: unknown }
  | { readonly kind: 'operation.started'; readonly leg: string; readonly opId: number; readonly operation: string; readonly args: readonly string[] };

/**
 * Where a replay stopped: the recorded output it did not reproduce and what it did instead (one
 * of them may be missing), the line it had reached, and the lines before it. formatReplay prints
 * it.
 */
export interface Divergence {
  /** The recorded output the replay did not reproduce, or undefined when the replay sent more. */
  readonly expected: TracedEntry | undefined;
  /** What the replay did instead, or undefined when it did nothing there. */
  readonly actual: ReplayOutput | undefined;
  /** The line the replay had reached (the expected one, or the input it was about to feed). */
  readonly at: TracedEntry | undefined;
  /** The trace lines just before `at`, oldest first. */
  readonly before: readonly TracedEntry[];
}

/**
 * What replayTrace found. `ok` is true when every recorded message and operation of the replayed legs
 * came out again, in order and equal, and nothing more; otherwise `divergence` says where it
 * first differed. `legs` counts the legs the replay built.
 */
export interface ReplayResult {
  /** True when the replay matched the trace to its end. */
  readonly ok: boolean;
  /** Outputs compared and found equal. */
  readonly matched: number;
  /** Legs the replay built (one per `leg.created`). */
  readonly legs: number;
  /** Lines about legs created before the trace began (a later part alone): not replayable. */
  readonly skipped: number;
  /** Lines the recorder lost to a slow disk; a match is then less than the whole day. */
  readonly dropped: number;
  /** The first difference; present exactly when `ok` is false. */
  readonly divergence?: Divergence;
}

/** Options of replayTrace; every one has a default. */
export interface ReplayOptions {
  /** How many lines before the divergence to report; default 12. */
  readonly context?: number;
  /** Replaces createConversationDestination (tests of the replay itself). */
  readonly createDestination?: (options: ConversationDestinationOptions) => ConversationDestination;
}

/**
 * Time. A deadline starts while an input is handled, so when an input is fed the clock is set just
 * before the first thing it caused (its first output line, else its own line): a busy process can
 * be held up between reading a frame and handling it, and the first output's time is the closer.
 * Feeding an input never fires a deadline: in a recording from a loaded machine an operation's
 * outcome can be stamped after its deadline and still have won the race, so a deadline fires only
 * where the trace shows its effect, when the replay reaches a recorded output it has not produced
 * yet and the clock moves on to that output's time.
 */
const INPUT_LEAD_MS = 1;

/** XState's SimulatedClock, knowing when its earliest timer is due. */
class ReplayClock {
  private readonly inner = new SimulatedClock();
  private readonly due = new Map<number, number>();

  setTimeout(fn: () => void, ms: number): number {
    const id = this.inner.setTimeout(() => {
      this.due.delete(id);
      fn();
    }, ms) as number;
    this.due.set(id, this.inner.now() + ms);
    return id;
  }

  clearTimeout(id: number): void {
    this.due.delete(id);
    this.inner.clearTimeout(id);
  }

  /** Moves time forward to `t`, firing what is due; never backwards. */
  advance(t: number): void {
    if (t > this.inner.now()) this.inner.set(t);
  }

  /** Moves time forward to `t` or to just before the earliest timer, whichever is sooner. */
  approach(t: number): void {
    let earliest = Number.POSITIVE_INFINITY;
    for (const at of this.due.values()) earliest = Math.min(earliest, at);
    this.advance(Math.min(t, earliest - 0.001));
  }
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const plain = (value: unknown): unknown => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));

function sameOutput(entry: TraceEntry, output: ReplayOutput): boolean {
  if (entry.kind !== output.kind || !('leg' in entry) || entry.leg !== output.leg) return false;
  if (entry.kind === 'frame.out' && output.kind === 'frame.out') return isDeepStrictEqual(entry.frame, plain(output.frame));
  if (entry.kind === 'operation.started' && output.kind === 'operation.started') {
    return entry.opId === output.opId && entry.operation === output.operation && isDeepStrictEqual([...entry.args], [...output.args]);
  }
  return false;
}

interface LiveLeg {
  readonly replay: ReplayLeg;
  readonly destination: ConversationDestination;
}

/**
 * Replays a trace against this version's destination (docs/traces.md, "Replay"): each
 * `leg.created` builds a leg that answers with the recorded snapshots and operation outcomes and
 * a fresh destination with the header's settings, on a simulated clock; the recorded inputs are
 * fed in order, and each leg's `frame.out` and `operation.started` must be the next thing the
 * replay's destinations did. The first difference stops it. Lines about legs created before the
 * trace began are counted in `skipped`; the client's own answers are not compared. Deadlines run
 * on the simulated clock: nothing waits on the wall clock.
 *
 * A replay that differs is a result (`ok: false`), not an error. It rejects only on a trace whose
 * lines lack the fields of their kind (parseTrace checks `kind` and `t` only), or when
 * `options.createDestination` throws.
 *
 * @example
 * import { formatReplay, readTraceFile, replayTrace } from 'cti-conversation/trace';
 *
 * const result = await replayTrace(await readTraceFile('day.jsonl'), { context: 6 });
 * process.stdout.write(formatReplay('day.jsonl', result));
 * process.exitCode = result.ok ? 0 : 1;
 */
export async function replayTrace(trace: ParsedTrace, options: ReplayOptions = {}): Promise<ReplayResult> {
  const context = options.context ?? 12;
  const make = options.createDestination ?? createConversationDestination;
  const clock = new ReplayClock();
  // Only the settings a destination takes: a header is data from a file, not options to spread.
  const { operationTimeoutMs, dtmfMsPerDigit, limits } = trace.header.destination ?? {};
  const settings = {
    ...(typeof operationTimeoutMs === 'number' && { operationTimeoutMs }),
    ...(typeof dtmfMsPerDigit === 'number' && { dtmfMsPerDigit }),
    ...(typeof limits === 'object' && limits !== null && { limits }),
  };
  const live = new Map<string, LiveLeg>();
  /** Legs the replay built: their outputs are compared even after they are forgotten. */
  const known = new Set<string>();
  const outputs: ReplayOutput[] = [];
  const entries = trace.entries;
  let matched = 0;
  let skipped = 0;
  let dropped = 0;
  let legs = 0;

  const diverged = (expected: TracedEntry | undefined, actual: ReplayOutput | undefined, at: TracedEntry | undefined): ReplayResult => {
    const end = at === undefined ? entries.length : at.index;
    return {
      ok: false,
      matched,
      legs,
      skipped,
      dropped,
      divergence: { expected, actual, at, before: entries.slice(Math.max(0, end - context), end) },
    };
  };

  /** The snapshots the destination read from this leg, up to the leg's next creation. */
  const snapshotsAfter = (from: number, legId: string): RecordedSnapshot[] => {
    const found: RecordedSnapshot[] = [];
    for (let i = from + 1; i < entries.length; i++) {
      const e = (entries[i] as TracedEntry).entry;
      if (!('leg' in e) || e.leg !== legId) continue;
      if (e.kind === 'leg.created') break;
      if (e.kind === 'leg.snapshot') found.push(e.error !== undefined ? { error: e.error } : { snapshot: e.snapshot as NonNullable<typeof e.snapshot> });
    }
    return found;
  };

  const createLeg = (at: TracedEntry & { entry: { kind: 'leg.created' } }): void => {
    const { leg: legId, supported } = at.entry;
    live.get(legId)?.destination.stop();
    const replay = new ReplayLeg(legId, supported, snapshotsAfter(at.index, legId));
    const destination = make({
      leg: replay.leg,
      send: () => undefined,
      clock,
      ...settings,
      tap: {
        outbound: (message) => void outputs.push({ kind: 'frame.out', leg: legId, frame: message }),
        operationStarted: (opId, operation, args) => {
          replay.started(opId);
          outputs.push({ kind: 'operation.started', leg: legId, opId, operation, args: [...args] });
        },
      },
    });
    live.set(legId, { replay, destination });
    known.add(legId);
    legs += 1;
  };

  const isOutput = (entry: TraceEntry): boolean => (entry.kind === 'frame.out' || entry.kind === 'operation.started') && entry.leg !== undefined;
  for (const traced of entries) {
    const entry = traced.entry;
    if (isOutput(entry)) {
      if (!known.has((entry as { leg: string }).leg)) {
        skipped += 1;
        continue;
      }
      await nextTurn();
      // Only a deadline can still be owed here: let the clock reach this line's time.
      if (outputs.length === 0) {
        clock.advance(entry.t);
        await nextTurn();
      }
      const output = outputs.shift();
      if (output === undefined || !sameOutput(entry, output)) return diverged(traced, output, traced);
      matched += 1;
      continue;
    }
    const next = entries[traced.index + 1]?.entry;
    clock.approach((next !== undefined && isOutput(next) ? next.t : entry.t) - INPUT_LEAD_MS);
    await nextTurn();
    // Everything the replay sent must have been recorded before the next input.
    if (outputs.length > 0) return diverged(undefined, outputs[0], traced);
    switch (entry.kind) {
      case 'leg.created':
        createLeg(traced as TracedEntry & { entry: { kind: 'leg.created' } });
        break;
      case 'leg.forgotten': {
        const leg = live.get(entry.leg);
        if (leg === undefined) skipped += 1;
        leg?.destination.stop();
        live.delete(entry.leg);
        break;
      }
      case 'frame.in':
        if (entry.leg === undefined) break; // the client answered it itself
        if (live.has(entry.leg)) live.get(entry.leg)?.destination.receive(entry.frame);
        else skipped += 1;
        break;
      case 'phone.event':
        if (live.has(entry.leg)) live.get(entry.leg)?.replay.emit(entry.event);
        else skipped += 1;
        break;
      case 'operation.settled':
        if (!live.get(entry.leg)?.replay.settle(entry.opId, entry.ok, entry.error)) skipped += 1;
        break;
      case 'connection.lost':
        for (const leg of live.values()) leg.destination.connectionLost();
        break;
      case 'dropped':
        dropped += entry.count;
        break;
      default: // leg.snapshot (read by the leg itself), connection.opened, the client's own frames
        break;
    }
    await nextTurn();
  }
  await nextTurn();
  for (const leg of live.values()) leg.destination.stop();
  if (outputs.length > 0) return diverged(undefined, outputs[0], undefined);
  return { ok: true, matched, legs, skipped, dropped };
}
