/**
 * The machine's small pure parts on their own: the context's defaults and bounds, the operation
 * deadline, branchContext copies, the graph serialisation, phone-event recognition and the rules'
 * exact outputs, request names and the header check. Values are the ones the code and
 * docs/contract.md define.
 */
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { branchContext, DEFAULTS, initialContext, operationDeadlineMs, type ConversationContext } from '../../machines/context.js';
import type { ConversationMachine } from '../../machines/conversation.machine.js';
import { requestEvent } from '../../machines/events.js';
import { respond } from '../../machines/messages.js';
import { cleanParty } from '../../machines/model.js';
import { CELL_RULES, eventsAfterInit, isPhoneEvent } from '../../machines/phone-events.js';
import type { InFlight, Pending } from '../../machines/queue.js';
import { isCoreOperation, isInitQuery, shortName } from '../../machines/requests.js';
import { serializeConversationState } from '../../machines/serialize.js';
import { phoneEventCell } from '../../machines/tables.js';
import type { SnapshotFrom } from 'xstate';
import type { CallModel, SentFlags } from '../../machines/model.js';
import type { LegOperationName } from '../../machines/types.js';
import { checkHeader } from '../../src/destination/read-frame.js';

const SNAP = { state: 'TALKING' as const, parties: [{ number: '100' }], muted: false };
const T = 'PB1.X.leg-9';

const inFlight = (operation: LegOperationName, args: string[], epoch = 0): InFlight => ({
  header: { type: 'cti.request', name: `conversation.request.${operation.toLowerCase()}`, target: T, requestId: 'r1' },
  epoch,
  request: operation === 'sendDtmf' ? 'senddtmf' : 'hold',
  args,
  sharers: [],
  opId: 1,
  operation,
});

describe('initialContext', () => {
  it('defaults every setting and bound', () => {
    const c = initialContext({ snapshot: SNAP });
    expect(c.settings).toEqual({
      operationTimeoutMs: 10_000,
      dtmfMsPerDigit: 500,
      preInitEvents: 256,
      oneShotEvents: 16,
      supported: ['mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'],
    });
    expect(c.letGoAfterMs).toBe(300_000);
    expect(c.queue.maxRequests).toBe(256);
    expect(c.queue.maxBytes).toBe(262_144);
    expect(c.memory.limit).toBe(1024);
    expect(c.memory.maxBytes).toBe(262_144);
    expect(c.target).toBeUndefined();
    expect(c.flags).toEqual({ initialized: false, started: false, ended: false });
    expect(c.epoch).toBe(0);
    expect(c.nextOpId).toBe(1);
    expect(c.inFlight).toBeUndefined();
    expect(c.pendingDispose).toBeUndefined();
    expect(c.model).toEqual({ state: 'TALKING', muted: false, parties: [{ number: '100' }] });
    expect(DEFAULTS.letGoAfterMs).toBe(300_000);
  });

  it('takes given settings, floored; a negative, infinite or non-number one falls back to the default', () => {
    const c = initialContext({
      snapshot: SNAP,
      target: T,
      operationTimeoutMs: 1234.9,
      dtmfMsPerDigit: 0,
      letGoAfterMs: 7,
      supported: ['mute'],
      limits: { preInitEvents: 3, oneShotEvents: 2, requestIds: 5, requestIdBytes: 6000, queuedRequests: 4, queuedBytes: 9000 },
    });
    expect(c.target).toBe(T);
    expect(c.settings).toEqual({ operationTimeoutMs: 1234, dtmfMsPerDigit: 0, preInitEvents: 3, oneShotEvents: 2, supported: ['mute'] });
    expect(c.letGoAfterMs).toBe(7);
    expect([c.queue.maxRequests, c.queue.maxBytes, c.memory.limit, c.memory.maxBytes]).toEqual([4, 9000, 5, 6000]);
    const bad = initialContext({
      snapshot: SNAP,
      operationTimeoutMs: -1,
      dtmfMsPerDigit: Number.POSITIVE_INFINITY,
      letGoAfterMs: Number.NaN,
      limits: { preInitEvents: -5, oneShotEvents: '3' as unknown as number, queuedRequests: -0.5 },
    });
    expect(bad.settings.operationTimeoutMs).toBe(10_000);
    expect(bad.settings.dtmfMsPerDigit).toBe(500);
    expect(bad.settings.preInitEvents).toBe(256);
    expect(bad.settings.oneShotEvents).toBe(16);
    expect(bad.letGoAfterMs).toBe(300_000);
    expect(bad.queue.maxRequests).toBe(256);
  });
});

