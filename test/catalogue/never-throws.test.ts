/**
 * The validators never throw, whatever they are given: arbitrary JSON and JavaScript values,
 * deep nesting, very long strings, `__proto__` keys, getters and proxies that throw.
 */
import { test, fc } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { isMessage, validateInbound, validateOutbound } from '../../src/index.js';
import { copy, INBOUND_EXAMPLES } from './examples.js';

const validators = [validateInbound, validateOutbound] as const;

function settles(value: unknown): void {
  for (const validate of validators) {
    const result = validate(value);
    expect(typeof result.ok).toBe('boolean');
    expect(Array.isArray(result.warnings)).toBe(true);
  }
}

/** An object nested `depth` levels deep, built without recursion. */
function deep(depth: number, key: string): unknown {
  let value: unknown = {};
  for (let level = 0; level < depth; level++) value = { [key]: value };
  return value;
}

describe('the validators never throw', () => {
  test.prop([fc.jsonValue()], { numRuns: 500 })('on arbitrary JSON values', (value) => settles(value));

  test.prop([fc.anything({ withNullPrototype: true, withBoxedValues: true, withMap: true, withSet: true, withSparseArray: true, withObjectString: true, withBigInt: true, withDate: true, withTypedArray: true })], { numRuns: 500 })(
    'on arbitrary JavaScript values',
    (value) => settles(value),
  );

  test.prop([fc.jsonValue(), fc.jsonValue()], { numRuns: 300 })('on arbitrary headers and bodies', (header, body) => {
    settles({ header, body });
    settles({ header: { ...INBOUND_EXAMPLES['conversation.request.transfer'].header }, body });
  });

  test.prop([fc.json()], { numRuns: 300 })('on parsed JSON text, __proto__ keys included', (text) => {
    settles(JSON.parse(text));
    settles(JSON.parse(`{"header":{"__proto__":{"name":"conversation.request.hold"}},"body":${text}}`));
  });

  it('on nesting 100,000 levels deep, in every position', () => {
    const nested = deep(100_000, 'x');
    settles(nested);
    settles({ header: nested, body: nested });
    settles({ ...copy(INBOUND_EXAMPLES['conversation.request.hold']), body: nested });
    settles({ ...copy(INBOUND_EXAMPLES['conversation.request.senddtmf']), body: { digits: nested } });
  });

  it('on a 20 MB string in every string field', () => {
    const huge = '9'.repeat(20 * 1024 * 1024);
    const message = copy(INBOUND_EXAMPLES['conversation.request.senddtmf']);
    const result = validateInbound({ header: { ...message.header, target: huge, requestId: huge }, body: { digits: huge } });
    expect(result.ok).toBe(false);
    if (!result.ok) for (const error of result.errors) expect(error.message.length).toBeLessThan(200);
  });

  it('on getters and proxies that throw, answering "unreadable"', () => {
    const trap = new Proxy({}, { get: () => { throw new Error('boom'); }, ownKeys: () => { throw new Error('boom'); } });
    const getter = Object.defineProperty({}, 'header', { get: () => { throw new Error('boom'); }, enumerable: true });
    for (const value of [trap, getter, { header: trap, body: {} }, { ...copy(INBOUND_EXAMPLES['conversation.request.hold']), body: trap }]) {
      for (const validate of validators) {
        const result = validate(value);
        expect(result.ok).toBe(false);
      }
    }
    expect(validateInbound(trap)).toEqual({ ok: false, errors: [{ path: '', code: 'unreadable', message: 'could not be read as a message' }], warnings: [] });
    expect(isMessage(trap, 'conversation.request.hold')).toBe(false);
  });

  it('on objects with a prototype that carries the fields', () => {
    const inherited = Object.create(copy(INBOUND_EXAMPLES['conversation.request.hold'])) as object;
    settles(inherited);
  });
});
