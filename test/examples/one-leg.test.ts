/** The README's in-process example runs and says what the contract says for an answered call. */
import { expect, it } from 'vitest';
import { main } from '../../examples/library/one-leg.js';

it('examples/library/one-leg.ts answers the init and the answer, then reports the answered call', async () => {
  const lines: string[] = [];
  const sent = await main((line) => lines.push(line));
  expect(sent.map((m) => `${m.header.type} ${m.header.name}`)).toEqual([
    'cti.response conversation.query.init',
    'cti.event conversation.ringing',
    // The phone reports the answer before its operation resolves, so the events come first.
    'cti.event conversation.started',
    'cti.event conversation.partyadded',
    'cti.event conversation.talking',
    'cti.response conversation.request.answer',
  ]);
  expect(sent[0].body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: '+15551230001', name: 'Pat Caller' }] });
  expect(lines).toHaveLength(sent.length);
});