describe('operationDeadlineMs', () => {
  const base = initialContext({ snapshot: SNAP, operationTimeoutMs: 1000, dtmfMsPerDigit: 250 });
  it('is the operation timeout with nothing in flight, or for any operation but sendDtmf', () => {
    expect(operationDeadlineMs(base)).toBe(1000);
    expect(operationDeadlineMs({ ...base, inFlight: inFlight('hold', []) })).toBe(1000);
    expect(operationDeadlineMs({ ...base, inFlight: inFlight('transfer', ['12345']) })).toBe(1000);
  });
  it('adds the time per digit for sendDtmf', () => {
    expect(operationDeadlineMs({ ...base, inFlight: inFlight('sendDtmf', ['123']) })).toBe(1750);
    expect(operationDeadlineMs({ ...base, inFlight: inFlight('sendDtmf', ['1']) })).toBe(1250);
    expect(operationDeadlineMs({ ...base, inFlight: inFlight('sendDtmf', []) })).toBe(1000);
  });
});

describe('branchContext', () => {
  it('copies the actor-owned parts and keeps the rest', () => {
    const c0 = initialContext({ snapshot: SNAP, target: T });
    const pending: Pending = { header: { type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: 'q' }, epoch: 0, request: 'hold', args: [], sharers: [] };
    c0.queue.push(pending);
    c0.memory.remember(respond(pending.header, { ok: true }));
    c0.preInit.push({ type: 'held' });
    c0.oneShots.push({ type: 'busy' });
    const c: ConversationContext = { ...c0, inFlight: inFlight('hold', []), pendingDispose: { ...pending, sharers: [] } };
    const b = branchContext(c);
    expect(b.target).toBe(T);
    expect(b.model).toBe(c.model);
    expect(b.settings).toBe(c.settings);
    expect(b.preInit).toEqual([{ type: 'held' }]);
    expect(b.oneShots).toEqual([{ type: 'busy' }]);
    expect(b.queue.toArray()).toEqual([pending]);
    expect(b.memory.keys()).toEqual(['conversation.request.hold q']);
    expect(b.inFlight).toEqual(c.inFlight);
    expect(b.pendingDispose).toEqual(c.pendingDispose);
    // A branch's effects are its own step's: its outbox starts empty, apart from the original's.
    c.outbox.push({ type: 'detach' });
    expect(branchContext(c).outbox).toEqual([]);
    expect(branchContext(c).outbox).not.toBe(c.outbox);
    c.outbox.length = 0;
    // Changing the branch changes nothing in the original.
    b.preInit.push({ type: 'talking' });
    b.oneShots.push({ type: 'failed', reason: 'x' });
    b.queue.shift();
    b.memory.remember(respond({ ...pending.header, requestId: 'z' }, { ok: true }));
    b.inFlight?.sharers.push({ header: pending.header, epoch: 0 });
    b.pendingDispose?.sharers.push({ header: pending.header, epoch: 0 });
    expect(c.preInit).toEqual([{ type: 'held' }]);
    expect(c.oneShots).toEqual([{ type: 'busy' }]);
    expect(c.queue.size).toBe(1);
    expect(c.memory.size).toBe(1);
    expect(c.inFlight?.sharers).toEqual([]);
    expect(c.pendingDispose?.sharers).toEqual([]);
    expect(branchContext(c0).inFlight).toBeUndefined();
    expect(branchContext(c0).pendingDispose).toBeUndefined();
  });
});

