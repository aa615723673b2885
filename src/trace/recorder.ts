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

export interface TraceRecorder {
  /** A new leg: the leg the destination should be given (its snapshots are recorded) and its tap. */
  leg(leg: TelephonyLeg): { readonly leg: TelephonyLeg; readonly tap: DestinationTap };
  legForgotten(legId: string, why: 'disposed' | 'let-go' | 'dropped'): void;
  /** A frame on the wire, as the client's onTraffic sees it. */
  traffic(direction: 'bridge→client' | 'client→bridge', message: unknown): void;
  connectionOpened(): void;
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
