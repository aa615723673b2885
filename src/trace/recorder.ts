/**
 * The recorder: what the bridge client hands it (frames on the wire, connection changes, legs
 * coming and going) and what each destination's tap reports (frames it received and sent, phone
 * events, operations), as trace lines. Recording never throws into the client and never waits:
 * lines are masked and serialised here and written later by the TraceWriter.
 */
import { performance } from 'node:perf_hooks';
import type { OutboundMessage } from '../../generated/types.js';
import type { DestinationTap } from '../destination/tap.js';
import { LEG_OPERATION_NAMES, type LegOperationName, type LegSnapshot, type PhoneEvent, type TelephonyLeg } from '../phone/types.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceDestinationSettings, type TraceEntry, type TraceHeader } from './format.js';
import { Masker, NO_MASK, type Mask } from './mask.js';
import { TraceWriter } from './writer.js';

/**
 * Where and how a trace is recorded: createTraceRecorder's options, and the bridge client's
 * `record` option (which also takes just the file name). Defaults: masked, a new part every
 * 64 MiB, lines dropped (and counted) past 8 MiB waiting for the disk, no `onError` (through the
 * bridge client, a `record-failed` diagnostic unless you give one).
 */
export interface TraceRecordOptions {
  /** The trace file; its continuations after rotation are FILE.1, FILE.2, … */
  readonly file: string;
  /** Keep DTMF digits, phone numbers, SIP addresses and names as they are; default false (masked). */
  readonly unmasked?: boolean;
  /** Rotate at this size; default 64 MiB. */
  readonly maxFileBytes?: number;
  /** Bytes waiting for the disk beyond which lines are dropped (and counted); default 8 MiB. */
  readonly bufferBytes?: number;
  /** The file could not be opened or written (once); the client goes on without recording. */
  readonly onError?: (error: Error) => void;
}

/**
 * A recording in progress, fed by whoever serves the legs (the bridge client does it when given
 * `record`): the legs as they come and go, every frame on the wire, the connection going up and
 * down, and, through each leg's tap, what its destination received, sent and asked of the phone.
 * None of its methods throws into the caller or waits: a line is masked and serialised where it
 * happens and queued (a value JSON cannot write loses its line only); only `close()` waits, for
 * the file.
 */
export interface TraceRecorder {
  /** A new leg: the leg the destination should be given (its snapshots are recorded) and its tap. */
  leg(leg: TelephonyLeg): { readonly leg: TelephonyLeg; readonly tap: DestinationTap };
  /**
   * The client no longer serves the leg: `disposed` (the bridge disposed it), `let-go` (it ended
   * and the bridge never disposed it) or `dropped` (never initialised, or the client closing).
   */
  legForgotten(legId: string, why: 'disposed' | 'let-go' | 'dropped'): void;
  /** A frame on the wire, as the client's onTraffic sees it. */
  traffic(direction: 'bridge→client' | 'client→bridge', message: unknown): void;
  /** The bridge connection came up. */
  connectionOpened(): void;
  /** The bridge connection dropped; every destination waits for its init again. */
  connectionLost(reason?: string): void;
  /** Lines lost so far because the disk did not keep up. */
  readonly dropped: number;
  /** Writes what is queued and closes the file. */
  close(): Promise<void>;
}

type Entry = TraceEntry extends infer E ? (E extends TraceEntry ? Omit<E, 't'> : never) : never;

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

const targetOf = (frame: unknown): string | undefined => {
  const header = typeof frame === 'object' && frame !== null ? (frame as { header?: unknown }).header : undefined;
  const target = typeof header === 'object' && header !== null ? (header as { target?: unknown }).target : undefined;
  return typeof target === 'string' ? target : undefined;
};

/**
 * Starts recording a trace to `options.file` (docs/traces.md): a header line, then one line per
 * thing the client saw, masked unless `options.unmasked`. `destination` is what the client gives
 * every destination (`operationTimeoutMs`, `dtmfMsPerDigit`, `limits`; default `{}`, the
 * destination's defaults); each header carries it so a replay uses the same.
 *
 * Never throws and never holds up the caller: lines are queued and written in batches (every
 * 50 ms, or at once past 256 KiB). The file is created (or emptied, if it exists) when the first
 * lines are written, and its continuations FILE.1, FILE.2, … at each rotation. A file that cannot
 * be opened or written calls `onError` once and the recording stops (its lines are dropped and
 * counted); the caller goes on. `close()` resolves once what was queued is written and the file
 * closed; a recording in which nothing happened still writes its header.
 *
 * The bridge client makes one from its `record` option; use it directly to record destinations
 * you create yourself.
 *
 * @example
 * import { createConversationDestination } from 'cti-conversation';
 * import { createTraceRecorder } from 'cti-conversation/trace';
 *
 * const recorder = createTraceRecorder({ file: 'day.jsonl' }, { operationTimeoutMs: 10_000 });
 * const { leg, tap } = recorder.leg(phoneLeg); // the leg the destination is given, and its tap
 * const destination = createConversationDestination({ leg, tap, send, operationTimeoutMs: 10_000 });
 * bridge.onFrame((frame) => {
 *   recorder.traffic('bridge→client', frame);
 *   destination.receive(frame);
 * });
 * // …
 * await recorder.close();
 */
