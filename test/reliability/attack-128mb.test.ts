/**
 * The attacks of RELIABILITY.md, each across 100 legs, then the fuzz corpus, against a client in a
 * process limited to a 128 MB heap (`--max-old-space-size=128`): it must neither abort nor stop
 * answering. The attacks run in test/reliability/attack-run.ts; this test starts it, stops it by
 * its pid if it outlives the test, and reads its RESULT line.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attackResult, runAttacks, stopAttacks } from './run-attacks.js';

afterEach(() => stopAttacks());

const SEED = Number(process.env['CTI_FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const FUZZ = Math.max(1000, Math.floor(Number(process.env['CTI_FUZZ_FRAMES'] ?? 100_000) / 10));

interface ClientRun {
  owed: number;
  missing: number;
  duplicate: number;
  invalid: number;
  logLines: number;
  liveBeforeEnd: number;
  liveDestinations: number;
  log: { lines: number; bytes: number; longest: number; rawControl: number; connectedLines: number };
  attackLog: { frames: number; lines: number; bytes: number; suppressed: number; seconds: number; heapBeforeMB: number; heapAfterMB: number };
  attackPile: {
    legs: number;
    liveBefore: number;
    liveWhilePiled: number;
    memoryBytesWhilePiled: number;
    liveAfter: number;
    piledLiveAfter: number;
    letGo: number;
    heapBeforeMB: number;
    heapWhilePiledMB: number;
    heapAfterMB: number;
    lateDispose: string;
    lateHold: string;
  };
}

describe('a client under --max-old-space-size=128', () => {
  it('plays long names, huge names, deep queues, an event flood, log injection and flooding, and legs piling up across 100 legs, then the fuzz corpus: no abort, every owed frame answered once', { timeout: 900_000 }, async () => {
    console.log(`attack-128mb: seed ${SEED}, ${FUZZ} fuzz frames`);
    const { code, signal, output } = await runAttacks(['client', String(FUZZ), String(SEED)]);
    console.log(output.split('\n').filter((line) => line.startsWith('attack:')).join('\n'));
    expect({ code, signal }, output.slice(-3000)).toEqual({ code: 0, signal: null });
    const result = attackResult(output) as ReturnType<typeof attackResult> & ClientRun;
    expect({ missing: result.missing, duplicate: result.duplicate, invalid: result.invalid }).toEqual({ missing: 0, duplicate: 0, invalid: 0 });
    expect(result.owed).toBeGreaterThan(10_000 + FUZZ / 2);
    // The bounds were reached, not avoided: names refused, frames past the budget "busy", the
    // unsent cap closing the connection, and most per-frame log lines held back.
    expect(result.counters['namesTooLong']).toBeGreaterThanOrEqual(400);
    expect(result.counters['busy']).toBeGreaterThan(0);
    expect(result.counters['unsentOverflows']).toBeGreaterThanOrEqual(1);
    expect(result.logLines).toBeLessThan(2000);
    expect(result.counters['logLinesSuppressed']).toBeGreaterThan(result.logLines);

    // 6. Log injection and flooding, through the package's logger into a counting sink. Escaped:
    // no line of the whole run holds a raw control character or line break, and the only
    // "connected" lines are the client's own, one per connection (the forged one stayed inside its
    // escaped line). Cut: names of up to 100,000 characters, yet no line reaches 1,024. Rate-limited:
    // 10 lines per code per 10 s for the 3 codes the attack earns, the rest counted.
    const { log, attackLog } = result;
    expect(log.rawControl).toBe(0);
    expect(log.connectedLines).toBe(result.counters['connections']);
    expect(log.longest).toBeLessThan(1024);
    expect(attackLog.frames).toBe(7500);
    expect(attackLog.lines).toBeGreaterThan(0);
    expect(attackLog.lines).toBeLessThanOrEqual(30 * (Math.ceil(attackLog.seconds / 10) + 1));
    expect(attackLog.suppressed + attackLog.lines).toBeGreaterThanOrEqual(attackLog.frames);
    expect(attackLog.bytes).toBeLessThan(attackLog.lines * 1024);
    // Nothing of the flood is kept (heap after a forced GC, MB).
    expect(attackLog.heapAfterMB).toBeLessThanOrEqual(attackLog.heapBeforeMB + 5);

    // 9. Legs pile up: 100 initialised legs, their requestId memories filled (about 22 MiB), end
    // and are never disposed. With the grace at 1.5 s they are let go: none of them is live, the
    // heap gives back what they held, a late dispose there gets SUCCESS and a hold "disposed".
    const pile = result.attackPile;
    expect(pile.liveWhilePiled).toBe(pile.liveBefore + 100);
    expect(pile.memoryBytesWhilePiled).toBeGreaterThan(100 * 200 * 1024);
    expect(pile.heapWhilePiledMB).toBeGreaterThanOrEqual(pile.heapBeforeMB + 10);
    expect(pile.letGo).toBe(100);
    expect(pile.piledLiveAfter).toBe(0);
    expect(pile.liveAfter).toBe(pile.liveBefore);
    expect(pile.heapAfterMB).toBeLessThanOrEqual(pile.heapBeforeMB + 5);
    expect(pile.lateDispose).toBe('SUCCESS: ');
    expect(pile.lateHold).toMatch(/^FAILURE: hold: .*\(disposed\)$/);
    // And at the end of the run every call ends undisposed: no destination is left.
    expect(result.liveBeforeEnd).toBeGreaterThan(0);
    expect(result.liveDestinations).toBe(0);
  });
});
