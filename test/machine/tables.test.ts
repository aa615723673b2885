/** The tables printed from the code's data equal the ones in docs/contract.md. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { phoneEventTableMarkdown, requestTableMarkdown } from '../../machines/tables.js';

const doc = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
const section = (name: string): string => {
  const match = new RegExp(`<!-- ${name}:start -->\\n([\\s\\S]*?)\\n<!-- ${name}:end -->`).exec(doc);
  return match?.[1] ?? `(no ${name} section in docs/contract.md)`;
};

describe('docs/contract.md', () => {
  it('holds the request x state table the code decides from', () => {
    expect(section('request-table')).toBe(requestTableMarkdown());
  });

  it('holds the phone-event x state table the code decides from', () => {
    expect(section('phone-event-table')).toBe(phoneEventTableMarkdown());
  });

  it('lists every request and every phone event once', () => {
    const rows = (table: string) => table.split('\n').slice(2).map((line) => line.split(' | ')[0].replace('| ', ''));
    expect(rows(section('request-table'))).toEqual([
      'answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'conference', 'removeparty', 'senddtmf', 'dispose',
    ]);
    expect(rows(section('phone-event-table'))).toEqual([
      'ringing', 'dialing', 'started', 'talking', 'held', 'muted', 'unmuted', 'busy', 'failed', 'ended',
      'partyAdded', 'partyRemoved', 'transferFailed', 'conferenceFailed',
    ]);
  });
});
