/**
 * A leg rebuilt from a trace: it answers snapshot() with the snapshots the destination read when
 * it was recorded, reports the recorded phone events when the replay says so, and ends each
 * operation the way it ended then. It decides nothing itself.
 */
import type { LegOperationName, LegSnapshot, PhoneEvent, PhoneEventListener, TelephonyLeg } from '../phone/types.js';

export type RecordedSnapshot = { readonly snapshot: LegSnapshot } | { readonly error: string };

interface Call {
  resolve(): void;
  reject(error: Error): void;
}

export class ReplayLeg {
  private readonly listeners = new Set<PhoneEventListener>();
  private readonly calls: Call[] = [];
  private readonly opIds: number[] = [];
  private snapshotsRead = 0;
  /** The leg as the destination is given it: only the operations the recorded leg had. */
  readonly leg: TelephonyLeg;

  constructor(
    readonly id: string,
    supported: readonly LegOperationName[],
    private readonly snapshots: readonly RecordedSnapshot[],
  ) {
    const leg: Record<string, unknown> = {
      id,
      snapshot: () => this.snapshot(),
      subscribe: (listener: PhoneEventListener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      dispose: () => Promise.resolve(),
    };
    for (const operation of supported) leg[operation] = () => this.call();
    this.leg = leg as unknown as TelephonyLeg;
  }

  /** The recorded snapshots in order; the last one again if the destination reads more. */
  private snapshot(): LegSnapshot {
    const recorded = this.snapshots[Math.min(this.snapshotsRead++, this.snapshots.length - 1)];
    if (recorded === undefined) return { state: 'RELEASED', parties: [{ number: 'unknown' }], muted: false };
    if ('error' in recorded) throw new Error(recorded.error);
    return recorded.snapshot;
  }

  private call(): Promise<void> {
    return new Promise<void>((resolve, reject) => this.calls.push({ resolve, reject }));
  }

  /** The destination said it started operation `opId` (its tap); pairs it with the call made. */
  started(opId: number): void {
    this.opIds.push(opId);
  }

  emit(event: PhoneEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** Ends operation `opId` as recorded; false when the replay never started it. */
  settle(opId: number, ok: boolean, error: string | undefined): boolean {
    const call = this.calls[this.opIds.indexOf(opId)];
    if (call === undefined) return false;
    if (ok) call.resolve();
    else call.reject(new Error(error ?? ''));
    return true;
  }
}
