/** docs/contract.md, "How a request is handled, in this order", items 1 to 9. */
import { describe, expect, it } from 'vitest';
import { flush, harness, scriptedLeg, TARGET } from '../support/scripted-leg.js';

async function ready(leg = scriptedLeg({ state: 'TALKING' })) {
  const h = harness({ leg });
  h.init();
  await flush();
  h.take();
  return h;
}

describe('1. frames that cannot be answered', () => {
  const bad: [string, unknown][] = [
    ['not JSON text', '{"header":'],
    ['a number', 42],
    ['null', null],
    ['no header', { body: {} }],
    ['a header that is an array', { header: [], body: {} }],
    ['no requestId', { header: { type: 'cti.request', name: 'conversation.request.hold', target: TARGET } }],
    ['a numeric requestId', { header: { type: 'cti.request', name: 'conversation.request.hold', target: TARGET, requestId: 7 } }],
    ['no target', { header: { type: 'cti.request', name: 'conversation.request.hold', requestId: 'x' } }],
    ['no name', { header: { type: 'cti.request', target: TARGET, requestId: 'x' } }],
    ['no type', { header: { name: 'conversation.request.hold', target: TARGET, requestId: 'x' } }],
    ['an event', { header: { type: 'cti.event', name: 'conversation.held', target: TARGET, requestId: 'x' }, body: {} }],
    ['a response', { header: { type: 'cti.response', name: 'conversation.request.hold', target: TARGET, requestId: 'x', result: 'SUCCESS' }, body: {} }],
  ];
  for (const [what, frame] of bad) {
    it(`${what}: no response, a diagnostic, nothing thrown`, async () => {
      const h = await ready();
      expect(() => h.destination.receive(frame)).not.toThrow();
      await flush();
      expect(h.sent).toEqual([]);
      expect(h.leg.calls).toEqual([]);
      expect(h.diagnostics.length).toBe(1);
    });
  }

  it('a getter that throws inside the frame is survived', async () => {
    const h = await ready();
    const frame = { get header(): unknown { throw new Error('boom'); } };
    expect(() => h.destination.receive(frame)).not.toThrow();
    expect(h.sent).toEqual([]);
    expect(h.diagnostics.map((d) => d.code)).toEqual(['internal-error']);
  });
});

describe('2. repeated requestIds', () => {
  it('an answered requestId gets the same response again without running twice', async () => {
    const h = await ready();
    h.request('hold', {}, 'same');
    await flush();
    h.request('hold', {}, 'same');
    await flush();
    expect(h.leg.operations()).toEqual(['hold']);
    expect(h.responses('same')).toHaveLength(2);
    expect(h.responses('same')[1]).toEqual(h.responses('same')[0]);
  });

  it('a failure is replayed too', async () => {
    const h = await ready(scriptedLeg({ state: 'RINGING' }));
    h.request('hold', {}, 'f');
    h.request('hold', {}, 'f');
    await flush();
    expect(h.responses('f').map((m) => m.header)).toEqual([h.responses('f')[0].header, h.responses('f')[0].header]);
    expect((h.responses('f')[0].header as { result: string }).result).toBe('FAILURE');
  });

  it('a duplicate of a request in flight gets its response when that request completes', async () => {
    const h = await ready();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'dup');
    h.request('hold', {}, 'dup');
    await flush();
    expect(h.responses('dup')).toEqual([]);
    h.leg.settle('hold');
    await flush();
    expect(h.leg.operations()).toEqual(['hold']);
    expect(h.responses('dup')).toHaveLength(2);
  });

  it('a duplicate of a queued request is answered with it, and it runs once', async () => {
    const h = await ready();
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'first');
    h.request('mute', {}, 'queued');
    h.request('mute', {}, 'queued');
    h.leg.settle('hold');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
    expect(h.outcome('first')).toBe('SUCCESS');
    expect(h.responses('queued').map((m) => (m.header as { result: string }).result)).toEqual(['SUCCESS', 'SUCCESS']);
  });

  it('the init query is exempt: always answered afresh from the model', async () => {
    const h = await ready(scriptedLeg({ state: 'RINGING' }));
    h.request('init', undefined, 'i');
    h.leg.emit({ type: 'talking' });
    h.request('init', undefined, 'i');
    const inits = h.responses('i');
    expect(inits.map((m) => (m.body as { 'conversation-state': string })['conversation-state'])).toEqual(['RINGING', 'TALKING']);
  });

  it('"not initialized" answers are not remembered', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    h.request('hold', {}, 'early');
    h.init();
    h.request('hold', {}, 'early');
    await flush();
    expect(h.responses('early').map((m) => (m.header as { errorMessage?: string }).errorMessage ?? 'SUCCESS')).toEqual([
      'hold: not initialized; the bridge must send conversation.query.init first',
      'SUCCESS',
    ]);
    expect(h.leg.operations()).toEqual(['hold']);
  });

  it('the memory is bounded: the oldest requestIds are forgotten', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }), limits: { requestIds: 2 } });
    h.init();
    h.request('hold', {}, 'a');
    await flush();
    h.request('retrieve', {}, 'b');
    h.request('retrieve', {}, 'c');
    await flush();
    h.request('hold', {}, 'a');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'hold']);
    h.request('retrieve', {}, 'c');
    expect(h.responses('c')).toHaveLength(2);
  });

  it('the same requestId under another request name is a new request', async () => {
    const h = await ready();
    h.request('hold', {}, 'x');
    await flush();
    h.request('mute', {}, 'x');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
  });
});

