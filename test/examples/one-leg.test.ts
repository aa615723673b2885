/** The README's in-process example runs (here from the sources; test/package runs it from the packed tarball). */
import { expect, it } from 'vitest';
import { main } from '../../examples/library/one-leg.js';

it('examples/library/one-leg.ts: init, answer, hold, retrieve and release each answered, with the contract\'s events', async () => {
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
    'cti.event conversation.held',
    'cti.response conversation.request.hold',
    'cti.event conversation.talking',
    'cti.response conversation.request.retrieve',
    'cti.event conversation.ended',
    'cti.response conversation.request.release',
  ]);
  expect(sent[0].body).toEqual({ 'conversation-state': 'RINGING', parties: [{ number: '+15551230001', name: 'Pat Caller' }] });
  expect(lines).toHaveLength(sent.length);
});
