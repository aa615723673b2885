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

describe('a client under --max-old-space-size=128', () => {
  it('plays long names, huge names, deep queues and an event flood across 100 legs, then the fuzz corpus: no abort, every owed frame answered once', { timeout: 900_000 }, async () => {
    console.log(`attack-128mb: seed ${SEED}, ${FUZZ} fuzz frames`);
    const { code, signal, output } = await runAttacks(['client', String(FUZZ), String(SEED)]);
    console.log(output.split('\n').filter((line) => line.startsWith('attack:')).join('\n'));
    expect({ code, signal }, output.slice(-3000)).toEqual({ code: 0, signal: null });
    const result = attackResult(output) as ReturnType<typeof attackResult> & { owed: number; missing: number; duplicate: number; invalid: number; logLines: number };
    expect({ missing: result.missing, duplicate: result.duplicate, invalid: result.invalid }).toEqual({ missing: 0, duplicate: 0, invalid: 0 });
    expect(result.owed).toBeGreaterThan(10_000 + FUZZ / 2);
    // The bounds were reached, not avoided: names refused, frames past the budget "busy", the
    // unsent cap closing the connection, and most per-frame log lines held back.
    expect(result.counters['namesTooLong']).toBeGreaterThanOrEqual(400);
    expect(result.counters['busy']).toBeGreaterThan(0);
    expect(result.counters['unsentOverflows']).toBeGreaterThanOrEqual(1);
    expect(result.logLines).toBeLessThan(2000);
    expect(result.counters['logLinesSuppressed']).toBeGreaterThan(result.logLines);
  });
});
