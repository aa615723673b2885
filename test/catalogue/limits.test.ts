/**
 * The limits docs/contract.md sets (request handling, item 8) at their exact boundaries, lengths counted
 * in code points, the lenient inbound rules and the shapes of the whole-message errors.
 */
import { describe, expect, it } from 'vitest';
import { validateInbound, validateOutbound } from '../../src/index.js';
import { HEADER_NAME_LIMIT } from '../../generated/catalogue.js';
import { copy, EVENT_EXAMPLES, FAILURE_EXAMPLE, INBOUND_EXAMPLES, SUCCESS_EXAMPLES } from './examples.js';

function withBody(name: 'conversation.request.transfer' | 'conversation.request.conference' | 'conversation.request.senddtmf' | 'conversation.request.removeparty', body: unknown) {
  return { ...copy(INBOUND_EXAMPLES[name]), body };
}

const EMOJI = '\u{1F4DE}'; // one code point, two UTF-16 units

describe('destination (transfer and conference)', () => {
  const accepted = ['1', '+1', '*', '#', '1'.repeat(64), `+${'9'.repeat(64)}`, 'sip:a', 'sips:a', `sip:${'~'.repeat(250)}`, 'sip:alice@example.test;transport=tcp'];
  const refused = ['', '+', '1'.repeat(65), `+${'9'.repeat(65)}`, '++1', '12a', ' 1', 'sip:', `sip:${'a'.repeat(251)}`, 'sip:a b', 'tel:123', 'SIP:a', `sip:caf\u00e9`];
  for (const name of ['conversation.request.transfer', 'conversation.request.conference'] as const) {
    it(`${name} accepts a number or a SIP URI within the limits`, () => {
      for (const destination of accepted) expect(validateInbound(withBody(name, { destination })).ok, destination).toBe(true);
    });
    it(`${name} refuses anything else at body.destination with a sentence that does not echo it`, () => {
      for (const destination of refused) {
        const result = validateInbound(withBody(name, { destination }));
        expect(result.ok, destination).toBe(false);
        if (result.ok) continue;
        expect(result.errors).toEqual([
          expect.objectContaining({ path: 'body.destination', code: 'pattern', message: expect.stringMatching(/^must be a phone number .* or a SIP URI/) }),
        ]);
      }
    });
  }
});

describe('digits (senddtmf)', () => {
  it('accepts 1 to 64 of 0-9, * and #', () => {
    for (const digits of ['0', '*', '#', '0123456789*#', '5'.repeat(64)]) {
      expect(validateInbound(withBody('conversation.request.senddtmf', { digits })).ok, digits).toBe(true);
    }
  });
  it('says "may hold only 0-9, * and #" for other characters, without echoing them', () => {
    const result = validateInbound(withBody('conversation.request.senddtmf', { digits: '4111 1111' }));
    expect(result).toMatchObject({ ok: false, errors: [{ path: 'body.digits', code: 'pattern', message: 'may hold only 0-9, * and #' }] });
  });
  it('refuses an empty string and 65 digits by length', () => {
    for (const digits of ['', '1'.repeat(65)]) {
      const result = validateInbound(withBody('conversation.request.senddtmf', { digits }));
      expect(result).toMatchObject({ ok: false, errors: [{ path: 'body.digits', code: 'length', message: 'must be 1 to 64 characters long' }] });
    }
  });
});

describe('number (removeparty) and party numbers', () => {
  it('accepts 1 to 256 printable characters, counted in code points', () => {
    for (const number of ['1', 'a b', 'x'.repeat(256), EMOJI.repeat(256), `caf\u00e9`]) {
      expect(validateInbound(withBody('conversation.request.removeparty', { number })).ok, number.slice(0, 8)).toBe(true);
    }
  });
  it('refuses an empty string, 257 characters and control characters', () => {
    const cases: [string, string][] = [
      ['', 'length'],
      ['x'.repeat(257), 'length'],
      [EMOJI.repeat(257), 'length'],
      ['12\n3', 'pattern'],
      ['\u0000', 'pattern'],
      ['\u009f', 'pattern'],
      ['\u007f', 'pattern'],
    ];
    for (const [number, code] of cases) {
      const result = validateInbound(withBody('conversation.request.removeparty', { number }));
      expect(result, JSON.stringify(number.slice(0, 8))).toMatchObject({ ok: false, errors: [{ path: 'body.number', code }] });
    }
  });
  it('holds the parties of the init response to the same limits', () => {
    const response = copy(SUCCESS_EXAMPLES['conversation.query.init']);
    response.body.parties = [{ number: '1001' }, { number: '\t' }, { number: '1', name: 'n'.repeat(257) }];
    expect(validateOutbound(response)).toMatchObject({
      ok: false,
      errors: [
        { path: 'body.parties[1].number', code: 'pattern' },
        { path: 'body.parties[2].name', code: 'length' },
      ],
    });
  });
});

