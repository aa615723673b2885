/**
 * Emits generated/validators.ts: validateInbound (lenient, what the bridge sends) and
 * validateOutbound (strict, what the client sends). Each message gets one function of inline
 * checks; dispatch is a switch on header fields, so no prototype key such as "toString" can ever
 * resolve to a check. Every problem is collected, each with a dotted path and a phrase that never
 * repeats the value.
 */
import { emitPropertyChecks, PatternTable, quote, type EmitContext } from './checks.js';
import { addBlocks, finish, newSourceFile } from './emit.js';
import type { CatalogueModel, MessageModel } from './model.js';

function checkName(message: MessageModel): string {
  return `check${message.typeName}`;
}

function emitCheckFunction(message: MessageModel, patterns: PatternTable): string {
  let counter = 0;
  const lenient = message.direction === 'inbound';
  // The dispatcher picks the check by header.name (and, outbound, by header.type and
  // header.result), so those are known to hold their constant here.
  const trusted = new Set(["'header.name'"]);
  if (!lenient) trusted.add("'header.type'").add("'header.result'");
  if (message.name === undefined) trusted.delete("'header.name'");
  const context: EmitContext = {
    patterns,
    extraSink: lenient ? 'warnings' : 'errors',
    next: (prefix) => `${prefix}${counter++}`,
    trusted,
  };
  const lines: string[] = [];
  lines.push(`/** ${message.typeName}: ${message.direction === 'inbound' ? 'lenient' : 'strict'} checks. */`);
  lines.push(`function ${checkName(message)}(message: Record<string, unknown>, errors: ValidationError[], warnings: ValidationError[]): unknown {`);
  if (lenient) {
    // A missing or null body counts as {} (docs/contract.md, "Wire"): check the header and that
    // empty body, and hand back a message that has it.
    lines.push('let checked: Record<string, unknown> = message;');
    lines.push('if (message.body === undefined || message.body === null) checked = { ...message, body: {} };');
    lines.push(...emitPropertyChecks(message.shape, 'checked', [], context));
    lines.push('return checked;');
  } else {
    lines.push('void warnings;');
    lines.push(...emitPropertyChecks(message.shape, 'message', [], context));
    lines.push('return message;');
  }
  lines.push('}');
  return lines.join('\n');
}

function callCheck(message: MessageModel): string {
  return `message = ${checkName(message)}(value, errors, warnings);`;
}

function nameSwitch(messages: readonly MessageModel[], unknownMessage: string, limit?: CatalogueModel['nameLimit']): string[] {
  const lines = ['const name = header.name;', "if (name === undefined) return refuse('header.name', 'missing', 'is required');"];
  lines.push("if (typeof name !== 'string') return refuse('header.name', 'type', 'must be a string');");
  if (limit !== undefined) {
    // Past the catalogue's limit a name is refused for its length, not looked up: a reader can
    // tell a name that is too long from one that is merely unknown.
    const words = quote(`must be ${limit.minLength} to ${limit.maxLength} characters long`);
    lines.push(`if (!lengthWithin(name, ${limit.minLength}, ${limit.maxLength})) return refuse('header.name', 'length', ${words});`);
  }
  lines.push('switch (name) {');
  for (const message of messages) lines.push(`case ${quote(message.name!)}:`, callCheck(message), 'break;');
  lines.push('default:', `return refuse('header.name', 'unknown-name', ${quote(unknownMessage)});`, '}');
  return lines;
}

function headerType(message: MessageModel): string {
  const type = message.header.properties.find((property) => property.name === 'type')!.field;
  if (type.kind !== 'const') throw new Error(`${message.id}: header.type must be a constant`);
  return type.value;
}

function groupByType(messages: readonly MessageModel[]): Map<string, MessageModel[]> {
  const groups = new Map<string, MessageModel[]>();
  for (const message of messages) {
    const type = headerType(message);
    groups.set(type, [...(groups.get(type) ?? []), message]);
  }
  return groups;
}

