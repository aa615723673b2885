import { describe, expect, it } from 'vitest';
import { conversationView } from '../../src/inspector/conversation-view.js';

const header = (name: string, requestId: string) => ({ type: 'cti.request', name, target: 'T.leg-1', requestId });

describe('conversation context view', () => {
  it('shows the call, its queues and the operation in flight the way a person reads them', () => {
    const view = conversationView({
      phase: 'ready',
      target: 'T.leg-1',
      connected: true,
      model: { state: 'TALKING', muted: true, parties: [{ number: '+15550001' }] },
      flags: { initialized: true, started: true, ended: false },
      preInit: [{ type: 'held' }],
      oneShots: [{ type: 'busy' }],
      queue: [{ header: header('conversation.request.retrieve', 'r-9') }],
      inFlight: { operation: 'hold', args: [], header: header('conversation.request.hold', 'r-8'), opId: 3 },
      pendingDispose: undefined,
      memory: { size: 7, limit: 1024, chunks: [new Map([['r-1', {}]])] },
      settings: { supported: ['mute', 'unmute', 'transfer', 'removeParty', 'sendDtmf'] },
    });
    expect(view).toEqual({
      'call state': 'TALKING',
      // TALKING takes every request; this leg lacks conference, so not that one.
      'requests it would take': ['answer', 'release', 'hold', 'retrieve', 'mute', 'unmute', 'transfer', 'removeparty', 'senddtmf', 'dispose'],
      muted: true,
      parties: [{ number: '+15550001' }],
      'queued events': ['held', 'busy'],
      'queued requests': ['retrieve #r-9'],
      'operation in flight': 'hold() for hold #r-8',
      phase: 'ready',
      target: 'T.leg-1',
      connected: true,
      'sent so far': { initialized: true, started: true, ended: false },
      'dispose waiting': null,
      'answered requestIds': '7 of at most 1024',
    });
  });

  it('never shows DTMF digits, only how many', () => {
    const view = conversationView({
      model: { state: 'TALKING', muted: false, parties: [] },
      inFlight: { operation: 'sendDtmf', args: ['4111111111111111'], header: header('conversation.request.senddtmf', 'r-1') },
    }) as Record<string, unknown>;
    expect(view['operation in flight']).toBe('sendDtmf(16 digits) for senddtmf #r-1');
    expect(JSON.stringify(view)).not.toContain('4111');
  });

  it('passes any other context through unchanged', () => {
    const other = { muted: false, model: { state: 'SINGING' } };
    expect(conversationView(other)).toBe(other);
    expect(conversationView(undefined)).toBeUndefined();
  });
});

describe('the requests a leg would take, beside its call state', () => {
  it('follows the lifecycle: only dispose before init, nothing once disposed or while a dispose waits', () => {
    const view = (fields: Record<string, unknown>) =>
      (conversationView({ model: { state: 'RINGING', muted: false, parties: [] }, ...fields }) as Record<string, unknown>)['requests it would take'];
    expect(view({ phase: 'awaitingInit' })).toEqual(['dispose']);
    expect(view({ phase: 'ready' })).toEqual(['answer', 'release', 'dispose']);
    expect(view({ phase: 'ready', pendingDispose: { header: header('conversation.request.dispose', 'd-1') } })).toEqual([]);
    expect(view({ phase: 'disposed' })).toEqual([]);
    expect(view({})).toBeUndefined();
  });
});