describe('header limits', () => {
  it('counts requestId and target in code points: 256 emoji fit, 257 do not', () => {
    const fits = copy(INBOUND_EXAMPLES['conversation.request.hold']);
    fits.header.requestId = EMOJI.repeat(256);
    expect(validateInbound(fits).ok).toBe(true);
    const long = copy(INBOUND_EXAMPLES['conversation.request.hold']);
    long.header.requestId = EMOJI.repeat(257);
    expect(validateInbound(long)).toMatchObject({ ok: false, errors: [{ path: 'header.requestId', code: 'length' }] });
  });
  it('counts a lone surrogate as one character, as JSON Schema does', () => {
    const message = copy(INBOUND_EXAMPLES['conversation.request.hold']);
    message.header.requestId = '\ud800'.repeat(256);
    expect(validateInbound(message).ok).toBe(true);
    message.header.requestId = `${'\ud800'.repeat(255)}${EMOJI}`;
    expect(validateInbound(message).ok).toBe(true);
  });
  it('lets the generic FAILURE echo any name, target and requestId, even empty', () => {
    const failure = copy(FAILURE_EXAMPLE);
    failure.header.name = '';
    failure.header.target = 't'.repeat(5000);
    failure.header.requestId = '';
    expect(validateOutbound(failure).ok).toBe(true);
  });
  it('requires errorMessage on a FAILURE and refuses it on a SUCCESS', () => {
    const failure = copy(FAILURE_EXAMPLE) as { header: Record<string, unknown>; body: object };
    delete failure.header.errorMessage;
    expect(validateOutbound(failure)).toMatchObject({ ok: false, errors: [{ path: 'header.errorMessage', code: 'missing' }] });
    const success = { ...copy(SUCCESS_EXAMPLES['conversation.request.hold']), header: { ...SUCCESS_EXAMPLES['conversation.request.hold'].header, errorMessage: 'x' } };
    expect(validateOutbound(success)).toMatchObject({ ok: false, errors: [{ path: 'header.errorMessage', code: 'extra' }] });
  });
  it('refuses a FAILURE with a body', () => {
    expect(validateOutbound({ ...copy(FAILURE_EXAMPLE), body: { why: 'x' } })).toMatchObject({ ok: false, errors: [{ path: 'body.why', code: 'extra' }] });
  });
});

describe('inbound leniency', () => {
  it('counts a missing or null body as {} and hands back a message that has one', () => {
    for (const body of [undefined, null]) {
      const { header } = copy(INBOUND_EXAMPLES['conversation.request.answer']);
      const result = validateInbound(body === undefined ? { header } : { header, body });
      expect(result).toEqual({ ok: true, message: { header, body: {} }, warnings: [] });
    }
  });
  it('still lists unknown keys beside a missing body', () => {
    const { header } = copy(INBOUND_EXAMPLES['conversation.request.answer']);
    expect(validateInbound({ header, surplus: 1 })).toMatchObject({ ok: true, message: { header, body: {} }, warnings: [{ path: 'surplus', code: 'extra' }] });
  });
  it('still requires the body fields of a request that has some', () => {
    const { header } = copy(INBOUND_EXAMPLES['conversation.request.senddtmf']);
    expect(validateInbound({ header, body: null })).toMatchObject({ ok: false, errors: [{ path: 'body.digits', code: 'missing' }] });
  });
  it('keeps the same object when nothing needs filling in', () => {
    const message = copy(INBOUND_EXAMPLES['conversation.request.transfer']);
    const result = validateInbound(message);
    expect(result.ok && result.message).toBe(message);
  });
  it('is strict outbound: a missing body is an error', () => {
    const { header } = copy(EVENT_EXAMPLES['conversation.ringing']);
    expect(validateOutbound({ header })).toMatchObject({ ok: false, errors: [{ path: 'body', code: 'missing' }] });
  });
});