describe('serializeConversationState', () => {
  const snapshot = (context: ConversationContext, value: unknown = { lifecycle: 'ready', call: 'TALKING' }) =>
    ({ value, context }) as unknown as SnapshotFrom<ConversationMachine>;
  it('names the state value, the model, flags, queued events by type and requests by name and connection', () => {
    const c0 = initialContext({ snapshot: SNAP, target: T });
    const header = { type: 'cti.request', name: 'conversation.request.mute', target: T, requestId: 'a' };
    c0.queue.push({ header, epoch: 0, request: 'mute', args: [], sharers: [] });
    c0.queue.push({ header: { ...header, requestId: 'b' }, epoch: 1, request: 'hold', args: [], sharers: [] });
    c0.preInit.push({ type: 'held' }, { type: 'muted' });
    c0.oneShots.push({ type: 'busy' });
    const earlierTargets = new Map([['PB1.R.leg-0', { initialized: true, started: true, ended: false }]]);
    const c = { ...c0, epoch: 1, inFlight: inFlight('sendDtmf', ['1'], 1), pendingDispose: undefined, earlierTargets };
    expect(serializeConversationState(snapshot(c))).toBe(
      JSON.stringify([
        { lifecycle: 'ready', call: 'TALKING' },
        T,
        { state: 'TALKING', muted: false, parties: [{ number: '100' }] },
        { initialized: false, started: false, ended: false },
        [['PB1.R.leg-0', { initialized: true, started: true, ended: false }]],
        ['held', 'muted'],
        ['busy'],
        [
          ['mute', false],
          ['hold', true],
        ],
        ['senddtmf', true],
        false,
      ]),
    );
    const d = { ...c0, inFlight: inFlight('hold', [], 5), pendingDispose: c0.queue.toArray()[0] };
    expect(JSON.parse(serializeConversationState(snapshot(d, 'x')))).toEqual([
      'x',
      T,
      { state: 'TALKING', muted: false, parties: [{ number: '100' }] },
      { initialized: false, started: false, ended: false },
      [],
      ['held', 'muted'],
      ['busy'],
      [
        ['mute', true],
        ['hold', false],
      ],
      ['hold', false],
      true,
    ]);
    const e = initialContext({ snapshot: SNAP });
    expect(JSON.parse(serializeConversationState(snapshot(e)))[8]).toBeNull();
  });
});

describe('isPhoneEvent', () => {
  it('takes an object whose own string type names a phone event, and nothing else', () => {
    expect(isPhoneEvent({ type: 'held' })).toBe(true);
    expect(isPhoneEvent({ type: 'partyAdded', party: { number: '1' } })).toBe(true);
    expect(isPhoneEvent(null)).toBe(false);
    expect(isPhoneEvent(undefined)).toBe(false);
    expect(isPhoneEvent('held')).toBe(false);
    expect(isPhoneEvent({})).toBe(false);
    expect(isPhoneEvent({ type: 'hold' })).toBe(false);
    expect(isPhoneEvent({ type: 'toString' })).toBe(false);
    expect(isPhoneEvent({ type: { toString: () => 'held' } })).toBe(false);
    expect(isPhoneEvent({ type: ['held'] })).toBe(false);
    const fn = Object.assign(() => undefined, { type: 'held' });
    expect(isPhoneEvent(fn)).toBe(false);
  });
});

