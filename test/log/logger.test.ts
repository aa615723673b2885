/** The one logger: levels, timestamps, fields, both call shapes, and lines a bridge cannot forge. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, escapeText, RateLimiter, showText, toLogger } from '../../src/log/index.js';

const fixed = () => new Date('2026-01-02T03:04:05.678Z');

describe('showText', () => {
  it('shows control characters, separators and lone surrogates as escapes, never raw', () => {
    expect(showText('a\nb\rc\td\u0000e\u001b[2Jf\u2028g\u202eh\u0085')).toBe('a\\nb\\rc\\td\\u0000e\\u001b[2Jf\\u2028g\\u202eh\\u0085');
    expect(showText('\ud800x\udc00')).toBe('\\ud800x\\udc00');
    expect(showText('\u{1F600}')).toBe('\u{1F600}');
  });

  it('cuts past 64 characters and says how many were cut, never splitting a surrogate pair', () => {
    expect(showText('x'.repeat(64))).toBe('x'.repeat(64));
    expect(showText('x'.repeat(1_000_000))).toBe(`${'x'.repeat(64)}…(+999936 chars)`);
    const astral = `${'x'.repeat(63)}\u{1F600}tail`;
    expect(showText(astral)).toBe(`${'x'.repeat(63)}…(+6 chars)`);
  });

  it('property: the shown text holds no control character and is at most ~64 characters long before escaping', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 500 }), (text) => {
        const shown = showText(text);
        expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        expect(shown.length).toBeLessThanOrEqual(64 * 6 + 20);
      }),
      { seed: 11, numRuns: 500 },
    );
  });
});

describe('createLogger', () => {
  it('writes one timestamped line per call with level and fields, in either call shape', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'debug', write: (l) => lines.push(l), now: fixed });
    log.info('hello', { leg: 'leg-1', n: 3 });
    log.warn({ leg: 'leg 2' }, 'pino shape');
    log.debug('detail');
    expect(lines).toEqual([
      '2026-01-02T03:04:05.678Z INFO  hello leg=leg-1 n=3',
      '2026-01-02T03:04:05.678Z WARN  pino shape leg="leg 2"',
      '2026-01-02T03:04:05.678Z DEBUG detail',
    ]);
  });

  it('drops lines below its level; silent drops everything', () => {
    const lines: string[] = [];
    const log = createLogger({ level: 'warn', write: (l) => lines.push(l), now: fixed });
    log.debug('a');
    log.info('b');
    log.warn('c');
    log.error('d');
    expect(lines.map((l) => l.slice(25))).toEqual(['WARN  c', 'ERROR d']);
    const quiet: string[] = [];
    createLogger({ level: 'silent', write: (l) => quiet.push(l) }).error('x');
    expect(quiet).toEqual([]);
  });

  it('cannot be made to write a second line: newlines in the message and the fields are escaped, long fields cut', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), now: fixed });
    log.warn('bad\n2026-01-02T03:04:05.678Z INFO  connected to the bridge', { target: `x\ny${'z'.repeat(10_000)}` });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]!.length).toBeLessThan(500);
  });

  it('writes JSON lines when asked', () => {
    const lines: string[] = [];
    createLogger({ format: 'json', write: (l) => lines.push(l), now: fixed }).error('boom', { code: 'x' });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2026-01-02T03:04:05.678Z', level: 'error', msg: 'boom', code: 'x' });
  });
});

describe('toLogger', () => {
  it('calls a pino-like logger fields first, and a console-like one with a finished line', () => {
    const pinoCalls: unknown[][] = [];
    const pino = { level: 'info', child: () => pino, info: (...args: unknown[]) => pinoCalls.push(args), warn: () => undefined, error: () => undefined, debug: () => undefined };
    toLogger(pino).info('hi\nthere', { leg: 'l' });
    expect(pinoCalls).toEqual([[{ leg: 'l' }, 'hi\\nthere']]);
    const consoleCalls: unknown[][] = [];
    toLogger({ warn: (...args: unknown[]) => consoleCalls.push(args) }).warn({ code: 'c' }, 'careful');
    expect(consoleCalls).toEqual([['careful code=c']]);
  });

  it('never throws, even when the target does or lacks the method', () => {
    const log = toLogger({ info: () => { throw new Error('x'); } });
    expect(() => log.info('a')).not.toThrow();
    expect(() => log.debug('a')).not.toThrow();
  });
});

describe('RateLimiter', () => {
  it('lets a burst through per key per window, counts the rest and reports them with the next line', () => {
    let now = 0;
    const limiter = new RateLimiter({ burst: 3, windowMs: 1000, now: () => now });
    const first = Array.from({ length: 10 }, () => limiter.take('bad-frame').allowed);
    expect(first).toEqual([true, true, true, false, false, false, false, false, false, false]);
    expect(limiter.take('other').allowed).toBe(true);
    now = 1000;
    expect(limiter.take('bad-frame')).toEqual({ allowed: true, suppressedBefore: 7 });
    expect(limiter.suppressedTotal).toBe(7);
  });
});

it('escapeText keeps printable text as it is', () => {
  expect(escapeText('héllo wörld \u{1F600} "quoted"')).toBe('héllo wörld \u{1F600} "quoted"');
});