describe('whole-message problems', () => {
  it('refuses what is not an object at the root', () => {
    for (const value of [null, undefined, 1, 'x', [], true]) {
      for (const validate of [validateInbound, validateOutbound]) {
        expect(validate(value)).toEqual({ ok: false, errors: [{ path: '', code: 'not-object', message: 'must be an object with a header and a body' }], warnings: [] });
      }
    }
  });
  it('names a missing or malformed header', () => {
    expect(validateInbound({ body: {} })).toMatchObject({ ok: false, errors: [{ path: 'header', code: 'missing' }] });
    expect(validateOutbound({ header: [], body: {} })).toMatchObject({ ok: false, errors: [{ path: 'header', code: 'not-object' }] });
  });
  it('answers "unknown-name" at header.name for names outside the catalogue, prototype keys included', () => {
    for (const name of ['conversation.request.teleport', 'toString', '__proto__', 'constructor', 'conversation.ringing']) {
      const message = { header: { ...INBOUND_EXAMPLES['conversation.request.hold'].header, name }, body: {} };
      expect(validateInbound(message)).toMatchObject({ ok: false, errors: [{ path: 'header.name', code: 'unknown-name' }] });
    }
    const event = { header: { ...EVENT_EXAMPLES['conversation.held'].header, name: 'hasOwnProperty' }, body: {} };
    expect(validateOutbound(event)).toMatchObject({ ok: false, errors: [{ path: 'header.name', code: 'unknown-name' }] });
  });
  it('refuses a header.name past the catalogue limit for its length (128 characters), empty too, before any lookup', () => {
    const header = INBOUND_EXAMPLES['conversation.request.hold'].header;
    for (const name of ['', 'conversation.request.'.padEnd(129, 'x'), 'x'.repeat(300_000), '\u{1F600}'.repeat(129)]) {
      expect(validateInbound({ header: { ...header, name }, body: {} })).toMatchObject({ ok: false, errors: [{ path: 'header.name', code: 'length', message: 'must be 1 to 128 characters long' }] });
    }
    // 128 astral characters are 256 UTF-16 units but 128 characters: within the limit, so merely unknown.
    expect(validateInbound({ header: { ...header, name: '\u{1F600}'.repeat(128) }, body: {} })).toMatchObject({ ok: false, errors: [{ path: 'header.name', code: 'unknown-name' }] });
    expect(HEADER_NAME_LIMIT).toEqual({ minLength: 1, maxLength: 128 });
  });
  it('refuses a known name sent with the wrong kind', () => {
    const asQuery = { header: { ...INBOUND_EXAMPLES['conversation.request.hold'].header, type: 'cti.query' }, body: {} };
    expect(validateInbound(asQuery)).toMatchObject({ ok: false, errors: [{ path: 'header.type', code: 'enum', message: 'must be cti.request' }] });
    const request = copy(INBOUND_EXAMPLES['conversation.request.hold']);
    expect(validateOutbound(request)).toMatchObject({ ok: false, errors: [{ path: 'header.type', code: 'enum', message: 'must be cti.response or cti.event' }] });
    const badResult = { ...copy(SUCCESS_EXAMPLES['conversation.request.hold']), header: { ...SUCCESS_EXAMPLES['conversation.request.hold'].header, result: 'MAYBE' } };
    expect(validateOutbound(badResult)).toMatchObject({ ok: false, errors: [{ path: 'header.result', code: 'enum' }] });
  });
  it('reports every problem of a message, not just the first', () => {
    const message = { header: { type: 'cti.request', name: 'conversation.request.transfer', target: '', requestId: 7 }, body: { destination: 'x', extra: 1 } };
    const result = validateInbound(message);
    expect(result).toMatchObject({
      ok: false,
      errors: [
        { path: 'header.target', code: 'length' },
        { path: 'header.requestId', code: 'type' },
        { path: 'body.destination', code: 'pattern' },
      ],
      warnings: [{ path: 'body.extra', code: 'extra' }],
    });
  });
  it('reads a key named __proto__ as an own key, reported as unknown', () => {
    const message = JSON.parse('{"header":{"type":"cti.request","name":"conversation.request.hold","target":"t","requestId":"r","__proto__":{"x":1}},"body":{"__proto__":null}}');
    const result = validateInbound(message);
    expect(result.ok).toBe(true);
    expect(result.warnings.map((warning) => warning.path)).toEqual(['header.__proto__', 'body.__proto__']);
  });
  it('shortens a very long unknown key in its path', () => {
    const key = 'k'.repeat(10_000);
    const result = validateInbound({ ...copy(INBOUND_EXAMPLES['conversation.request.hold']), body: { [key]: 1 } });
    expect(result.warnings[0]!.path).toBe(`body.${'k'.repeat(64)}…`);
  });
});