describe('the phone-event rules, exactly', () => {
  const model = (parties: { number: string; name?: string }[], state: CallModel['state'] = 'TALKING'): CallModel => ({ state, muted: false, parties });
  const flags: SentFlags = { initialized: true, started: true, ended: false };
  it('partyadded names a party without a name by number only', () => {
    const out = CELL_RULES['party-add'](model([{ number: '1' }]), flags, { type: 'partyAdded', party: { number: '2' } }, T).out;
    expect(out).toHaveLength(1);
    expect(out[0]?.body).toStrictEqual({ number: '2' });
    const named = CELL_RULES['party-add'](model([{ number: '1' }]), flags, { type: 'partyAdded', party: { number: '3', name: 'Ann' } }, T).out;
    expect(named[0]?.body).toStrictEqual({ number: '3', name: 'Ann' });
    const answered = CELL_RULES.answered(model([{ number: '1' }], 'RINGING'), flags, { type: 'talking' }, T).out;
    expect(answered.map((m) => [m.header.name, m.body])).toStrictEqual([
      ['conversation.partyadded', { number: '1' }],
      ['conversation.talking', {}],
    ]);
  });
  it('partyremoved refusals say why', () => {
    const notListed = CELL_RULES['party-remove'](model([{ number: '1' }, { number: '2' }]), flags, { type: 'partyRemoved', number: '9' }, T);
    expect(notListed.diagnostic).toEqual({ code: 'party-not-listed', message: 'phone event partyRemoved while TALKING: the party is not listed' });
    expect(notListed.out).toEqual([]);
    const only = CELL_RULES['party-remove'](model([{ number: '1' }], 'HELD'), flags, { type: 'partyRemoved', number: '1' }, T);
    expect(only.diagnostic).toEqual({ code: 'only-party-kept', message: 'phone event partyRemoved while HELD: the only party stays listed' });
    const removed = CELL_RULES['party-remove'](model([{ number: '1' }, { number: '2' }]), flags, { type: 'partyRemoved', number: '2' }, T);
    expect(removed.model.parties).toEqual([{ number: '1' }]);
    expect(removed.diagnostic).toBeUndefined();
  });
});

describe('eventsAfterInit', () => {
  const m = (state: CallModel['state'], muted = false): CallModel => ({ state, muted, parties: [{ number: '1' }] });
  const names = (r: { out: { header: { name: string } }[] }) => r.out.map((e) => e.header.name.replace('conversation.', ''));
  const fresh: SentFlags = { initialized: false, started: false, ended: false };
  it('without one-shot words sends only what the state calls for', () => {
    expect(names(eventsAfterInit(m('RINGING'), fresh, T))).toEqual(['ringing']);
    expect(names(eventsAfterInit(m('DIALING'), fresh, T))).toEqual(['dialing']);
    expect(names(eventsAfterInit(m('TALKING', true), fresh, T))).toEqual(['started', 'mute']);
    expect(names(eventsAfterInit(m('HELD', true), fresh, T))).toEqual(['started']);
    expect(names(eventsAfterInit(m('RELEASED'), fresh, T))).toEqual([]);
  });
  it('a first init of a released call only marks it initialized', () => {
    expect(eventsAfterInit(m('RELEASED'), fresh, T, [{ type: 'busy' }])).toStrictEqual({
      flags: { initialized: true, started: false, ended: false },
      out: [{ header: { type: 'cti.event', name: 'conversation.busy', target: T }, body: {} }],
    });
  });
  it('a re-init of a call that ended since: started once, then ended; an ended one nothing', () => {
    const seen: SentFlags = { initialized: true, started: false, ended: false };
    const r = eventsAfterInit(m('RELEASED'), seen, T);
    expect(names(r)).toEqual(['started', 'ended']);
    expect(r.flags).toStrictEqual({ initialized: true, started: true, ended: true });
    const started: SentFlags = { initialized: true, started: true, ended: false };
    expect(names(eventsAfterInit(m('RELEASED'), started, T))).toEqual(['ended']);
    const ended: SentFlags = { initialized: true, started: true, ended: true };
    const again = eventsAfterInit(m('RELEASED'), ended, T, [{ type: 'busy' }]);
    expect(again).toStrictEqual({ flags: ended, out: [] });
  });
  it('a re-init of a live call: started only if never sent, flags set', () => {
    const started: SentFlags = { initialized: true, started: true, ended: false };
    const r = eventsAfterInit(m('TALKING'), started, T);
    expect(names(r)).toEqual([]);
    expect(r.flags).toStrictEqual({ initialized: true, started: true, ended: false });
    const h = eventsAfterInit(m('HELD'), { initialized: true, started: false, ended: false }, T);
    expect(names(h)).toEqual(['started']);
    expect(h.flags).toStrictEqual({ initialized: true, started: true, ended: false });
    const ringing = eventsAfterInit(m('RINGING'), { initialized: true, started: false, ended: false }, T, [{ type: 'transferFailed', reason: 'x' }]);
    expect(names(ringing)).toEqual(['transfer.failed']);
    expect(ringing.flags).toStrictEqual({ initialized: true, started: false, ended: false });
  });
});

