/** The linphone adapter's pure pieces: reply framing, the command denylist, events, the rc, ids. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { linphoneRc, parsePoppedEvent, parseReply, refusalOf } from '../../src/adapters/linphone/index.js';
import { replyLooksComplete } from '../../src/adapters/linphone/reply.js';
import { resolveOptions } from '../../src/adapters/linphone/options.js';
import { legIdFor, newNonce } from '../../src/adapters/linphone/leg-id.js';
import { LEG_ID_PATTERN } from '../../src/phone/types.js';

describe('linphone-daemon replies', () => {
  it('parses status, reason and body fields as the daemon writes them', () => {
    expect(parseReply('Status: Ok\n\nId: 1\n\n')).toEqual({ ok: true, reason: '', fields: new Map([['Id', '1']]), body: 'Id: 1' });
    const error = parseReply('Status: Error\nReason: No call with such id.\n');
    expect(error?.ok).toBe(false);
    expect(error?.reason).toBe('No call with such id.');
    expect(parseReply('garbage')).toBeUndefined();
  });

  it('a reply looks complete only once it ends with a newline and carries what its command needs', () => {
    expect(replyLooksComplete('Status: Ok\n', [])).toBe(true);
    expect(replyLooksComplete('Status: Ok\n', ['Id'])).toBe(false);
    expect(replyLooksComplete('Status: Ok\n\nId: 3\n\n', ['Id'])).toBe(true);
    expect(replyLooksComplete('Status: Ok\n\nSize: 0', ['Size'])).toBe(false);
    expect(replyLooksComplete('Status: Error\n', [])).toBe(false);
    expect(replyLooksComplete('Status: Error\nReason: Unknown command.\n', ['Id'])).toBe(true);
  });

  it('reads a popped call-state event and the count left behind it', () => {
    const reply = parseReply('Status: Ok\n\nSize: 2\nEvent-type: call-state-changed\n\nEvent: LinphoneCallOutgoingInit\nFrom: sip:a@127.0.0.1:15070\nId: 1\n\n\n\n')!;
    expect(parsePoppedEvent(reply)).toEqual({
      event: { kind: 'call-state', id: 1, state: 'LinphoneCallOutgoingInit', from: 'sip:a@127.0.0.1:15070' },
      remaining: 2,
    });
    expect(parsePoppedEvent(parseReply('Status: Ok\n\nSize: 0\n\n')!)).toEqual({ event: undefined, remaining: 0 });
    const tone = parseReply('Status: Ok\n\nSize: 0\nEvent-type: receiving-tone\n\nTone: 7\nFrom: sip:a@127.0.0.1\nId: 1\n\n\n\n')!;
    expect(parsePoppedEvent(tone).event).toEqual({ kind: 'tone', id: 1, tone: '7' });
  });
});

describe('the command denylist', () => {
  it('refuses every command known to crash or stop the daemon, and malformed lines', () => {
    for (const line of ['call-stats', 'call-stats 1', 'config-get sound mic_enabled', 'conference rm 2', 'quit', 'call-transfer 1']) {
      expect(refusalOf(line), line).toBeDefined();
    }
    for (const line of ['version\ncall-status', '', ' version', 'x'.repeat(1025)]) expect(refusalOf(line)).toBeDefined();
    for (const line of ['pop-event', 'call sip:bob@127.0.0.1:5072', 'conference add 1', 'call-transfer 1 sip:c@127.0.0.1', 'terminate 3']) {
      expect(refusalOf(line), line).toBeUndefined();
    }
  });
});

describe('the daemon helper rc', () => {
  it('carries the settings the daemon needs to work and stay on its address', () => {
    const rc = linphoneRc({ sipPort: 15070, rtpPorts: [17000, 17049], user: 'agent' });
    for (const line of ['uri=null', 'sip_tcp_port=0', 'sip_tls_port=0', 'guess_hostname=0', 'bind_address=127.0.0.1', 'audio_rtp_port=17000-17049', 'contact=sip:agent@127.0.0.1:15070', 'inc_timeout=600']) {
      expect(rc).toContain(line);
    }
    expect(linphoneRc({ sipPort: 5070, rc: { sip: { inc_timeout: 5 } } })).toContain('inc_timeout=5');
  });
});

describe('the consult call ring timeout option', () => {
  it('defaults to 60 s, takes a value given, and is kept within what a timer can wait', () => {
    expect(resolveOptions({ socket: '/tmp/x' }).consultAnswerTimeoutMs).toBe(60_000);
    expect(resolveOptions({ socket: '/tmp/x', consultAnswerTimeoutMs: 1500 }).consultAnswerTimeoutMs).toBe(1500);
    expect(resolveOptions({ socket: '/tmp/x', consultAnswerTimeoutMs: 0 }).consultAnswerTimeoutMs).toBe(1);
    // Beyond setTimeout's longest delay a timer fires at once: the call would be hung up as placed.
    expect(resolveOptions({ socket: '/tmp/x', consultAnswerTimeoutMs: 1e12 }).consultAnswerTimeoutMs).toBe(2_147_483_647);
  });

  it('refuses a negative or non-finite value, naming the option', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => resolveOptions({ socket: '/tmp/x', consultAnswerTimeoutMs: bad })).toThrow(/consultAnswerTimeoutMs must be a number of 0 or more/);
    }
  });
});

describe('leg ids', () => {
  it('match the contract pattern and differ across nonces and epochs for the same daemon id', () => {
    const a = newNonce();
    const b = newNonce();
    const ids = [legIdFor(a, 1, 1), legIdFor(a, 2, 1), legIdFor(b, 1, 1)];
    for (const id of ids) expect(id).toMatch(LEG_ID_PATTERN);
    expect(new Set(ids).size).toBe(3);
  });
});

describe('the walk-through rc (test/fixtures/linphone/agent.rc, docs/linphone.md)', () => {
  it('is exactly what the helper writes for SIP port 5070 and RTP 17000-17049', () => {
    const fixture = readFileSync(new URL('../fixtures/linphone/agent.rc', import.meta.url), 'utf8');
    expect(fixture).toBe(linphoneRc({ sipPort: 5070, rtpPorts: [17000, 17049], user: 'agent' }));
  });
});
