/** The catalogue model as the generator reads it, for tests that walk every field. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CatalogueModel, MessageModel } from '../../scripts/generate/model.js';
import { readCatalogue } from '../../scripts/generate/spec.js';
import { EVENT_EXAMPLES, FAILURE_EXAMPLE, INBOUND_EXAMPLES, SUCCESS_EXAMPLES } from './examples.js';

export const SPEC_PATH = fileURLToPath(new URL('../../spec/conversation.yaml', import.meta.url));

export const catalogue: CatalogueModel = readCatalogue(readFileSync(SPEC_PATH, 'utf8'), 'spec/conversation.yaml');

/** The hand-written example of a message model, or undefined when there is none. */
export function exampleOf(message: MessageModel): unknown {
  const table: Record<string, unknown> =
    message.result === 'FAILURE'
      ? { failure: FAILURE_EXAMPLE }
      : message.kind === 'response'
        ? SUCCESS_EXAMPLES
        : message.kind === 'event'
          ? EVENT_EXAMPLES
          : INBOUND_EXAMPLES;
  return message.result === 'FAILURE' ? table.failure : table[message.name!];
}