function emitDirection(catalogue: CatalogueModel, direction: 'inbound' | 'outbound'): string {
  const messages = catalogue.messages.filter((message) => message.direction === direction);
  const union = direction === 'inbound' ? 'InboundMessage' : 'OutboundMessage';
  const lines: string[] = [
    `function ${direction}(value: unknown): ValidationResult<${union}> {`,
    "if (!isObject(value)) return refuse('', 'not-object', 'must be an object with a header and a body');",
    'const header = value.header;',
    "if (header === undefined) return refuse('header', 'missing', 'is required');",
    "if (!isObject(header)) return refuse('header', 'not-object', 'must be an object');",
    'const errors: ValidationError[] = [];',
    'const warnings: ValidationError[] = [];',
    'let message: unknown;',
  ];
  if (direction === 'inbound') {
    lines.push(...nameSwitch(messages, 'is not the name of a query or request this client knows', catalogue.nameLimit));
  } else {
    const groups = groupByType(messages);
    const types = [...groups.keys()];
    lines.push('const type = header.type;', 'switch (type) {');
    for (const [type, group] of groups) {
      lines.push(`case ${quote(type)}: {`);
      const failure = group.find((message) => message.result === 'FAILURE');
      const named = group.filter((message) => message.name !== undefined);
      if (group.some((message) => message.result !== undefined)) {
        const results = [...new Set(group.map((message) => message.result!))];
        lines.push('const result = header.result;');
        if (failure !== undefined) lines.push("if (result === 'FAILURE') {", callCheck(failure), 'break;', '}');
        const resultTest = results.map((result) => `result !== ${quote(result)}`).join(' && ');
        lines.push("if (result === undefined) return refuse('header.result', 'missing', 'is required');");
        lines.push(`if (${resultTest}) return refuse('header.result', 'enum', ${quote(`must be ${results.join(' or ')}`)});`);
      }
      if (named.length > 0) {
        const word = named[0]!.kind === 'event' ? 'an event' : 'a response';
        lines.push('{', ...nameSwitch(named, `is not the name of ${word} this client may send`), '}');
      }
      lines.push('break;', '}');
    }
    lines.push("case undefined: return refuse('header.type', 'missing', 'is required');");
    lines.push(`default: return refuse('header.type', 'enum', ${quote(`must be ${types.join(' or ')}`)});`, '}');
  }
  lines.push(`return errors.length === 0 ? { ok: true, message: message as ${union}, warnings } : { ok: false, errors, warnings };`, '}');
  return lines.join('\n');
}

const PREAMBLE = `
import type { InboundMessage, OutboundMessage } from './types.js';

/** What kind of problem a ValidationError reports. */
export type ValidationErrorCode =
  | 'not-object'
  | 'missing'
  | 'type'
  | 'enum'
  | 'pattern'
  | 'length'
  | 'unknown-name'
  | 'extra'
  | 'min-items'
  | 'max-items'
  | 'unreadable';

/** One problem: where it is (dotted, [i] for list items, "" for the whole message) and what it is, never the value. */
export interface ValidationError {
  path: string;
  message: string;
  code: ValidationErrorCode;
}

/**
 * What validateInbound and validateOutbound return: \`ok\` with the message (typed) and any
 * warnings (unknown keys), or not \`ok\` with every error (dotted path, code, sentence; never the value).
 */
export type ValidationResult<M> =
  | { ok: true; message: M; warnings: ValidationError[] }
  | { ok: false; errors: ValidationError[]; warnings: ValidationError[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether a string has min to max characters, counted in Unicode code points as JSON Schema
 * (and Ajv) count them. A UTF-16 length already decides most cases: a string of n units holds
 * between n/2 and n code points, so counting is needed only in between, and stops past max.
 */
function lengthWithin(text: string, min: number, max: number): boolean {
  const units = text.length;
  if (units < min) return false;
  if (units <= max && Math.ceil(units / 2) >= min) return true;
  if (Math.ceil(units / 2) > max) return false;
  let points = 0;
  for (let index = 0; index < units; index++) {
    const unit = text.charCodeAt(index);
    if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < units) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
    }
    points++;
    if (points > max) return false;
  }
  return points >= min;
}

/** The path of an unknown key; a very long key is shortened so a hostile frame cannot bloat reports. */
function keyPath(prefix: string, key: string): string {
  const shown = key.length > 64 ? \`\${key.slice(0, 64)}…\` : key;
  return prefix === '' ? shown : \`\${prefix}.\${shown}\`;
}

function refuse(path: string, code: ValidationErrorCode, message: string): { ok: false; errors: ValidationError[]; warnings: ValidationError[] } {
  return { ok: false, errors: [{ path, code, message }], warnings: [] };
}

/** What a validator answers when reading the value itself failed (a throwing getter or proxy). */
function unreadable(): { ok: false; errors: ValidationError[]; warnings: ValidationError[] } {
  return refuse('', 'unreadable', 'could not be read as a message');
}
`;

const PUBLIC = `
/**
 * Checks a message the bridge sent (a query or a request). Lenient, as the contract asks: a
 * missing or null body counts as {} (the returned message then has one), and unknown keys are
 * listed in warnings rather than refused. Never throws.
 */
export function validateInbound(value: unknown): ValidationResult<InboundMessage> {
  try {
    return inbound(value);
  } catch {
    return unreadable();
  }
}

/**
 * Checks a message the client is about to send (a response or an event). Strict: every key must
 * be known and the body present. Never throws.
 */
export function validateOutbound(value: unknown): ValidationResult<OutboundMessage> {
  try {
    return outbound(value);
  } catch {
    return unreadable();
  }
}
`;

export function emitValidators(catalogue: CatalogueModel, banner: string): string {
  const patterns = new PatternTable();
  const checks = catalogue.messages.map((message) => emitCheckFunction(message, patterns));
  const file = newSourceFile(banner);
  const blocks: string[] = [];
  blocks.push(PREAMBLE);
  blocks.push(patterns.declarations().join('\n'));
  blocks.push(PUBLIC);
  blocks.push(emitDirection(catalogue, 'inbound'));
  blocks.push(emitDirection(catalogue, 'outbound'));
  for (const check of checks) blocks.push(check);
  addBlocks(file, blocks);
  return finish(file);
}
