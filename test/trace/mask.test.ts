/** Masking keeps what the destination's rules look at, so a masked trace replays exactly. */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { Masker } from '../../src/trace/index.js';

const dtmf = fc.string({ unit: fc.constantFrom(...'0123456789*#'), minLength: 1, maxLength: 70 });
const DIAL = /^\+?[0-9*#]{1,64}$/;
const SIP = /^sips?:[!-~]{1,250}$/;
const NUMBER = /^[^\u0000-\u001F\u007F-\u009F]{1,256}$/;

describe('Masker', () => {
  test.prop([fc.array(dtmf, { maxLength: 40 })])('digits: same value same token, different values different tokens, length and alphabet kept', (values) => {
    const masker = new Masker();
    const tokens = values.map((v) => masker.digits(v) as string);
    values.forEach((value, i) => {
      expect(tokens[i]).toHaveLength(value.length);
      expect(tokens[i]).toMatch(/^[0-9*#]+$/);
      values.forEach((other, j) => expect(tokens[i] === tokens[j]).toBe(value === other));
    });
  });

  test.prop([fc.array(fc.oneof(fc.string({ maxLength: 300 }), dtmf.map((d) => `+${d}`), fc.webUrl().map((u) => `sip:${u.slice(0, 260)}`)), { maxLength: 30 })])(
    'destinations: a valid one stays valid and an invalid one invalid, and equality is kept',
    (values) => {
      const masker = new Masker();
      const tokens = values.map((v) => masker.destination(v) as string);
      const valid = (v: string) => DIAL.test(v) || SIP.test(v);
      values.forEach((value, i) => {
        expect(valid(tokens[i] as string)).toBe(valid(value));
        if (valid(value)) values.forEach((other, j) => expect(tokens[i] === tokens[j]).toBe(value === other));
      });
    },
  );

  test.prop([fc.array(fc.string({ maxLength: 300 }), { maxLength: 30 })])('numbers: validity and equality kept; "unknown" left as the destination says it', (values) => {
    const masker = new Masker();
    const tokens = values.map((v) => masker.number(v) as string);
    values.forEach((value, i) => {
      expect(NUMBER.test(tokens[i] as string)).toBe(NUMBER.test(value));
      if (NUMBER.test(value)) values.forEach((other, j) => expect(tokens[i] === tokens[j]).toBe(value === other));
    });
    expect(masker.number('unknown')).toBe('unknown');
  });

  it('a party number reported by the phone and the same number in a removeparty get the same token', () => {
    const masker = new Masker();
    const event = masker.event({ type: 'partyAdded', party: { number: '2001', name: 'Supervisor' } });
    const frame = masker.frame({ header: { name: 'conversation.request.removeparty' }, body: { number: '2001' } }) as { body: { number: string } };
    expect(event).toEqual({ type: 'partyAdded', party: { number: frame.body.number, name: 'name-1' } });
    expect(masker.args('removeParty', ['2001'])).toEqual([frame.body.number]);
    expect(masker.event({ type: 'partyRemoved', number: '2001' })).toEqual({ type: 'partyRemoved', number: frame.body.number });
    expect(masker.snapshot({ state: 'TALKING', muted: false, parties: [{ number: '2001' }] })).toEqual({ state: 'TALKING', muted: false, parties: [{ number: frame.body.number }] });
  });

  it('leaves the header, other events and other operations alone; a frame without those fields is the same object', () => {
    const masker = new Masker();
    const frame = { header: { type: 'cti.request', name: 'conversation.request.hold', target: 'T.leg-1', requestId: '555-1234' }, body: {} };
    expect(masker.frame(frame)).toBe(frame);
    expect(masker.event({ type: 'failed', reason: 'busy here' })).toEqual({ type: 'failed', reason: 'busy here' });
    expect(masker.args('hold', [])).toEqual([]);
    expect(masker.frame('not an object')).toBe('not an object');
  });
});