describe('3-4. dispose and after it', () => {
  it('after dispose every request is answered "disposed"; a repeated dispose is replayed', async () => {
    const h = await ready();
    h.request('dispose', {}, 'd');
    h.request('hold', {}, 'h');
    h.request('init', undefined, 'i');
    h.request('dispose', {}, 'd2');
    h.request('dispose', {}, 'd');
    await flush();
    expect(h.outcome('h')).toMatch(/^FAILURE: hold: .*disposed/);
    expect(h.outcome('i')).toMatch(/^FAILURE: init: .*disposed/);
    expect(h.outcome('d2')).toMatch(/^FAILURE: dispose: .*disposed/);
    expect(h.responses('d')).toHaveLength(2);
    expect((h.responses('d')[1].header as { result: string }).result).toBe('SUCCESS');
    expect(h.leg.operations(true)).toEqual(['dispose']);
    expect(h.events()).toEqual([]);
  });

  it('dispose is accepted before init, and nothing is sent on the target afterwards', async () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg });
    h.request('dispose', {}, 'd');
    leg.emit({ type: 'talking' });
    await flush();
    expect(h.take()).toEqual(['SUCCESS dispose']);
    expect(leg.operations(true)).toEqual(['dispose']);
  });
});

describe('5-8. refusals before the queue', () => {
  it('5. before init: "not initialized", the phone untouched', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    const id = h.request('hold');
    await flush();
    expect(h.outcome(id)).toBe('FAILURE: hold: not initialized; the bridge must send conversation.query.init first');
    expect(h.leg.calls).toEqual([]);
  });

  it('6. an unknown request or query name: "unsupported"', async () => {
    const h = await ready();
    h.destination.receive(h.frame('conversation.request.fly', 'u1'));
    h.destination.receive(h.frame('conversation.query.weather', 'u2'));
    h.destination.receive({ header: { type: 'cti.query', name: 'conversation.request.hold', target: TARGET, requestId: 'u3' }, body: {} });
    expect(h.outcome('u1')).toBe('FAILURE: conversation.request.fly: unsupported by this conversation destination');
    expect(h.outcome('u2')).toMatch(/unsupported/);
    expect(h.outcome('u3')).toMatch(/unsupported/);
    expect(h.leg.calls).toEqual([]);
  });

  it('6 comes after 5: an unknown name before init is "not initialized"', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    h.destination.receive(h.frame('conversation.request.fly', 'u1'));
    expect(h.outcome('u1')).toMatch(/not initialized/);
  });

  for (const [request, operation, body] of [
    ['mute', 'mute', {}],
    ['unmute', 'unmute', {}],
    ['transfer', 'transfer', { destination: '2001' }],
    ['conference', 'conference', { destination: '2001' }],
    ['removeparty', 'removeParty', { number: '2001' }],
    ['senddtmf', 'sendDtmf', { digits: '1' }],
  ] as const) {
    it(`7. a leg without ${operation}: ${request} is "not supported by this phone" in every state`, async () => {
      for (const state of ['RINGING', 'TALKING', 'RELEASED'] as const) {
        const h = await ready(scriptedLeg({ state, lacks: [operation] }));
        const id = h.request(request, body);
        await flush();
        expect(h.outcome(id)).toBe(`FAILURE: ${request}: not supported by this phone`);
      }
    });
  }

  const badBodies: [string, Record<string, unknown> | undefined, string][] = [
    ['senddtmf', { digits: '12a' }, 'senddtmf: digits may hold only 0-9, * and #'],
    ['senddtmf', {}, 'senddtmf: digits is required'],
    ['senddtmf', { digits: '' }, 'senddtmf: digits must be 1 to 64 characters long'],
    ['senddtmf', { digits: 12 }, 'senddtmf: digits must be a string'],
    ['transfer', { destination: 'not a number' }, 'transfer: destination must be a phone number'],
    ['conference', { destination: 'http://x' }, 'conference: destination must be a phone number'],
    ['removeparty', { number: '' }, 'removeparty: number must be 1 to 256 characters long'],
  ];
  for (const [request, body, message] of badBodies) {
    it(`8. a bad body: ${message.split(':')[0]} ${JSON.stringify(body)} names the field, never the value`, async () => {
      const h = await ready();
      const id = h.request(request, body);
      await flush();
      const outcome = h.outcome(id);
      expect(outcome.startsWith(`FAILURE: ${message}`)).toBe(true);
      for (const value of Object.values(body ?? {})) if (String(value).length > 1) expect(outcome).not.toContain(String(value));
      expect(h.leg.calls).toEqual([]);
    });
  }

  it('8. a body that is not an object is refused; a missing or null body counts as {}', async () => {
    const h = await ready();
    h.destination.receive({ header: h.frame('conversation.request.hold', 'b1').header, body: 'x' });
    h.destination.receive({ header: h.frame('conversation.request.hold', 'b2').header });
    await flush();
    h.destination.receive({ header: h.frame('conversation.request.retrieve', 'b3').header, body: null });
    await flush();
    expect(h.outcome('b1')).toBe('FAILURE: hold: body must be an object');
    expect(h.outcome('b2')).toBe('SUCCESS');
    expect(h.outcome('b3')).toBe('SUCCESS');
  });

  it('8. unknown extra body keys are ignored with a diagnostic', async () => {
    const h = await ready();
    const id = h.request('hold', { colour: 'blue' });
    await flush();
    expect(h.outcome(id)).toBe('SUCCESS');
    expect(h.diagnostics.map((d) => d.code)).toEqual(['extra-key']);
    expect(h.diagnostics[0].message).not.toContain('blue');
  });

  it('a header beyond the catalogue limits is refused (no SUCCESS could carry it)', async () => {
    const h = await ready();
    const id = 'x'.repeat(300);
    h.request('hold', {}, id);
    await flush();
    expect(h.outcome(id)).toBe('FAILURE: hold: requestId must be 1 to 256 characters long');
    expect(h.leg.calls).toEqual([]);
  });
});

