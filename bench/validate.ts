/**
 * `npm run bench:validate`: validations per second of the generated validators beside Ajv
 * validators compiled from the same generated JSON Schemas, in the same process and run.
 *
 * Ajv gets the same dispatch ours has (a Map from header name, result and type to the compiled
 * schema of that one message), so both sides do the same work; Ajv stops at the first error (its
 * default and fastest mode) while ours lists every problem. A second Ajv figure validates against
 * the bundle's oneOf union, as a user who compiles bundle.json directly would.
 *
 * `npm run bench:validate -- --write` also writes the figures into BENCHMARKS.md ("Validators").
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { writeBenchmarkSection } from './support/benchmarks-file.js';
import { Ajv, type ValidateFunction } from 'ajv';
import { validateInbound, validateOutbound } from '../generated/validators.js';
import { EVENT_EXAMPLES, FAILURE_EXAMPLE, INBOUND_EXAMPLES, SUCCESS_EXAMPLES } from '../test/catalogue/examples.js';

type Json = { header: Record<string, unknown>; body: Record<string, unknown> };
type Validator = (value: unknown) => boolean;

const schemaFolder = new URL('../generated/schema/', import.meta.url);
const readSchema = (name: string) => JSON.parse(readFileSync(new URL(name, schemaFolder), 'utf8')) as Record<string, unknown>;

// --- Ajv, compiled once from the generated schemas -------------------------------------------
const ajv = new Ajv({ strict: true });
function compileMessage(id: string): ValidateFunction {
  return ajv.compile(readSchema(`${id}.json`));
}
const ajvInboundByName = new Map<string, ValidateFunction>(Object.keys(INBOUND_EXAMPLES).map((name) => [name, compileMessage(name)]));
const ajvSuccessByName = new Map<string, ValidateFunction>(Object.keys(SUCCESS_EXAMPLES).map((name) => [name, compileMessage(`${name}.success`)]));
const ajvEventByName = new Map<string, ValidateFunction>(Object.keys(EVENT_EXAMPLES).map((name) => [name, compileMessage(name)]));
const ajvFailure = compileMessage('failure');
const bundleAjv = new Ajv({ strict: true });
bundleAjv.addSchema(readSchema('bundle.json'), 'bundle.json');
const ajvBundleInbound = bundleAjv.getSchema('bundle.json#/definitions/InboundMessage')!;
const ajvBundleOutbound = bundleAjv.getSchema('bundle.json#/definitions/OutboundMessage')!;

function headerOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const header = (value as { header?: unknown }).header;
  return typeof header === 'object' && header !== null ? (header as Record<string, unknown>) : undefined;
}

const ajvInbound: Validator = (value) => {
  const name = headerOf(value)?.name;
  const validate = typeof name === 'string' ? ajvInboundByName.get(name) : undefined;
  return validate !== undefined && validate(value);
};
const ajvOutbound: Validator = (value) => {
  const header = headerOf(value);
  if (header === undefined) return false;
  if (header.type === 'cti.event') {
    const validate = typeof header.name === 'string' ? ajvEventByName.get(header.name) : undefined;
    return validate !== undefined && validate(value);
  }
  if (header.result === 'FAILURE') return ajvFailure(value);
  const validate = typeof header.name === 'string' ? ajvSuccessByName.get(header.name) : undefined;
  return validate !== undefined && validate(value);
};

// --- The corpus: distinct objects, as frames parsed off a socket would be ----------------------
// `--tiny` (the CI smoke run of `npm run bench`): a corpus and round count that only prove the script runs.
const TINY = process.argv.includes('--tiny');
const COPIES = TINY ? 4 : 400;
const ROUNDS = TINY ? 1 : 9;
function distinct(message: unknown, index: number): Json {
  const copy = structuredClone(message) as Json;
  if (typeof copy.header.requestId === 'string') copy.header.requestId = `0b6c1a52-41d4-4f8e-9c3a-${String(index).padStart(12, '0')}`;
  return copy;
}
function corpus(examples: readonly unknown[]): Json[] {
  const messages: Json[] = [];
  for (let index = 0; index < COPIES; index++) for (const example of examples) messages.push(distinct(example, index));
  return messages;
}

const validInbound = corpus(Object.values(INBOUND_EXAMPLES));
const validOutbound = corpus([...Object.values(SUCCESS_EXAMPLES), FAILURE_EXAMPLE, ...Object.values(EVENT_EXAMPLES)]);
const breakers: ((message: Json) => void)[] = [
  (message) => delete message.header.target,
  // The generic FAILURE takes any name and target, so it is broken in other ways there.
  (message) => (message.header.result === 'FAILURE' ? (message.header.result = 'MAYBE') : (message.header.name = 'conversation.request.teleport')),
  (message) => (message.header.type = 'cti.unknown'),
  (message) => ((message as { body: unknown }).body = 'text'),
  (message) => (message.header.result === 'FAILURE' ? (message.header.errorMessage = '') : (message.header.target = 'x'.repeat(2000))),
  (message) => (message.header.requestId = 12),
  (message) => ((message as { header: unknown }).header = null),
];
function broken(messages: readonly Json[]): Json[] {
  return messages.map((message, index) => {
    const copy = structuredClone(message);
    breakers[index % breakers.length]!(copy);
    return copy;
  });
}
const invalidInbound = broken(validInbound);
const invalidOutbound = broken(validOutbound);

// --- Measuring -------------------------------------------------------------------------------
interface Contender {
  readonly label: string;
  /** Passes over the corpus per timed round. */
  readonly passes: number;
  readonly inbound: Validator;
  readonly outbound: Validator;
}
const contenders: Contender[] = [
  { label: 'ours (generated/validators.ts)', passes: 10, inbound: (value) => validateInbound(value).ok, outbound: (value) => validateOutbound(value).ok },
  { label: 'Ajv, per-message schemas + dispatch', passes: 10, inbound: ajvInbound, outbound: ajvOutbound },
  // Tries every branch of the union, so it is far slower: fewer passes keep the run short.
  { label: 'Ajv, bundle oneOf', passes: 1, inbound: (value) => ajvBundleInbound(value) === true, outbound: (value) => ajvBundleOutbound(value) === true },
];

