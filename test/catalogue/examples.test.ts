/**
 * Every message has a valid example that passes; every required field removed, every field given
 * the wrong type and every limit broken fails with the right path and code, and the message
 * never repeats the value.
 */
import { describe, expect, it } from 'vitest';
import type { Field, MessageModel, ObjectField } from '../../scripts/generate/model.js';
import { validateInbound, validateOutbound, type ValidationError } from '../../src/index.js';
import { copy } from './examples.js';
import { catalogue, exampleOf } from './model.js';

type Json = Record<string, unknown>;

function validate(message: MessageModel, value: unknown) {
  return message.direction === 'inbound' ? validateInbound(value) : validateOutbound(value);
}

/** A place in an example: its dotted path and how to reach its parent object and key. */
interface Spot {
  readonly path: string;
  readonly parentPath: readonly (string | number)[];
  readonly key: string;
  readonly field: Field;
  readonly optional: boolean;
}

function spots(object: ObjectField, value: Json, prefix: string, parentPath: (string | number)[]): Spot[] {
  const found: Spot[] = [];
  for (const property of object.properties) {
    const path = prefix === '' ? property.name : `${prefix}.${property.name}`;
    found.push({ path, parentPath, key: property.name, field: property.field, optional: property.optional });
    const child = value[property.name];
    if (property.field.kind === 'object' && child !== undefined) {
      found.push(...spots(property.field, child as Json, path, [...parentPath, property.name]));
    }
    if (property.field.kind === 'array' && property.field.items.kind === 'object' && Array.isArray(child) && child.length > 0) {
      found.push(...spots(property.field.items, child[0] as Json, `${path}[0]`, [...parentPath, property.name, 0]));
    }
  }
  return found;
}

function parentIn(root: unknown, spot: Spot): Json {
  let node = root as Record<string | number, unknown>;
  for (const step of spot.parentPath) node = node[step] as Record<string | number, unknown>;
  return node as Json;
}

function errorsOf(result: ReturnType<typeof validate>): ValidationError[] {
  return result.ok ? [] : result.errors;
}

/** A one-character string the field's pattern refuses, or undefined when none of the candidates does. */
function refusedCharacter(pattern: string): string | undefined {
  const regex = new RegExp(pattern, 'u');
  return ['\u0001', 'a', 'x', ' ', '\u{1F600}'].find((candidate) => !regex.test(candidate));
}

/** A string of `length` characters the field's pattern accepts (repeats a character of the example). */
function acceptedOfLength(example: string, length: number): string {
  return (example.slice(-1) || 'x').repeat(length);
}

const messages = catalogue.messages;

describe('the examples', () => {
  it('cover every message of the catalogue', () => {
    for (const message of messages) expect(exampleOf(message), message.id).toBeDefined();
    expect(messages.filter((message) => message.direction === 'inbound')).toHaveLength(12);
    expect(messages.filter((message) => message.kind === 'event')).toHaveLength(13);
  });

  for (const message of messages) {
    it(`${message.id}: its example passes, with no warning`, () => {
      const result = validate(message, copy(exampleOf(message)));
      expect(result).toEqual({ ok: true, message: exampleOf(message), warnings: [] });
    });
  }
});

describe.each(messages.map((message) => [message.id, message] as const))('%s', (_id, message) => {
  const example = exampleOf(message) as Json;
  const all = spots(message.shape, example, '', []);

  it('fails with "missing" at the path of each required field removed', () => {
    for (const spot of all.filter((candidate) => !candidate.optional)) {
      if (message.direction === 'inbound' && spot.path === 'body') continue; // a missing body counts as {}
      const broken = copy(example);
      delete parentIn(broken, spot)[spot.key];
      expect(errorsOf(validate(message, broken)), spot.path).toContainEqual(expect.objectContaining({ path: spot.path, code: 'missing' }));
    }
  });

  it('fails at the path of each field given the wrong type', () => {
    for (const spot of all) {
      for (const wrong of [42, true, [], 'text', {}]) {
        const fits =
          (typeof wrong === 'string' && spot.field.kind === 'string') ||
          (Array.isArray(wrong) && spot.field.kind === 'array') ||
          (typeof wrong === 'object' && !Array.isArray(wrong) && spot.field.kind === 'object');
        if (fits) continue;
        const broken = copy(example);
        parentIn(broken, spot)[spot.key] = wrong;
        const codes = spot.field.kind === 'object' ? ['not-object'] : spot.field.kind === 'const' || spot.field.kind === 'enum' ? ['enum', 'type'] : ['type'];
        // header.name chooses the message: a string that names none is an unknown name.
        if (spot.path === 'header.name') codes.push('unknown-name');
        const found = errorsOf(validate(message, broken)).filter((error) => error.path === spot.path);
        expect(found.length, `${spot.path} = ${JSON.stringify(wrong)}`).toBeGreaterThan(0);
        expect(codes).toContain(found[0]!.code);
      }
    }
  });

  it('fails with "length", "pattern", "enum" or "min-items" at the path of each broken limit, never echoing the value', () => {
    let broken = 0;
    for (const spot of all) {
      const field = spot.field;
      const value = parentIn(example, spot)[spot.key];
      const cases: { value: unknown; code: string }[] = [];
      if (field.kind === 'string' && typeof value === 'string') {
        if ((field.minLength ?? 0) > 0) cases.push({ value: '', code: 'length' });
        if (field.maxLength !== undefined) cases.push({ value: acceptedOfLength(value, field.maxLength + 1), code: 'length' });
        if (field.pattern !== undefined) {
          const bad = refusedCharacter(field.pattern);
          if (bad !== undefined) cases.push({ value: `${value.slice(0, 3)}${bad}`.slice(-Math.max(1, field.maxLength ?? 4)), code: 'pattern' });
        }
      }
      if (field.kind === 'enum') cases.push({ value: 'NOT_ONE_OF_THEM', code: 'enum' });
      if (field.kind === 'array' && (field.minItems ?? 0) > 0) cases.push({ value: [], code: 'min-items' });
      for (const testCase of cases) {
        const copyOf = copy(example);
        parentIn(copyOf, spot)[spot.key] = testCase.value;
        const errors = errorsOf(validate(message, copyOf));
        expect(errors, `${spot.path} (${testCase.code})`).toContainEqual(expect.objectContaining({ path: spot.path, code: testCase.code }));
        if (typeof testCase.value === 'string' && testCase.value.length > 1) {
          for (const error of errors) expect(error.message).not.toContain(testCase.value);
        }
        broken++;
      }
    }
    const limited = all.some((spot) => spot.field.kind !== 'const' && spot.field.kind !== 'object' && !(spot.field.kind === 'string' && spot.field.maxLength === undefined && spot.field.pattern === undefined));
    if (limited) expect(broken).toBeGreaterThan(0);
  });

  it(`treats an unknown key as ${message.direction === 'inbound' ? 'a warning' : 'an error'} at its path`, () => {
    for (const spot of [{ path: '' }, ...all.filter((candidate) => candidate.field.kind === 'object')]) {
      const withExtra = copy(example);
      const target = spot.path === '' ? withExtra : parentIn(withExtra, spot as Spot)[(spot as Spot).key] as Json;
      target.surplus = 'x';
      const result = validate(message, withExtra);
      const expected = { path: spot.path === '' ? 'surplus' : `${spot.path}.surplus`, code: 'extra', message: 'is not part of this message' };
      if (message.direction === 'inbound') {
        expect(result.ok).toBe(true);
        expect(result.warnings).toContainEqual(expected);
      } else {
        expect(errorsOf(result)).toContainEqual(expected);
      }
    }
  });
});
