/**
 * Invariant 8 at the last moment: a message that the generated validateOutbound refuses is never
 * sent; a response is replaced by a plain FAILURE (one answer is still owed), an event is dropped.
 * The validator is made to refuse here, since the destination never builds such a message itself.
 */
import { describe, expect, it, vi } from 'vitest';

const refuse = vi.hoisted(() => ({ names: new Set<string>() }));
vi.mock('../../generated/validators.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../generated/validators.js')>();
  return {
    ...original,
    validateOutbound: (value: { header: { name: string; result?: string } }) =>
      refuse.names.has(`${value.header.name} ${value.header.result ?? ''}`.trim())
        ? { ok: false, errors: [{ path: 'body', code: 'extra', message: 'refused for the test' }], warnings: [] }
        : original.validateOutbound(value),
  };
});

const { flush, harness, scriptedLeg } = await import('../support/scripted-leg.js');

describe('outbound messages the catalogue refuses', () => {
  it('a SUCCESS response that fails is sent as a FAILURE that passes', async () => {
    refuse.names = new Set(['conversation.request.hold SUCCESS']);
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    h.init();
    h.request('hold', {}, 'h');
    await flush();
    expect(h.outcome('h')).toBe('FAILURE: hold: the answer did not fit the message catalogue');
    expect(h.diagnostics.map((d) => d.code)).toEqual(['invalid-outbound']);
  });

  it('an event that fails is not sent; nor is a response whose FAILURE fails too', async () => {
    refuse.names = new Set(['conversation.held', 'conversation.request.hold SUCCESS', 'conversation.request.hold FAILURE']);
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    h.init();
    h.take();
    h.leg.emit({ type: 'held' });
    h.request('retrieve', {}, 'r');
    h.request('hold', {}, 'h');
    await flush();
    expect(h.take()).toEqual(['SUCCESS retrieve']);
    expect(h.diagnostics.map((d) => d.code)).toEqual(['invalid-outbound', 'invalid-outbound', 'invalid-outbound']);
  });
});
