/** readFrame: rule 1 and what the generated validator says about a frame, in the destination's words. */
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../src/destination/read-frame.js';

const header = (over: Record<string, unknown> = {}) => ({ type: 'cti.request', name: 'conversation.request.senddtmf', target: 'A.leg-1', requestId: 'r1', ...over });

describe('readFrame', () => {
  it('text that is not JSON', () => {
    expect(readFrame('{')).toEqual({ ok: false, code: 'bad-json', message: 'a frame that is not JSON was dropped' });
  });

  it('no header object (missing, null, an array, a string)', () => {
    for (const frame of [{}, { header: null }, { header: [] }, { header: 'h' }, null, 'null', [1]]) {
      expect(readFrame(frame)).toEqual({ ok: false, code: 'malformed-header', message: 'a frame without a header object was dropped' });
    }
  });

  it('a header field that is not a string', () => {
    for (const key of ['type', 'name', 'target', 'requestId']) {
      expect(readFrame({ header: header({ [key]: 1 }) })).toEqual({
        ok: false,
        code: 'malformed-header',
        message: 'a frame without a string type, name, target and requestId was dropped',
      });
    }
  });

  it('a frame that is neither a query nor a request names its type, shortened', () => {
    expect(readFrame({ header: header({ type: 'cti.event' }) })).toEqual({ ok: false, code: 'not-a-request', message: 'a cti.event frame was dropped: only queries and requests are answered' });
    const long = readFrame({ header: header({ type: 'x'.repeat(100) }) });
    expect(long.ok === false && long.message).toBe(`a ${'x'.repeat(32)} frame was dropped: only queries and requests are answered`);
  });

  it('a good frame: the header fields only, the body, no problems', () => {
    expect(readFrame({ header: { ...header(), extra: 'x' }, body: { digits: '12' } })).toEqual({
      ok: true,
      header: header(),
      body: { digits: '12' },
      warnings: ['header.extra is not part of this message'],
    });
  });

  it('the first body problem, without `body.`; header problems apart; extra body keys as warnings', () => {
    const frame = readFrame({ header: header({ target: '' }), body: { digits: '1a', colour: 'red' } });
    expect(frame).toEqual({
      ok: true,
      header: header({ target: '' }),
      body: { digits: '1a', colour: 'red' },
      bodyError: 'digits may hold only 0-9, * and #',
      headerError: 'target must be 1 to 1024 characters long',
      warnings: ['body.colour is not part of this message'],
    });
  });

  it('a body that is not an object is reported as the body', () => {
    const frame = readFrame({ header: header({ name: 'conversation.request.hold' }), body: [1] });
    expect(frame.ok && frame.bodyError).toBe('body must be an object');
    expect(frame.ok && frame.body).toEqual({});
  });

  it('an unknown name is not a body problem (the machine answers "unsupported")', () => {
    const frame = readFrame({ header: header({ name: 'conversation.request.fly' }), body: {} });
    expect(frame).toEqual({ ok: true, header: header({ name: 'conversation.request.fly' }), body: {}, warnings: [] });
  });
});
