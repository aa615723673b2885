/**
 * fast-check arbitraries built from the catalogue model: messages that are valid, nearly valid
 * (one field missing, mistyped, one character too long, an unknown key), at length boundaries with
 * astral characters and lone surrogates, and plain junk.
 */
import fc from 'fast-check';
import type { Field, MessageModel, ObjectField, StringField } from '../../scripts/generate/model.js';

const ASTRAL = '\u{1F4DE}';
const LONE_SURROGATE = '\ud83d';

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 1.5, true, false, '', [], {}),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Strings of exactly `length` units drawn from a few characters that stress code-point counting. */
function boundaryString(length: number, base: string): fc.Arbitrary<string> {
  const unit = base === '' ? 'x' : base.slice(0, 1);
  return fc
    .array(fc.constantFrom(unit, ASTRAL, LONE_SURROGATE, 'a', '1'), { minLength: Math.max(0, length), maxLength: Math.max(0, length) })
    .map((parts) => parts.join(''));
}

function stringArbitrary(field: StringField): fc.Arbitrary<string> {
  const min = field.minLength ?? 0;
  const max = field.maxLength ?? 300;
  const matching = field.pattern === undefined ? fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'binary' }) : fc.stringMatching(new RegExp(field.pattern, 'u'));
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 80, arbitrary: matching },
    { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
  ];
  const rare = (arbitrary: fc.Arbitrary<string>) => options.push({ weight: 1, arbitrary });
  if (field.maxLength !== undefined) {
    for (const length of [max - 1, max, max + 1, 2 * max, 2 * max + 1]) rare(boundaryString(length, '1'));
    rare(matching.map((text) => text.slice(0, 1).repeat(max + 1)));
    rare(fc.constantFrom(ASTRAL.repeat(max), ASTRAL.repeat(max + 1), `${LONE_SURROGATE.repeat(max - 1)}${ASTRAL}`));
  }
  if (min > 0) rare(fc.constant(''));
  return fc.oneof(...options);
}

export function fieldArbitrary(field: Field, depth = 0): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case 'string':
      return fc.oneof({ weight: 40, arbitrary: stringArbitrary(field) }, { weight: 1, arbitrary: junk });
    case 'const':
      return fc.oneof({ weight: 60, arbitrary: fc.constant(field.value) }, { weight: 1, arbitrary: fc.constantFrom('cti.request', 'cti.event', 'SUCCESS', 'FAILURE') }, { weight: 1, arbitrary: junk });
    case 'enum':
      return fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...field.values) }, { weight: 1, arbitrary: fc.constantFrom('ringing', 'MUTED', '') }, { weight: 1, arbitrary: junk });
    case 'array':
      return fc.oneof(
        { weight: 30, arbitrary: fc.array(fieldArbitrary(field.items, depth + 1), { maxLength: 4 }) },
        { weight: 1, arbitrary: junk },
      );
    case 'object':
      return fc.oneof({ weight: 30, arbitrary: objectArbitrary(field, depth + 1) }, { weight: 1, arbitrary: junk });
  }
}

/** Mostly complete objects; sometimes a key dropped, sometimes an unknown key added. */
export function objectArbitrary(field: ObjectField, depth = 0): fc.Arbitrary<Record<string, unknown>> {
  const entries = field.properties.map((property) =>
    fc.tuple(
      fc.constant(property.name),
      fieldArbitrary(property.field, depth),
      property.optional ? fc.boolean() : fc.oneof({ weight: 60, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    ),
  );
  const extra = fc.oneof(
    { weight: 12, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('surplus', '__proto__', 'toString', 'constructor', 'header', 'name'), junk) },
  );
  return fc.tuple(fc.tuple(...entries), extra).map(([values, added]) => {
    const object: Record<string, unknown> = {};
    for (const [name, value, present] of values) if (present) object[name] = value;
    if (added !== null && !(added[0] in object)) Object.defineProperty(object, added[0], { value: added[1], enumerable: true, writable: true, configurable: true });
    return object;
  });
}

/** Messages for one direction: shaped after the catalogue's messages of that direction, and junk. */
export function messageArbitrary(messages: readonly MessageModel[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.oneof(...messages.map((message) => objectArbitrary(message.shape))) },
    { weight: 1, arbitrary: junk },
    { weight: 1, arbitrary: fc.anything({ withNullPrototype: true, withObjectString: true }) },
  );
}
