/**
 * Emits the body of the validator for one field: straight-line checks with the path of every
 * problem built only when there is one. Shared by every message's check function.
 */
import type { Field, ObjectField, StringField } from './model.js';

/** A path under construction: literal pieces and variable names, joined only on error. */
export type PathPart = { readonly text: string } | { readonly variable: string };
export type Path = readonly PathPart[];

export function renderPath(path: Path): string {
  const pieces: string[] = [];
  let literal = '';
  for (const part of path) {
    if ('text' in part) literal += part.text;
    else {
      if (literal !== '') pieces.push(quote(literal));
      literal = '';
      pieces.push(part.variable);
    }
  }
  if (literal !== '' || pieces.length === 0) pieces.push(quote(literal));
  return pieces.join(' + ');
}

export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function child(path: Path, key: string): Path {
  return path.length === 0 ? [{ text: key }] : [...path, { text: `.${key}` }];
}

/** Names regular expressions once per file, so each is compiled once. */
export class PatternTable {
  private readonly names = new Map<string, string>();
  constant(pattern: string): string {
    let name = this.names.get(pattern);
    if (name === undefined) {
      name = `PATTERN_${this.names.size}`;
      this.names.set(pattern, name);
    }
    return name;
  }
  declarations(): string[] {
    return [...this.names].map(([pattern, name]) => `const ${name} = new RegExp(${quote(pattern)}, 'u');`);
  }
}

export function lengthMessage(field: StringField): string {
  const min = field.minLength ?? 0;
  const max = field.maxLength;
  const unit = (n: number) => (n === 1 ? 'character' : 'characters');
  if (max === undefined) return min === 1 ? 'must not be empty' : `must be at least ${min} ${unit(min)} long`;
  if (min === 0) return `must be at most ${max} ${unit(max)} long`;
  if (min === max) return `must be exactly ${max} ${unit(max)} long`;
  return `must be ${min} to ${max} characters long`;
}

export function enumMessage(values: readonly string[]): string {
  if (values.length === 1) return `must be ${values[0]}`;
  return `must be one of ${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

export interface EmitContext {
  readonly patterns: PatternTable;
  /** Where unknown keys go: 'warnings' (inbound, lenient) or 'errors' (outbound, strict). */
  readonly extraSink: 'warnings' | 'errors';
  /** Gives fresh local variable names. */
  next(prefix: string): string;
  /** Paths the dispatcher has already checked (it chose this message by them): no code for them. */
  readonly trusted: ReadonlySet<string>;
}

function push(sink: string, pathExpression: string, code: string, message: string): string {
  return `${sink}.push({ path: ${pathExpression}, code: '${code}', message: ${quote(message)} });`;
}

/** Keys that exist on Object.prototype must be read as own properties only. */
function readProperty(object: string, key: string): string {
  const access = /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${object}.${key}` : `${object}[${quote(key)}]`;
  return key in Object.prototype ? `(Object.hasOwn(${object}, ${quote(key)}) ? ${access} : undefined)` : access;
}

/** Checks `value` (an expression naming a local) against `field`; pushes problems to `errors`. */
export function emitFieldChecks(field: Field, value: string, path: Path, context: EmitContext): string[] {
  const at = renderPath(path);
  switch (field.kind) {
    case 'string': {
      const inner: string[] = [];
      const min = field.minLength ?? 0;
      if (min > 0 || field.maxLength !== undefined) {
        const max = field.maxLength === undefined ? 'Infinity' : String(field.maxLength);
        inner.push(`if (!lengthWithin(${value}, ${min}, ${max})) ${push('errors', at, 'length', lengthMessage(field))}`);
      }
      if (field.pattern !== undefined) {
        inner.push(`if (!${context.patterns.constant(field.pattern)}.test(${value})) ${push('errors', at, 'pattern', field.patternMessage!)}`);
      }
      if (inner.length === 0) return [`if (typeof ${value} !== 'string') ${push('errors', at, 'type', 'must be a string')}`];
      return [`if (typeof ${value} !== 'string') {`, push('errors', at, 'type', 'must be a string'), '} else {', ...inner, '}'];
    }
    case 'const':
      return [`if (${value} !== ${quote(field.value)}) ${push('errors', at, 'enum', enumMessage([field.value]))}`];
    case 'enum': {
      const test = field.values.map((option) => `${value} !== ${quote(option)}`).join(' && ');
      return [`if (${test}) ${push('errors', at, 'enum', enumMessage(field.values))}`];
    }
    case 'array': {
      const index = context.next('i');
      const item = context.next('item');
      const lines = [`if (!Array.isArray(${value})) {`, push('errors', at, 'type', 'must be a list'), '} else {'];
      if (field.minItems !== undefined && field.minItems > 0) {
        const message = `must hold at least ${field.minItems} ${field.minItems === 1 ? 'item' : 'items'}`;
        lines.push(`if (${value}.length < ${field.minItems}) ${push('errors', at, 'min-items', message)}`);
      }
      if (field.maxItems !== undefined) {
        const message = `must hold at most ${field.maxItems} ${field.maxItems === 1 ? 'item' : 'items'}`;
        lines.push(`if (${value}.length > ${field.maxItems}) ${push('errors', at, 'max-items', message)}`);
      }
      const itemPath: Path = [...path, { text: '[' }, { variable: index }, { text: ']' }];
      lines.push(
        `for (let ${index} = 0; ${index} < ${value}.length; ${index}++) {`,
        `const ${item}: unknown = ${value}[${index}];`,
        ...emitFieldChecks(field.items, item, itemPath, context),
        '}',
        '}',
      );
      return lines;
    }
    case 'object': {
      const lines = [`if (!isObject(${value})) {`, push('errors', at, 'not-object', 'must be an object'), '} else {'];
      lines.push(...emitPropertyChecks(field, value, path, context));
      lines.push('}');
      return lines;
    }
  }
}

/** The checks of an object already known to be an object: its properties, then unknown keys. */
export function emitPropertyChecks(field: ObjectField, object: string, path: Path, context: EmitContext): string[] {
  const lines: string[] = [];
  for (const property of field.properties) {
    const propertyPath = child(path, property.name);
    if (context.trusted.has(renderPath(propertyPath))) continue;
    const local = context.next('v');
    lines.push(`const ${local}: unknown = ${readProperty(object, property.name)};`);
    const checks = emitFieldChecks(property.field, local, propertyPath, context);
    if (property.optional) {
      lines.push(`if (${local} !== undefined) {`, ...checks, '}');
    } else {
      lines.push(`if (${local} === undefined) {`, push('errors', renderPath(propertyPath), 'missing', 'is required'), '} else {', ...checks, '}');
    }
  }
  lines.push(...emitExtraKeys(field, object, path, context));
  return lines;
}

function emitExtraKeys(field: ObjectField, object: string, path: Path, context: EmitContext): string[] {
  const key = context.next('key');
  const report = `${context.extraSink}.push({ path: keyPath(${renderPath(path)}, ${key}), code: 'extra', message: 'is not part of this message' });`;
  if (field.properties.length === 0) return [`for (const ${key} in ${object}) ${report}`];
  const known = field.properties.map((property) => `${key} !== ${quote(property.name)}`).join(' && ');
  return [`for (const ${key} in ${object}) {`, `if (${known}) ${report}`, '}'];
}