export function createTraceRecorder(options: TraceRecordOptions, destination: TraceDestinationSettings = {}): TraceRecorder {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const mask: Mask = options.unmasked ? NO_MASK : new Masker();
  const header = (part: number): string => {
    const line: TraceHeader = { kind: 'trace', format: TRACE_FORMAT, version: TRACE_VERSION, part, startedAt, masked: !options.unmasked, destination };
    return JSON.stringify(line);
  };
  const writer = new TraceWriter({
    file: options.file,
    header,
    droppedLine: (count) => JSON.stringify({ t: round(performance.now() - started), kind: 'dropped', count }),
    ...(options.maxFileBytes !== undefined && { maxFileBytes: options.maxFileBytes }),
    ...(options.bufferBytes !== undefined && { bufferBytes: options.bufferBytes }),
    ...(options.onError !== undefined && { onError: options.onError }),
  });
  /** The last target seen on each leg's frames, added to the leg's lines. */
  const targets = new Map<string, string>();
  /** The frame the client received last, until a destination takes it (or nothing does). */
  let wireIn: { t: number; frame: unknown } | undefined;
  /** The message a destination sent last, so the client's wire copy is not written twice. */
  let lastOut: unknown;

  const now = (): number => round(performance.now() - started);
  const put = (entry: Entry, t = now()): void => {
    if (wireIn !== undefined) flushWireIn();
    try {
      // `t` first for a person reading the file; spliced in rather than spread into a new object.
      writer.write(`{"t":${t},${JSON.stringify(entry).slice(1)}`);
    } catch {
      // A value JSON cannot write (a cycle, a BigInt from a strange phone) loses its line only.
    }
  };
  /** A frame no destination took: the client answered it itself. */
  const flushWireIn = (): void => {
    const pending = wireIn as { t: number; frame: unknown };
    wireIn = undefined;
    put({ kind: 'frame.in', frame: mask.frame(pending.frame) }, pending.t);
  };
  const onLeg = (legId: string): { leg: string; target?: string } => {
    const target = targets.get(legId);
    return target === undefined ? { leg: legId } : { leg: legId, target };
  };
  const noteTarget = (legId: string, frame: unknown): void => {
    const target = targetOf(frame);
    if (target !== undefined && targets.get(legId) !== target) targets.set(legId, target);
  };

  const tapFor = (legId: string): DestinationTap => ({
    inbound(frame: unknown) {
      let t: number | undefined;
      if (wireIn !== undefined && wireIn.frame === frame) {
        t = wireIn.t;
        wireIn = undefined;
      }
      noteTarget(legId, frame);
      // A frame's target is in its header; the line does not repeat it.
      put({ kind: 'frame.in', leg: legId, frame: mask.frame(frame) }, t);
    },
    outbound(message: OutboundMessage) {
      noteTarget(legId, message);
      lastOut = message;
      put({ kind: 'frame.out', leg: legId, frame: mask.frame(message) });
    },
    phoneEvent(event: PhoneEvent) {
      put({ kind: 'phone.event', ...onLeg(legId), event: mask.event(event) });
    },
    operationStarted(opId: number, operation: LegOperationName, args: readonly string[]) {
      put({ kind: 'operation.started', ...onLeg(legId), opId, operation, args: mask.args(operation, args) });
    },
    operationSettled(opId: number, outcome: { ok: true } | { ok: false; error: string }) {
      put({ kind: 'operation.settled', ...onLeg(legId), opId, ...outcome });
    },
  });

  /** The leg as the destination sees it, with every snapshot it reads recorded. */
  const recordedLeg = (leg: TelephonyLeg): TelephonyLeg => {
    const legId = leg.id;
    const wrapped: Record<string, unknown> = {
      id: legId,
      snapshot(): LegSnapshot {
        try {
          const snapshot = leg.snapshot();
          put({ kind: 'leg.snapshot', ...onLeg(legId), snapshot: mask.snapshot(snapshot) });
          return snapshot;
        } catch (error) {
          put({ kind: 'leg.snapshot', ...onLeg(legId), error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      },
      subscribe: leg.subscribe.bind(leg),
      dispose: leg.dispose.bind(leg),
    };
    for (const operation of LEG_OPERATION_NAMES) {
      const method = leg[operation];
      if (typeof method === 'function') wrapped[operation] = method.bind(leg);
    }
    return wrapped as unknown as TelephonyLeg;
  };

  return {
    leg(leg) {
      const supported = LEG_OPERATION_NAMES.filter((operation) => typeof leg[operation] === 'function');
      put({ kind: 'leg.created', leg: leg.id, supported });
      return { leg: recordedLeg(leg), tap: tapFor(leg.id) };
    },
    legForgotten(legId, why) {
      put({ kind: 'leg.forgotten', ...onLeg(legId), why });
      targets.delete(legId);
    },
    traffic(direction, message) {
      if (direction === 'bridge→client') {
        if (wireIn !== undefined) flushWireIn();
        wireIn = { t: now(), frame: message };
      } else if (message === lastOut) {
        lastOut = undefined;
      } else {
        put({ kind: 'frame.out', frame: mask.frame(message) });
      }
    },
    connectionOpened() {
      put({ kind: 'connection.opened' });
    },
    connectionLost(reason) {
      put({ kind: 'connection.lost', ...(reason ? { reason } : {}) });
    },
    get dropped() {
      return writer.dropped;
    },
    async close() {
      if (wireIn !== undefined) flushWireIn();
      await writer.close();
    },
  };
}
