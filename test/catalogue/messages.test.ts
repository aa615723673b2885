/**
 * The generated narrowing helpers and catalogue tables: MessageOf, isMessage, the handler maps
 * and dispatch, CATALOGUE and its lookups.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  CATALOGUE,
  catalogueEntry,
  CONVERSATION_STATE_VALUES,
  dispatch,
  dispatchEvent,
  EVENT_NAMES,
  isMessage,
  isMessageName,
  QUERY_NAMES,
  REQUEST_NAMES,
  validateInbound,
  type ConversationRequestTransfer,
  type ConversationState,
  type EventHandlers,
  type InboundHandlers,
  type EventMessage,
  type InboundMessage,
  type MessageOf,
  type ResponseBodyOf,
} from '../../src/index.js';
import { copy, EVENT_EXAMPLES, INBOUND_EXAMPLES } from './examples.js';

describe('the catalogue tables', () => {
  it('list the init query, the eleven requests and the thirteen events of the seed', () => {
    expect(QUERY_NAMES).toEqual(['conversation.query.init']);
    expect(REQUEST_NAMES).toHaveLength(11);
    expect(EVENT_NAMES).toHaveLength(13);
    expect(CONVERSATION_STATE_VALUES).toEqual(['RINGING', 'DIALING', 'TALKING', 'HELD', 'RELEASED']);
    expectTypeOf<(typeof CONVERSATION_STATE_VALUES)[number]>().toEqualTypeOf<ConversationState>();
  });

  it('describe each message: kind, direction, body keys', () => {
    expect(CATALOGUE['conversation.request.transfer']).toMatchObject({ kind: 'request', direction: 'inbound', destination: 'conversation', bodyKeys: ['destination'], requiredBodyKeys: ['destination'], responseBodyKeys: [] });
    expect(CATALOGUE['conversation.query.init']).toMatchObject({ kind: 'query', responseBodyKeys: ['conversation-state', 'parties'] });
    expect(CATALOGUE['conversation.partyadded']).toMatchObject({ kind: 'event', direction: 'outbound', bodyKeys: ['number', 'name'], requiredBodyKeys: ['number'], responseBodyKeys: undefined });
  });

  it('find nothing for prototype keys', () => {
    for (const name of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      expect(isMessageName(name)).toBe(false);
      expect(catalogueEntry(name)).toBeUndefined();
    }
    expect(catalogueEntry('conversation.ended')?.kind).toBe('event');
    expect(Object.isFrozen(CATALOGUE)).toBe(true);
  });
});

describe('isMessage', () => {
  it('accepts a valid message of that name and narrows to it', () => {
    const value: unknown = copy(INBOUND_EXAMPLES['conversation.request.transfer']);
    expect(isMessage(value, 'conversation.request.transfer')).toBe(true);
    if (isMessage(value, 'conversation.request.transfer')) expectTypeOf(value).toEqualTypeOf<ConversationRequestTransfer>();
    expect(isMessage(copy(EVENT_EXAMPLES['conversation.partyadded']), 'conversation.partyadded')).toBe(true);
  });

  it('refuses another name, an invalid message, a message without its body and an unknown name', () => {
    expect(isMessage(copy(INBOUND_EXAMPLES['conversation.request.transfer']), 'conversation.request.conference')).toBe(false);
    expect(isMessage({ ...copy(INBOUND_EXAMPLES['conversation.request.transfer']), body: { destination: 'x' } }, 'conversation.request.transfer')).toBe(false);
    expect(isMessage({ header: INBOUND_EXAMPLES['conversation.request.hold'].header }, 'conversation.request.hold')).toBe(false);
    expect(isMessage(copy(EVENT_EXAMPLES['conversation.held']), 'toString' as 'conversation.held')).toBe(false);
    expect(isMessage(null, 'conversation.held')).toBe(false);
  });
});

describe('dispatch', () => {
  const names: InboundHandlers<string> = {
    'conversation.query.init': (message) => `init ${message.header.requestId}`,
    'conversation.request.answer': () => 'answer',
    'conversation.request.release': () => 'release',
    'conversation.request.removeparty': (message) => `remove ${message.body.number}`,
    'conversation.request.hold': () => 'hold',
    'conversation.request.retrieve': () => 'retrieve',
    'conversation.request.mute': () => 'mute',
    'conversation.request.unmute': () => 'unmute',
    'conversation.request.transfer': (message) => `transfer ${message.body.destination}`,
    'conversation.request.conference': (message) => `conference ${message.body.destination}`,
    'conversation.request.senddtmf': (message) => `dtmf ${message.body.digits.length}`,
    'conversation.request.dispose': () => 'dispose',
  };

  it('calls the handler of the message name with the narrowed message', () => {
    const answers = Object.values(INBOUND_EXAMPLES).map((example) => {
      const result = validateInbound(copy(example));
      return result.ok ? dispatch(result.message, names) : 'invalid';
    });
    expect(answers).toEqual(['init r-1', 'answer', 'release', 'remove +15551230002', 'hold', 'retrieve', 'mute', 'unmute', 'transfer +15551234567', 'conference sip:carol@example.test', 'dtmf 6', 'dispose']);
  });

  it('sends a value the catalogue lacks to `otherwise`, or returns undefined without one', () => {
    const stray = { header: { ...INBOUND_EXAMPLES['conversation.request.hold'].header, name: 'toString' }, body: {} } as unknown as InboundMessage;
    expect(dispatch(stray, names, () => 'otherwise')).toBe('otherwise');
    expect(dispatch(stray, names)).toBeUndefined();
  });

  it('never throws on a message outside the catalogue: no header, null, a number, a throwing getter, __proto__', () => {
    const throwing = { get header(): unknown { throw new Error('boom'); } };
    const strays: unknown[] = [
      null,
      undefined,
      42,
      'conversation.request.hold',
      {},
      { header: null },
      { header: 'x' },
      { header: { name: 7 } },
      throwing,
      JSON.parse('{"header":{"name":"__proto__"},"body":{}}'),
      { header: { name: 'x'.repeat(300_000) } },
    ];
    const eventHandlers = Object.fromEntries(EVENT_NAMES.map((name) => [name, () => name])) as unknown as EventHandlers<string>;
    for (const stray of strays) {
      expect(dispatch(stray as InboundMessage, names)).toBeUndefined();
      expect(dispatchEvent(stray as EventMessage, eventHandlers)).toBeUndefined();
      expect(dispatch(stray as InboundMessage, names, () => 'otherwise')).toBe('otherwise');
    }
  });

  it('dispatches events too', () => {
    const handlers = Object.fromEntries(EVENT_NAMES.map((name) => [name, () => name])) as unknown as EventHandlers<string>;
    for (const name of EVENT_NAMES) expect(dispatchEvent(EVENT_EXAMPLES[name], handlers)).toBe(name);
  });

  it('types: MessageOf narrows by name, ResponseBodyOf gives the init payload', () => {
    expectTypeOf<MessageOf<'conversation.request.senddtmf'>['body']>().toEqualTypeOf<{ digits: string }>();
    expectTypeOf<ResponseBodyOf<'conversation.query.init'>['conversation-state']>().toEqualTypeOf<ConversationState>();
    expectTypeOf<MessageOf<'conversation.partyadded'>['body']['name']>().toEqualTypeOf<string | undefined>();
  });
});