describe('9. the queue', () => {
  it('one operation at a time per leg, in arrival order', async () => {
    const h = await ready();
    h.leg.modes.hold = 'manual';
    h.leg.modes.mute = 'manual';
    h.request('hold', {}, 'a');
    h.request('mute', {}, 'b');
    h.request('conference', { destination: '2001' }, 'c');
    await flush();
    expect(h.leg.operations()).toEqual(['hold']);
    h.leg.settle('hold');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute']);
    h.leg.settle('mute');
    await flush();
    expect(h.leg.operations()).toEqual(['hold', 'mute', 'conference']);
    expect(h.take()).toEqual(['SUCCESS hold', 'SUCCESS mute', 'SUCCESS conference']);
  });

  it('the cell is chosen at the head of the queue, against the state then; ok and no keep their place', async () => {
    const h = await ready(scriptedLeg({ state: 'RINGING' }));
    h.leg.modes.answer = 'manual';
    h.request('answer', {}, 'a');
    h.request('hold', {}, 'b'); // RINGING now, TALKING when it reaches the head
    h.request('answer', {}, 'c'); // ok once TALKING
    h.request('senddtmf', { digits: '1' }, 'd');
    await flush();
    h.leg.emit({ type: 'talking' });
    h.leg.settle('answer');
    await flush();
    expect(h.leg.operations()).toEqual(['answer', 'hold', 'sendDtmf']);
    expect(h.take()).toEqual([
      'event started',
      'event partyadded',
      'event talking',
      'SUCCESS answer',
      'SUCCESS hold',
      'SUCCESS answer',
      'SUCCESS senddtmf',
    ]);
  });

  it('a no answer waits for its turn behind an operation in flight', async () => {
    const h = await ready(scriptedLeg({ state: 'TALKING' }));
    h.leg.modes.hold = 'manual';
    h.request('hold', {}, 'a');
    h.request('senddtmf', { digits: '1' }, 'b');
    await flush();
    expect(h.responses('b')).toEqual([]);
    h.leg.emit({ type: 'held' });
    h.leg.settle('hold');
    await flush();
    expect(h.outcome('b')).toBe('FAILURE: senddtmf: not possible while the call is HELD');
    expect(h.take()).toEqual(['event held', 'SUCCESS hold', 'FAILURE senddtmf']);
  });
});
