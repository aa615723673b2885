/**
 * The attacks bounded by the destination, under --max-old-space-size=128: 1,100 requests with
 * the largest header the catalogue allows (128-character unknown name, 256-character requestId,
 * 1024-character target) on each of 100 legs, then 8,001 holds queued behind a hanging one on one
 * leg, with the client's own budget raised out of the way. Before the merge the client survives
 * (heap about 94 MB, every frame answered) but the memory was bounded by count alone and the queue
 * was unbounded: the assertions marked below hold the chart's byte and count bounds.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CONVERSATION_DEFAULTS } from '../../machines/index.js';
import { attackResult, runAttacks, stopAttacks } from './run-attacks.js';

afterEach(() => stopAttacks());

describe('a client under --max-old-space-size=128: the destination-bounded attacks', () => {
  it('requestId memory bounded in bytes and a leg queue bounded with "busy": no abort, every owed frame answered once', { timeout: 1_800_000 }, async () => {
    const { code, signal, output } = await runAttacks(['chart']);
    console.log(output.split('\n').filter((line) => line.startsWith('attack:')).join('\n'));
    expect({ code, signal }, output.slice(-3000)).toEqual({ code: 0, signal: null });
    const result = attackResult(output) as ReturnType<typeof attackResult> & { missing: number; duplicate: number; invalid: number; busyAnswers: number; peakHeapMB: number; memoryBytes: number; destinations: number };
    expect({ missing: result.missing, duplicate: result.duplicate, invalid: result.invalid }).toEqual({ missing: 0, duplicate: 0, invalid: 0 });
    // The leg's queue answers FAILURE "busy" past its bound (the client's
    // own pending budget is raised out of the way in this run, so any "busy" is the leg's).
    expect(result.busyAnswers).toBeGreaterThan(0);
    // Each of them counted by the client as the leg's (queueBusy), none as its own budget's.
    expect(result.counters['queueBusy']).toBe(result.busyAnswers);
    expect(result.counters['busy']).toBe(0);
    // The requestId memory is bounded in bytes per leg: whatever the bridge sends, the memories
    // together hold at most one budget per destination (by count alone they held ~94 MB).
    expect(result.memoryBytes).toBeGreaterThan(0);
    expect(result.memoryBytes).toBeLessThanOrEqual(result.destinations * CONVERSATION_DEFAULTS.requestIdBytes);
    // The byte bound was what forgot (1,100 maximal answers outgrow 256 KiB before 1024 of them), and each hit was counted.
    expect(result.counters['requestMemoryFull']).toBeGreaterThanOrEqual(100);
    // What the process retains after a forced collection, this harness's own bookkeeping of
    // 118,000 maximal requestIds included, stays clear of the 128 MB ceiling.
    expect(result.peakHeapMB).toBeLessThan(110);
  });
});
