/**
 * Emits docs/messages.md: the reference page, one table row per message and a section per
 * message with its body fields and limits, all from the catalogue.
 */
import { enumMessage, lengthMessage } from './checks.js';
import type { CatalogueModel, Field, MessageModel, ObjectField } from './model.js';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
}

function typeOf(field: Field): string {
  switch (field.kind) {
    case 'string':
      return 'string';
    case 'const':
      return `\`${field.value}\``;
    case 'enum':
      return field.typeName ?? 'string (enum)';
    case 'array':
      return `list of ${typeOf(field.items)}`;
    case 'object':
      return field.typeName ?? 'object';
  }
}

function limitsOf(field: Field): string {
  switch (field.kind) {
    case 'string': {
      const limits: string[] = [];
      if ((field.minLength ?? 0) > 0 || field.maxLength !== undefined) limits.push(lengthMessage(field).replace(/^must (be )?/, ''));
      if (field.pattern !== undefined) limits.push(`\`${field.pattern}\` (${field.patternMessage!.replace(/^must (be )?/, '')})`);
      return limits.join('; ');
    }
    case 'enum':
      return enumMessage(field.values).replace(/^must be /, '');
    case 'array': {
      const limits: string[] = [];
      if (field.minItems !== undefined) limits.push(`at least ${field.minItems}`);
      if (field.maxItems !== undefined) limits.push(`at most ${field.maxItems}`);
      const inner = limitsOf(field.items);
      return [...limits, inner].filter((text) => text !== '').join('; ');
    }
    default:
      return '';
  }
}

function fieldRows(object: ObjectField, prefix: string): string[] {
  const rows: string[] = [];
  for (const property of object.properties) {
    const path = `${prefix}${property.name}`;
    const description = property.field.description ?? '';
    rows.push(`| \`${path}\` | ${cell(typeOf(property.field))} | ${property.optional ? 'no' : 'yes'} | ${cell(limitsOf(property.field))} | ${cell(description)} |`);
  }
  return rows;
}

function fieldTable(object: ObjectField, prefix: string): string[] {
  if (object.properties.length === 0) return ['The body is empty: `{}`.'];
  return ['| field | type | required | limits | meaning |', '|---|---|---|---|---|', ...fieldRows(object, prefix)];
}

function anchor(message: MessageModel): string {
  return message.id.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
}

function title(message: MessageModel): string {
  if (message.name === undefined) return 'Generic FAILURE response';
  return message.kind === 'response' ? `${message.name} — SUCCESS response` : message.name;
}

function section(message: MessageModel): string[] {
  const header = message.header.properties.map((property) => `\`${property.name}\``).join(', ');
  const lines = [
    `### ${title(message)}`,
    '',
    `<a id="${anchor(message)}"></a>`,
    `${cell(message.description)}`,
    '',
    `Kind: ${message.kind}${message.result === undefined ? '' : ` (${message.result})`}. Direction: ${message.direction}. TypeScript type: \`${message.typeName}\`. JSON Schema: \`generated/schema/${message.id}.json\`. Header: ${header}.`,
    '',
    ...fieldTable(message.body, 'body.'),
    '',
  ];
  return lines;
}

export function emitDocs(catalogue: CatalogueModel, banner: string): string {
  const lines: string[] = [banner, '', '# Message reference', '', cell(catalogue.envelopeDescription), ''];
  lines.push(
    'Directions: **inbound** is what the bridge sends the client (checked by `validateInbound`, which',
    'tolerates a missing body and unknown keys); **outbound** is what the client sends the bridge',
    '(checked by `validateOutbound`, strict). Lengths count characters (Unicode code points).',
    '',
    '## Kinds and headers',
    '',
    '| kind | direction | meaning |',
    '|---|---|---|',
  );
  for (const [kind, description] of Object.entries(catalogue.kindDescriptions)) {
    const direction = kind === 'query' || kind === 'request' ? 'inbound' : 'outbound';
    lines.push(`| ${kind} | ${direction} | ${cell(description)} |`);
  }
  const sample = catalogue.messages.find((message) => message.kind === 'request') ?? catalogue.messages[0]!;
  const failure = catalogue.messages.find((message) => message.result === 'FAILURE')!;
  lines.push('', '| header field | type | limits | meaning |', '|---|---|---|---|');
  for (const property of [...sample.header.properties, ...failure.header.properties.filter((p) => p.name === 'errorMessage' || p.name === 'result')]) {
    const kinds = [...new Set(catalogue.messages.map((message) => message.header.properties.find((p) => p.name === 'type')!.field).map((field) => (field.kind === 'const' ? field.value : '')))];
    const nameLimit = catalogue.nameLimit;
    const limits =
      property.name === 'result'
        ? 'SUCCESS or FAILURE'
        : property.name === 'type'
          ? `one of ${kinds.map((kind) => `\`${kind}\``).join(', ')}`
          : property.name === 'name' && nameLimit !== undefined
            ? `${nameLimit.minLength} to ${nameLimit.maxLength} characters`
            : limitsOf(property.field);
    const type = property.field.kind === 'const' ? 'string' : typeOf(property.field);
    const meaning = property.name === 'type' ? 'The message kind: query, request, response or event.' : property.name === 'name' ? (catalogue.nameLimit?.description ?? 'The message name; a response repeats the name of what it answers.') : property.name === 'result' ? 'The outcome (responses only).' : (property.field.description ?? '');
    lines.push(`| \`${property.name}\` | ${type} | ${cell(limits)} | ${cell(meaning)} |`);
  }
  lines.push('');
  for (const destination of catalogue.destinations) {
    const messages = catalogue.messages.filter((message) => message.destination === destination.key);
    lines.push(`## Destination \`${destination.key}\``, '', cell(destination.description), '');
    lines.push('| message | kind | direction | body | description |', '|---|---|---|---|---|');
    for (const message of messages) {
      const body = message.body.properties.map((property) => `\`${property.name}\`${property.optional ? '?' : ''}`).join(', ') || '—';
      lines.push(`| [${title(message)}](#${anchor(message)}) | ${message.kind} | ${message.direction} | ${body} | ${cell(message.description)} |`);
    }
    lines.push('');
    for (const message of messages) lines.push(...section(message));
  }
  lines.push('## Shared', '', ...section(failure));
  if (catalogue.sharedTypes.length > 0) {
    lines.push('### Shared types', '');
    for (const type of catalogue.sharedTypes) {
      lines.push(`#### ${type.typeName}`, '', cell(type.description ?? ''), '');
      if (type.kind === 'enum') lines.push(`Values: ${type.values.map((value) => `\`${value}\``).join(', ')}.`, '');
      else lines.push(...fieldTable(type, ''), '');
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
