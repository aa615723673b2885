import { describe, expect, it } from 'vitest';
import { createTranscript, transcriptModeFor } from '../../src/cli/transcript.js';
import { collectingIo } from '../../src/cli/io.js';

const request = {
  header: { type: 'cti.request', name: 'conversation.request.senddtmf', target: 'PB1.I-1.leg-1', requestId: 'r1' },
  body: { digits: '12a' },
};
const failure = {
  header: {
    type: 'cti.response',
    name: 'conversation.request.senddtmf',
    target: 'PB1.I-1.leg-1',
    requestId: 'r1',
    result: 'FAILURE',
    errorMessage: 'senddtmf: digits may hold only 0-9, * and #',
  },
  body: {},
};
const initResponse = {
  header: { type: 'cti.response', name: 'conversation.query.init', target: 'PB1.I-1.leg-1', requestId: 'r0', result: 'SUCCESS' },
  body: { 'conversation-state': 'RINGING', parties: [{ number: '+15551230001', name: 'Pat Caller' }] },
};

describe('transcript', () => {
  it('prints one readable line per message: leg, direction, kind, short name, detail', () => {
    const io = collectingIo();
    const transcript = createTranscript(io.stdout, 'plain');
    transcript.heading('Call 1');
    transcript.entry({ dir: 'client→bridge', msg: initResponse });
    transcript.entry({ dir: 'bridge→client', msg: request });
    transcript.entry({ dir: 'client→bridge', msg: failure });
    transcript.entry({ dir: 'client→phone', leg: 'leg-1', op: 'transfer', args: ['2099'] });
    transcript.entry({ dir: 'phone→client', leg: 'leg-1', event: { type: 'ended', reason: 'transferred' } });
    const lines = io.out().split('\n');
    expect(lines[1]).toMatch(/^── Call 1 ─+$/);
    expect(lines[2]).toMatch(/^leg-1 +client→bridge +response +init +SUCCESS RINGING · \+15551230001 \(Pat Caller\)$/);
    expect(lines[3]).toMatch(/^leg-1 +bridge→client +request +senddtmf +digits=\[3 digits\]$/);
    expect(lines[4]).toMatch(/FAILURE "senddtmf: digits may hold only 0-9, \* and #"$/);
    expect(lines[5]).toMatch(/^leg-1 +client→phone +operation +transfer +2099$/);
    expect(lines[6]).toMatch(/^leg-1 +phone→client +report +ended +reason=transferred$/);
    expect(io.out()).not.toContain('\x1b[');
  });

  it('colours on a terminal, and not when NO_COLOR is set or output is piped', () => {
    expect(transcriptModeFor({ write: () => undefined, isTTY: true })).toBe('colour');
    expect(transcriptModeFor({ write: () => undefined, isTTY: true }, { NO_COLOR: '1' })).toBe('plain');
    expect(transcriptModeFor({ write: () => undefined, isTTY: false })).toBe('plain');
    expect(transcriptModeFor({ write: () => undefined, isTTY: false }, { FORCE_COLOR: '1' })).toBe('colour');
    expect(transcriptModeFor({ write: () => undefined, isTTY: true }, {}, true)).toBe('json');
    const io = collectingIo();
    createTranscript(io.stdout, 'colour').entry({ dir: 'client→bridge', msg: failure });
    expect(io.out()).toMatch(/^\x1b\[31m.*\x1b\[0m\n$/);
  });

  it('writes JSON lines, one object per line, each with a type and an ISO time', () => {
    const io = collectingIo();
    const time = '2026-11-30T12:00:00.000Z';
    const transcript = createTranscript(io.stdout, 'json', { now: () => new Date(time) });
    transcript.heading('Call 1');
    transcript.entry({ dir: 'bridge→client', msg: request });
    transcript.entry({ dir: 'client→phone', leg: 'leg-1', op: 'hold' });
    transcript.entry({ dir: 'far end', leg: 'leg-1', action: 'hangs up' });
    transcript.note('target T');
    transcript.summary(['Summary'], { passed: true });
    const objects = io.out().trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(objects).toEqual([
      { type: 'heading', time, heading: 'Call 1' },
      { type: 'wire', time, dir: 'bridge→client', msg: { ...request, body: { digits: '[3 digits]' } } },
      { type: 'phone', time, dir: 'client→phone', leg: 'leg-1', op: 'hold' },
      { type: 'script', time, dir: 'far end', leg: 'leg-1', action: 'hangs up' },
      { type: 'note', time, note: 'target T' },
      { type: 'summary', time, summary: { passed: true } },
    ]);
  });

  it('masks DTMF digits in every form (bridge body, phone operation) unless showDigits asks for them', () => {
    const dtmf = { dir: 'client→phone', leg: 'leg-1', op: 'sendDtmf', args: ['4111111111111111'] } as const;
    for (const mode of ['plain', 'json', 'colour'] as const) {
      const io = collectingIo();
      const transcript = createTranscript(io.stdout, mode);
      transcript.entry({ dir: 'bridge→client', msg: { ...request, body: { digits: '4111111111111111' } } });
      transcript.entry(dtmf);
      expect(io.out()).not.toContain('4111');
      expect(io.out()).toContain('[16 digits]');
    }
    const io = collectingIo();
    const transcript = createTranscript(io.stdout, 'plain', { showDigits: true });
    transcript.entry(dtmf);
    expect(io.out()).toMatch(/sendDtmf +4111111111111111/);
  });

  it('escapes control characters a bridge put in a name or a target: one line per entry, no terminal codes', () => {
    const io = collectingIo();
    const transcript = createTranscript(io.stdout, 'plain');
    transcript.entry({ dir: 'bridge→client', msg: { header: { ...request.header, target: 'A.x\n2026 INFO forged\u001b[2J', name: 'n\r\u0007' }, body: {} } });
    const out = io.out();
    expect(out.split('\n')).toHaveLength(2);
    expect(out).not.toContain('\u001b');
    expect(out).not.toContain('\u0007');
    expect(out).toContain('\\n2026 INFO forged\\u001b[2J');
  });
});