interface Corpus {
  readonly inbound: readonly Json[];
  readonly outbound: readonly Json[];
  /** How many messages of the corpus each contender must find valid in one pass. */
  readonly valid: number;
}

/** One pass: every message through the contender; returns how many it found valid. */
function pass(contender: Contender, corpus: Corpus): number {
  let valid = 0;
  for (const message of corpus.inbound) if (contender.inbound(message)) valid++;
  for (const message of corpus.outbound) if (contender.outbound(message)) valid++;
  return valid;
}

/**
 * Validations per second of every contender on one corpus. The contenders take turns round by
 * round, so a busy machine slows them alike; each figure is the median of its rounds, and the
 * ratio is the median of the per-round ratios of ours to Ajv's.
 */
function measure(corpus: Corpus, rounds = ROUNDS): { rates: number[]; ratios: number[] } {
  const size = corpus.inbound.length + corpus.outbound.length;
  for (const contender of contenders) {
    for (let warm = 0; warm < contender.passes * 2; warm++) {
      const valid = pass(contender, corpus);
      if (valid !== corpus.valid) throw new Error(`${contender.label} found ${valid} valid where ${corpus.valid} are`);
    }
  }
  const samples: number[][] = contenders.map(() => []);
  for (let round = 0; round < rounds; round++) {
    contenders.forEach((contender, index) => {
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.hrtime.bigint();
      for (let repeat = 0; repeat < contender.passes; repeat++) pass(contender, corpus);
      samples[index]!.push((size * contender.passes) / (Number(process.hrtime.bigint() - start) / 1e9));
    });
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const rates = samples.map(median);
  const ratios = samples.map((own) => median(own.map((rate, round) => samples[0]![round]! / rate)));
  return { rates, ratios };
}

const validCorpus: Corpus = { inbound: validInbound, outbound: validOutbound, valid: validInbound.length + validOutbound.length };
const invalidCorpus: Corpus = { inbound: invalidInbound, outbound: invalidOutbound, valid: 0 };
// Four valid messages to one invalid one, interleaved.
const mixedInbound = validInbound.map((message, index) => (index % 5 === 4 ? invalidInbound[index]! : message));
const mixedOutbound = validOutbound.map((message, index) => (index % 5 === 4 ? invalidOutbound[index]! : message));
const mixedCorpus: Corpus = {
  inbound: mixedInbound,
  outbound: mixedOutbound,
  valid: mixedInbound.filter((message) => validateInbound(message).ok).length + mixedOutbound.filter((message) => validateOutbound(message).ok).length,
};

const millions = (perSecond: number) => `${(perSecond / 1e6).toFixed(2)} M/s`;
const figures = { valid: measure(validCorpus), invalid: measure(invalidCorpus), mixed: measure(mixedCorpus) };
const ratio = (value: number) => `${value.toFixed(2)}×`;
const columns = ['valid', 'invalid', 'mixed'] as const;
const table = [
  '| validator | valid messages | invalid messages | mixed (4 valid : 1 invalid) |',
  '|---|---|---|---|',
  ...contenders.map((contender, index) => `| ${contender.label} | ${columns.map((column) => millions(figures[column].rates[index]!)).join(' | ')} |`),
  `| **ours ÷ Ajv (per-message + dispatch)** | ${columns.map((column) => `**${ratio(figures[column].ratios[1]!)}**`).join(' | ')} |`,
  `| ours ÷ Ajv (bundle oneOf) | ${columns.map((column) => ratio(figures[column].ratios[2]!)).join(' | ')} |`,
].join('\n');

const machine = `Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'} (${cpus().length} cores), ${new Date().toISOString().slice(0, 10)}`;
const corpusLine = `${validInbound.length + validOutbound.length} distinct message objects per corpus (every query, request, response and event of the catalogue, ${COPIES} copies with their own requestIds); the invalid corpus breaks each one in one of ${breakers.length} ways. The contenders take turns over ${ROUNDS} rounds (10 passes each; 1 for the oneOf bundle); figures are medians, ratios the median of per-round ratios.`;
console.log(`Validators, ${machine}\n${corpusLine}\n\n${table}\n`);
console.log(`ours ÷ Ajv on valid messages: ${ratio(figures.valid.ratios[1]!)} (goal: at least 1.5×)`);

if (process.argv.includes('--write')) {
  const path = new URL('../BENCHMARKS.md', import.meta.url);
  const section = [
    '## Validators',
    '',
    '`npm run bench:validate` (add `-- --write` to update this section). Ours: the ts-morph-emitted',
    '`generated/validators.ts` (every problem listed, with paths and sentences). Ajv 8 compiled from',
    'the same `generated/schema/` files, first error only (its fastest mode), behind the same kind of',
    'dispatch on the header; and Ajv on the bundle\'s `oneOf` union, as a user compiling `bundle.json`',
    'directly would. The machine is shared with other work while this runs: absolute figures move',
    'from run to run, the ratios (taken round by round) much less.',
    '',
    `${machine}. ${corpusLine}`,
    '',
    table,
    '',
  ].join('\n');
  writeBenchmarkSection(path, '## Validators', section);
  console.log('wrote the "Validators" section of BENCHMARKS.md');
}
