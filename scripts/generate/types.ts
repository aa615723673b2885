/**
 * Emits generated/types.ts from the bundle schema with json-schema-to-typescript: one interface
 * per message (named by its title) and the InboundMessage / OutboundMessage unions.
 */
import { compile } from 'json-schema-to-typescript';
import type { JsonSchema } from './schema.js';

export async function emitTypes(bundle: JsonSchema, banner: string): Promise<string> {
  // The tool mutates its input; hand it a copy so the bundle written to disk stays as built.
  const input = JSON.parse(JSON.stringify(bundle)) as JsonSchema;
  delete input.$comment;
  const text = await compile(input as Parameters<typeof compile>[0], 'CtiMessage', {
    bannerComment: banner,
    unreachableDefinitions: true,
    additionalProperties: false,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
  });
  return text.endsWith('\n') ? text : `${text}\n`;
}