describe('phoneEventCell', () => {
  it('reads the phone-event table by event and live call state', () => {
    expect(phoneEventCell('held', 'TALKING')).toBe('to-held');
    expect(phoneEventCell('held', 'HELD')).toBe('dup');
    expect(phoneEventCell('talking', 'HELD')).toBe('retrieved');
    expect(phoneEventCell('talking', 'RINGING')).toBe('answered');
    expect(phoneEventCell('busy', 'DIALING')).toBe('busy-word');
    expect(phoneEventCell('ringing', 'DIALING')).toBe('diag');
  });
});

describe('names and messages', () => {
  it('the core operations are answer, release, hold and retrieve', () => {
    expect((['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'conference', 'removeParty', 'sendDtmf'] as const).filter(isCoreOperation)).toEqual([
      'answer',
      'release',
      'hold',
      'retrieve',
    ]);
  });
  it('an init query is a cti.query named conversation.query.init', () => {
    const h = { type: 'cti.query', name: 'conversation.query.init', target: T, requestId: 'i' };
    expect(isInitQuery(h)).toBe(true);
    expect(isInitQuery({ ...h, type: 'cti.request' })).toBe(false);
    expect(isInitQuery({ ...h, name: 'conversation.query.other' })).toBe(false);
  });
  it('shortName reads only a whole <domain>.<request|query>.<verb> name', () => {
    expect(shortName('conversation.request.hold')).toBe('hold');
    expect(shortName('interaction.request.accept')).toBe('accept');
    expect(shortName('conversation.transfer.failed')).toBe('transfer.failed');
    expect(shortName('a.b.request.hold')).toBe('a.b.request.hold');
    expect(shortName('x.request.hold\nmore')).toBe('x.request.hold\nmore');
    expect(shortName('conversation.')).toBe('conversation.');
    expect(shortName('plain')).toBe('plain');
  });
  it('requestEvent carries a bodyError only when there is one', () => {
    const h = { type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: 'r' };
    const plain = requestEvent(h, {});
    expect(plain).toStrictEqual({ type: 'request.hold', header: h, body: {} });
    expect('bodyError' in plain).toBe(false);
    expect(requestEvent(h, {}, 'bad')).toStrictEqual({ type: 'request.hold', header: h, body: {}, bodyError: 'bad' });
  });
  it('a FAILURE errorMessage is cut to the catalogue limit of 2048', () => {
    const h = { type: 'cti.request', name: 'conversation.request.hold', target: T, requestId: 'r' };
    const r = respond(h, { ok: false, errorMessage: 'e'.repeat(3000) });
    expect(r.header.result === 'FAILURE' && r.header.errorMessage).toBe('e'.repeat(2048));
  });
  it('a party number is cut to 256 characters after control characters are removed', () => {
    expect(cleanParty({ number: `\u0001${'9'.repeat(300)}` }).number).toBe('9'.repeat(256));
    expect(cleanParty({ number: '1', name: 'n'.repeat(300) }).name).toBe('n'.repeat(256));
  });
  it('checkHeader names a header of another type as not a request', () => {
    expect(checkHeader({ header: { type: 'cti.event', name: 'n', target: 't', requestId: 'r' } })).toStrictEqual({ ok: false, problem: 'not-a-request', type: 'cti.event' });
    expect(checkHeader({ header: { type: 'cti.query', name: 'n', target: 't', requestId: 1 } })).toStrictEqual({ ok: false, problem: 'not-a-string', key: 'requestId' });
  });

  test.prop([fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })])('property: shortName of <domain>.request.<verb> is the verb whenever the domain has no dot and no newline is involved', (domain, verb) => {
    fc.pre(!domain.includes('.') && domain !== '' && verb !== '' && !/[\n\r\u2028\u2029]/.test(domain + verb));
    expect(shortName(`${domain}.request.${verb}`)).toBe(verb);
  });
});

