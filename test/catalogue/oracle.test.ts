/**
 * Ajv, compiling the generated JSON Schemas, as an oracle: on random messages (valid, nearly
 * valid, boundary lengths, astral characters, junk) our validators and Ajv agree on valid or not.
 * Inbound leniency (a missing or null body is {}, unknown keys are tolerated) is applied to the
 * oracle's side explicitly, from the contract, so it is tested rather than assumed.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateInbound, validateOutbound } from '../../src/index.js';
import { messageArbitrary } from './arbitraries.js';
import { catalogue } from './model.js';

type Schema = Record<string, unknown>;

const bundle = JSON.parse(readFileSync(new URL('../../generated/schema/bundle.json', import.meta.url), 'utf8')) as Schema;

/** The same schemas with every `additionalProperties: false` dropped: unknown keys allowed. */
function tolerant(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tolerant);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) if (!(key === 'additionalProperties' && value === false)) copy[key] = tolerant(value);
  return copy;
}

function compile(schema: Schema, definition: string): ValidateFunction {
  const ajv = new Ajv({ strict: true, allErrors: false });
  ajv.addSchema(schema, 'bundle.json');
  return ajv.getSchema(`bundle.json#/definitions/${definition}`)!;
}

const ajvInbound = compile(bundle, 'InboundMessage');
const ajvInboundTolerant = compile(tolerant(bundle) as Schema, 'InboundMessage');
const ajvOutbound = compile(bundle, 'OutboundMessage');

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The contract's leniency: a missing or null body counts as {}. */
function withBodyFilledIn(value: unknown): unknown {
  if (isObject(value) && (value.body === undefined || value.body === null)) return { ...value, body: {} };
  return value;
}

const inboundMessages = catalogue.messages.filter((message) => message.direction === 'inbound');
const outboundMessages = catalogue.messages.filter((message) => message.direction === 'outbound');
const RUNS = 3000;

describe('our validators agree with Ajv on the generated schemas', () => {
  it('outbound: validateOutbound accepts exactly what Ajv accepts', () => {
    let valid = 0;
    fc.assert(
      fc.property(messageArbitrary(outboundMessages), (value) => {
        const ours = validateOutbound(value).ok;
        expect(ours).toBe(ajvOutbound(value));
        if (ours) valid++;
      }),
      { numRuns: RUNS },
    );
    // The generator must reach both sides, or agreement says little.
    expect(valid).toBeGreaterThan(RUNS / 10);
    expect(valid).toBeLessThan(RUNS * 0.9);
  });

  it('inbound: validateInbound accepts exactly what Ajv accepts once the body is filled in and unknown keys are allowed', () => {
    let valid = 0;
    fc.assert(
      fc.property(messageArbitrary(inboundMessages), (value) => {
        const ours = validateInbound(value).ok;
        expect(ours).toBe(ajvInboundTolerant(withBodyFilledIn(value)));
        if (ours) valid++;
      }),
      { numRuns: RUNS },
    );
    expect(valid).toBeGreaterThan(RUNS / 10);
    expect(valid).toBeLessThan(RUNS * 0.9);
  });

  it('inbound, strictly: accepted with no warning and a body of its own exactly when the strict schema accepts', () => {
    fc.assert(
      fc.property(messageArbitrary(inboundMessages), (value) => {
        const result = validateInbound(value);
        const strict = result.ok && result.warnings.length === 0 && isObject(value) && isObject(value.body);
        expect(strict).toBe(ajvInbound(value));
      }),
      { numRuns: RUNS },
    );
  });
});
