/** The adapter's pure pieces: framing, leg ids, parties, what a close means, mute replies, options. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeNetstring, legIdForCallId, NetstringDecoder, NetstringError, numberFromUri, partyFromPeer } from '../../src/adapters/baresip/index.js';
import { callStateOf, parseCallList, parseCallStat } from '../../src/adapters/baresip/call-list.js';
import { closeEventFor } from '../../src/adapters/baresip/close-reason.js';
import { parseMuteReply } from '../../src/adapters/baresip/leg.js';
import { parseBaresipMessage } from '../../src/adapters/baresip/messages.js';
import { resolveOptions } from '../../src/adapters/baresip/options.js';
import { LEG_ID_PATTERN } from '../../src/phone/types.js';

describe('netstring framing', () => {
  it('encodes the byte length, not the character count', () => {
    expect(encodeNetstring('{"a":"é"}').toString('utf8')).toBe('10:{"a":"é"},');
  });

  it('decodes frames split anywhere and several in one chunk', () => {
    const bytes = Buffer.concat([encodeNetstring('first'), encodeNetstring(''), encodeNetstring('thïrd')]);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const decoder = new NetstringDecoder();
      expect([...decoder.push(bytes.subarray(0, cut)), ...decoder.push(bytes.subarray(cut))]).toEqual(['first', '', 'thïrd']);
    }
  });

  it('rejects broken framing instead of buffering without end', () => {
    expect(() => new NetstringDecoder().push(Buffer.from('5:hello;'))).toThrow(NetstringError);
    expect(() => new NetstringDecoder().push(Buffer.from('x5:hello,'))).toThrow(/not a number/);
    expect(() => new NetstringDecoder().push(Buffer.from('99999999999:'))).toThrow(/too long/);
    expect(() => new NetstringDecoder().push(Buffer.from('1234567890123'))).toThrow(/too long/);
  });
});

describe('leg ids', () => {
  it("keep baresip's own Call-IDs as they are", () => {
    expect(legIdForCallId('566665effd954613')).toBe('566665effd954613');
  });

  it('are the base64url SHA-256 of any other Call-ID, so anyone can compute them', () => {
    const callId = 'a84b4c76e66710@pc33.atlanta.example.com';
    const id = legIdForCallId(callId);
    expect(id).toBe(createHash('sha256').update(callId).digest('base64url'));
    expect(id).toMatch(LEG_ID_PATTERN);
    expect(legIdForCallId('x'.repeat(129))).toMatch(LEG_ID_PATTERN);
  });
});

describe('parties', () => {
  it('take the user part of the peer URI as the number and the display name as the name', () => {
    expect(partyFromPeer('sip:alice@127.0.0.1:5060', undefined)).toEqual({ number: 'alice' });
    expect(partyFromPeer('sip:%2B15551230001@example.com;user=phone', 'Far End')).toEqual({
      number: '+15551230001',
      name: 'Far End',
    });
    expect(partyFromPeer('<sips:2000@pbx>', '  ')).toEqual({ number: '2000' });
  });

  it('fall back to the host, or to "unknown", when there is no user part', () => {
    expect(numberFromUri('sip:127.0.0.1:5070;transport=tcp')).toBe('127.0.0.1:5070');
    expect(partyFromPeer(undefined, undefined)).toEqual({ number: 'unknown' });
    expect(numberFromUri('sip:%zz@host')).toBe('%zz');
  });
});

describe('what a CALL_CLOSED means', () => {
  it('ends every inbound call, whatever the reason', () => {
    expect(closeEventFor('incoming', false, '486 Rejected')).toEqual({ type: 'ended', reason: '486 Rejected' });
    expect(closeEventFor('incoming', true, 'Connection reset by peer')).toEqual({ type: 'ended', reason: 'Connection reset by peer' });
  });

  it('makes an unanswered outbound call busy on 486 or 600 and failed otherwise', () => {
    expect(closeEventFor('outgoing', false, '486 Busy Here')).toEqual({ type: 'busy' });
    expect(closeEventFor('outgoing', false, '600 Busy Everywhere')).toEqual({ type: 'busy' });
    expect(closeEventFor('outgoing', false, '404 Not Found')).toEqual({ type: 'failed', reason: '404 Not Found' });
    expect(closeEventFor('outgoing', false, 'Connection timed out')).toEqual({ type: 'failed', reason: 'Connection timed out' });
    expect(closeEventFor('outgoing', false, '')).toEqual({ type: 'failed', reason: 'the call failed' });
  });

  it('ends an outbound call we cancelled, one that was answered, and one transferred', () => {
    expect(closeEventFor('outgoing', false, 'Connection reset by user')).toEqual({ type: 'ended', reason: 'Connection reset by user' });
    expect(closeEventFor('outgoing', true, '486 Busy Here')).toEqual({ type: 'ended', reason: '486 Busy Here' });
    expect(closeEventFor('outgoing', true, 'Call transfered')).toEqual({ type: 'ended', reason: 'transferred' });
  });
});

describe('baresip messages', () => {
  it('reads mute replies, the only view of the mute state in 1.0.0', () => {
    expect(parseMuteReply('\ncall muted\n')).toBe(true);
    expect(parseMuteReply('\ncall un-muted\n')).toBe(false);
    expect(parseMuteReply('command not found (mute)\n')).toBeUndefined();
  });

  it('parses responses and events and ignores anything else', () => {
    expect(parseBaresipMessage('{"response":true,"ok":true,"data":"x","token":"t1"}')).toEqual({
      kind: 'response',
      response: { ok: true, data: 'x', token: 't1' },
    });
    const event = parseBaresipMessage(
      '{"event":true,"type":"CALL_INCOMING","class":"call","direction":"incoming","peeruri":"sip:a@h","peerdisplayname":"A","id":"abc","param":"sip:a@h"}',
    );
    expect(event).toEqual({
      kind: 'event',
      event: { type: 'CALL_INCOMING', class: 'call', direction: 'incoming', peerUri: 'sip:a@h', peerDisplayName: 'A', callId: 'abc', param: 'sip:a@h' },
    });
    for (const junk of ['', 'nope', '[]', 'null', '{"event":true}', '{"response":"yes"}']) {
      expect(parseBaresipMessage(junk)).toBeUndefined();
    }
  });
});

describe('options', () => {
  it('has the documented defaults', () => {
    const options = resolveOptions({ port: 4444 });
    expect(options).toMatchObject({ host: '127.0.0.1', commandTimeoutMs: 5000, checkIntervalMs: 5000, dtmfBaseMs: 100, dtmfMsPerDigit: 250 });
    expect(options.toUri('sip:x@y')).toBe('sip:x@y');
  });

  it('refuses a bad port or a negative duration with a clear error', () => {
    expect(() => resolveOptions({ port: 0 })).toThrow(/port must be a TCP port number/);
    expect(() => resolveOptions({ port: 70000 })).toThrow(RangeError);
    expect(() => resolveOptions({ port: 4444, dtmfMsPerDigit: -1 })).toThrow(/dtmfMsPerDigit must be a number of 0 or more/);
  });
});

describe("reading baresip's call list (calls from before our connection)", () => {
  it('reads line, state, hold and peer from listcalls', () => {
    const data =
      '\n--- Active calls (3) ---\n  [line 1]  0:00:01  ESTABLISHED  (on hold)  sip:b@127.0.0.1:15070\n' +
      '  [line 2]  0:00:00   INCOMING             sip:c@127.0.0.1:15080\n> [line 3]  0:00:00   OUTGOING             sip:n@127.0.0.1:15999\n\n';
    expect(parseCallList(data)).toEqual([
      { line: 1, state: 'ESTABLISHED', onHold: true, peerUri: 'sip:b@127.0.0.1:15070' },
      { line: 2, state: 'INCOMING', onHold: false, peerUri: 'sip:c@127.0.0.1:15080' },
      { line: 3, state: 'OUTGOING', onHold: false, peerUri: 'sip:n@127.0.0.1:15999' },
    ]);
    expect(parseCallList('\n--- Active calls (0) ---\n\n')).toEqual([]);
  });

  it('reads Call-ID, direction and state from callstat', () => {
    const data =
      '\n===== Call debug (ESTABLISHED) =====\n local_uri:  <sip:a@127.0.0.1:15060>\n peer_uri:   <sip:b@127.0.0.1:15070>\n af=AF_INET id=bfb1ee671d484974\n direction: Incoming\nSDP session\n';
    expect(parseCallStat(data)).toEqual({
      callId: 'bfb1ee671d484974',
      direction: 'incoming',
      state: 'ESTABLISHED',
      peerUri: 'sip:b@127.0.0.1:15070',
      peerName: undefined,
    });
    expect(parseCallStat('\n===== Call debug (INCOMING) =====\n peer_uri:  Demo Caller <sip:555@127.0.0.1:5090>\n af=AF_INET id=cti-demo-1\n direction: Incoming\n')).toEqual({
      callId: 'cti-demo-1',
      direction: 'incoming',
      state: 'INCOMING',
      peerUri: 'sip:555@127.0.0.1:5090',
      peerName: 'Demo Caller',
    });
    expect(parseCallStat('command not found (callstat)\n')).toBeUndefined();
  });

  it('maps a listed call onto a call state', () => {
    expect(callStateOf('incoming', 'INCOMING', false)).toBe('RINGING');
    expect(callStateOf('outgoing', 'OUTGOING', false)).toBe('DIALING');
    expect(callStateOf('outgoing', 'RINGING', false)).toBe('DIALING');
    expect(callStateOf('incoming', 'ESTABLISHED', false)).toBe('TALKING');
    expect(callStateOf('outgoing', 'ESTABLISHED', true)).toBe('HELD');
    expect(callStateOf('incoming', 'TERMINATED', false)).toBeUndefined();
  });
});
