/**
 * What the destination reports when the generated validateOutbound refuses a message: the code,
 * the message name cut to 64 characters, the validator's first problem, and whether the answer
 * went out as a FAILURE or not at all. The validator is made to refuse names longer than 64
 * characters here (all but the plain FAILURE for a name ending in `ok`), since the destination
 * never builds a refused message itself.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('../../generated/validators.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../generated/validators.js')>();
  return {
    ...original,
    validateOutbound: (value: { header: { name: string; errorMessage?: string } }) =>
      value.header.name.length > 64 && !(value.header.name.endsWith('ok') && value.header.errorMessage?.endsWith('did not fit the message catalogue'))
        ? { ok: false, errors: [{ path: 'header.name', code: 'length', message: 'is too long for the test' }], warnings: [] }
        : original.validateOutbound(value),
  };
});

const { createConversationDestination } = await import('../../src/destination/index.js');
const { scriptedLeg } = await import('../support/scripted-leg.js');

const T = 'PB1.G.leg-1';

function build() {
  const sent: { header: { name: string; result?: string; errorMessage?: string } }[] = [];
  const diagnostics: { code: string; target?: string; message: string }[] = [];
  const destination = createConversationDestination({
    leg: scriptedLeg({ state: 'TALKING' }),
    send: (m) => void sent.push(m as never),
    onDiagnostic: (d) => void diagnostics.push(d),
  });
  const ask = (name: string) => destination.receive({ header: { type: 'cti.request', name, target: T, requestId: 'r' }, body: {} });
  return { sent, diagnostics, ask, destination };
}

describe('refused outbound messages', () => {
  it('a refused response whose FAILURE is refused too: two reports, the name cut to 64 characters, nothing sent', () => {
    const b = build();
    const name = `conversation.request.${'x'.repeat(80)}`;
    b.ask(name);
    expect(b.sent).toEqual([]);
    expect(b.diagnostics).toStrictEqual([
      {
        code: 'invalid-outbound',
        message: `a ${name.slice(0, 64)} response failed the catalogue (header.name is too long for the test); sent as FAILURE`,
      },
      { code: 'invalid-outbound', message: `a ${name.slice(0, 64)} message failed the catalogue and was not sent` },
    ]);
    b.destination.stop();
  });

  it('a refused response whose plain FAILURE passes: that FAILURE is sent, one report', () => {
    const b = build();
    const name = `conversation.request.${'y'.repeat(80)}ok`;
    b.ask(name);
    expect(b.sent.map((m) => [m.header.result, m.header.errorMessage])).toEqual([['FAILURE', `${'y'.repeat(80)}ok: the answer did not fit the message catalogue`]]);
    expect(b.diagnostics).toStrictEqual([
      {
        code: 'invalid-outbound',
        message: `a ${name.slice(0, 64)} response failed the catalogue (header.name is too long for the test); sent as FAILURE`,
      },
    ]);
    b.destination.stop();
  });
});
