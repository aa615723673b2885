import { describe, expect, it } from 'vitest';
import { toLogger } from '../../src/log/index.js';
import { reportDiagnostic, type DiagnosticStyle, type PhoneDiagnostic } from '../../src/phone/diagnostics.js';

const STYLE: DiagnosticStyle = { prefix: 'testphone', warn: /lost|failed/ };

function capture(): { lines: [string, unknown[]][]; logger: ReturnType<typeof toLogger> } {
  const lines: [string, unknown[]][] = [];
  const at = (level: string) => (...args: unknown[]) => lines.push([level, args]);
  return { lines, logger: toLogger({ debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }) };
}

describe('reportDiagnostic', () => {
  it('hands the report to the hook, then logs it with the prefix at the level its code calls for', () => {
    const seen: PhoneDiagnostic[] = [];
    const { lines, logger } = capture();
    const hooks = { onDiagnostic: (diagnostic: PhoneDiagnostic) => seen.push(diagnostic), logger };
    reportDiagnostic(hooks, STYLE, 'connection-lost', 'gone away');
    reportDiagnostic(hooks, STYLE, 'reconnected', 'back');
    reportDiagnostic(hooks, STYLE, 'conference-add', 'detail');
    expect(seen).toEqual([
      { code: 'connection-lost', message: 'gone away' },
      { code: 'reconnected', message: 'back' },
      { code: 'conference-add', message: 'detail' },
    ]);
    expect(lines.map(([level]) => level)).toEqual(['warn', 'info', 'debug']);
    expect(JSON.stringify(lines[0]![1])).toContain('testphone: gone away');
  });

  it('still logs when the hook throws, and does not throw itself', () => {
    const { lines, logger } = capture();
    const hooks = {
      onDiagnostic: () => {
        throw new Error('hook broke');
      },
      logger,
    };
    expect(() => reportDiagnostic(hooks, STYLE, 'sync-failed', 'could not read')).not.toThrow();
    expect(lines.map(([level]) => level)).toEqual(['warn']);
  });

  it('needs no logger', () => {
    const seen: string[] = [];
    reportDiagnostic({ onDiagnostic: ({ code }) => seen.push(code), logger: undefined }, STYLE, 'x', 'y');
    expect(seen).toEqual(['x']);
  });
});
