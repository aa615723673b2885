/** docs/contract.md, "Init and the event queue": nothing before the init response; the bounded queue. */
import { internalActor } from '../../src/destination/internal.js';
import { describe, expect, it } from 'vitest';
import { CALLER, flush, harness, scriptedLeg } from '../support/scripted-leg.js';

describe('the pre-init queue', () => {
  it('holds phone events, unapplied, until the init response; the init describes the model before them', async () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg });
    // The phone moves on before the bridge asks; the destination's model has not seen it yet.
    leg.emit({ type: 'talking' });
    leg.emit({ type: 'held' });
    await flush();
    expect(h.sent).toEqual([]);
    h.init();
    expect(h.sent[0].body).toEqual({ 'conversation-state': 'RINGING', parties: [CALLER] });
    expect(h.take()).toEqual(['SUCCESS init', 'event ringing', 'event started', 'event partyadded', 'event talking', 'event held']);
  });

  it('when full: drops the queued state events, re-reads the snapshot, keeps the one-shot words', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg, limits: { preInitEvents: 3 } });
    leg.emit({ type: 'held' });
    leg.emit({ type: 'transferFailed', reason: 'no answer' });
    leg.emit({ type: 'talking' });
    leg.emit({ type: 'muted' }); // the fourth: the queue is full
    leg.emit({ type: 'held' }); // queued again after the re-read
    expect(h.diagnostics.map((d) => d.code)).toEqual(['pre-init-queue-full']);
    h.init();
    // The re-read snapshot (TALKING, muted) is what the init tells; then the kept word, then the rest.
    expect(h.sent[0].body).toMatchObject({ 'conversation-state': 'TALKING' });
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'event mute', 'event transfer.failed', 'event held']);
    expect(internalActor(h.destination).getSnapshot().context.model).toMatchObject({ state: 'HELD', muted: true });
  });

  it('keeps at most oneShotEvents one-shot words, the newest', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg, limits: { preInitEvents: 1, oneShotEvents: 1 } });
    // a waits; b overflows the queue (a and b are kept, one too many: a goes); c waits again.
    for (const reason of ['a', 'b', 'c']) leg.emit({ type: 'conferenceFailed', reason });
    h.init();
    expect(h.diagnostics.map((d) => d.code)).toContain('one-shot-events-dropped');
    expect(h.sent.filter((m) => m.header.type === 'cti.event' && m.header.name === 'conversation.conference.failed').map((m) => m.body)).toEqual([
      { reason: 'b' },
      { reason: 'c' },
    ]);
  });

  it('exactly oneShotEvents one-shot words fit: none is dropped and no drop is reported', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg, limits: { preInitEvents: 1, oneShotEvents: 2 } });
    // a waits; b overflows the queue of 1: a and b are kept, two of two.
    for (const reason of ['a', 'b']) leg.emit({ type: 'conferenceFailed', reason });
    h.init();
    expect(h.diagnostics.map((d) => d.code)).toEqual(['pre-init-queue-full']);
    expect(h.sent.filter((m) => m.header.name === 'conversation.conference.failed').map((m) => m.body)).toEqual([{ reason: 'a' }, { reason: 'b' }]);
  });

  it('a busy outbound call that overflowed the queue: the init tells RELEASED and busy is still said', async () => {
    const leg = scriptedLeg({ state: 'DIALING', parties: [{ number: '2001' }] });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    leg.emit({ type: 'busy' });
    h.init();
    expect(h.sent[0].body).toMatchObject({ 'conversation-state': 'RELEASED' });
    expect(h.take()).toEqual(['SUCCESS init', 'event busy']);
  });

  it('a failed outbound call that overflowed the queue keeps its reason', async () => {
    const leg = scriptedLeg({ state: 'DIALING', parties: [{ number: '2001' }] });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    leg.emit({ type: 'failed', reason: 'number unobtainable' });
    h.init();
    expect(h.sent.map((m) => [m.header.name, m.body])).toEqual([
      ['conversation.query.init', { 'conversation-state': 'RELEASED', parties: [{ number: '2001' }] }],
      ['conversation.failed', { reason: 'number unobtainable' }],
    ]);
  });

  it('a snapshot that throws on overflow keeps the model as it was', async () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    leg.snapshot = () => {
      throw new Error('gone');
    };
    leg.emit({ type: 'talking' });
    h.init();
    expect(h.sent[0].body).toMatchObject({ 'conversation-state': 'RINGING' });
    expect(h.diagnostics.map((d) => d.code)).toEqual(['snapshot-failed', 'pre-init-queue-full']);
  });
});

describe('connectionLost and re-init', () => {
  it('returns to awaiting init: events queue again, requests are "not initialized", memory and flags stay', async () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg });
    h.init();
    h.request('answer', {}, 'a');
    leg.emit({ type: 'talking' });
    await flush();
    h.take();
    h.destination.connectionLost();
    expect(internalActor(h.destination).getSnapshot().value).toMatchObject({ lifecycle: 'awaitingInit' });
    leg.emit({ type: 'held' });
    h.request('hold', {}, 'x');
    h.request('answer', {}, 'a'); // remembered from before the drop
    expect(h.take()).toEqual(['FAILURE hold', 'SUCCESS answer']);
    h.init();
    // Nothing repeated (no ringing, no started, no partyadded): just the queued event.
    expect(h.take()).toEqual(['SUCCESS init', 'event held']);
  });

  it('the events an init replays leave the queue: a re-init after a drop does not replay them again', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg });
    leg.emit({ type: 'muted' });
    await flush();
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'event mute']);
    leg.emit({ type: 'unmuted' });
    await flush();
    expect(h.take()).toEqual(['event talking']); // unmuted is told as talking
    h.destination.connectionLost();
    h.init();
    // Replaying the old `muted` would tell the bridge mute again and leave the model muted.
    expect(h.take()).toEqual(['SUCCESS init']);
    expect(internalActor(h.destination).getSnapshot().context.model.muted).toBe(false);
  });

  it('a re-init while muted and TALKING repeats mute (the init body cannot say muted)', async () => {
    const leg = scriptedLeg({ state: 'TALKING', muted: true });
    const h = harness({ leg });
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'event mute']);
    h.destination.connectionLost();
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event mute']);
    h.init(); // repeated while ready
    expect(h.take()).toEqual(['SUCCESS init', 'event mute']);
  });

  it('a response that completes while the connection is down is kept in memory only, and replayed later', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg });
    h.init();
    leg.modes.hold = 'manual';
    h.request('hold', {}, 'h');
    await flush();
    h.take();
    h.destination.connectionLost();
    leg.settle('hold');
    await flush();
    expect(h.sent).toEqual([]);
    h.init();
    h.request('hold', {}, 'h');
    expect(h.take()).toEqual(['SUCCESS init', 'SUCCESS hold']);
    expect(leg.operations()).toEqual(['hold']);
  });

  it('ended is sent once, even across a reconnect', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg });
    h.init();
    leg.emit({ type: 'ended' });
    h.destination.connectionLost();
    leg.emit({ type: 'ended' });
    h.init();
    expect(h.events()).toEqual(['started', 'ended']);
  });

  it('connectionLost after dispose or stop changes nothing', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    h.request('dispose');
    h.destination.connectionLost();
    expect(internalActor(h.destination).getSnapshot().value).toMatchObject({ lifecycle: 'disposed' });
    h.destination.stop();
    expect(() => h.destination.connectionLost()).not.toThrow();
  });
});

describe('targets', () => {
  it('without a target option, the first init sets it; a later init on another target moves it', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }) });
    expect(h.destination.target).toBeUndefined();
    expect(h.destination.legId).toBe('leg-1');
    h.init('A.leg-1');
    expect(h.destination.target).toBe('A.leg-1');
    h.init('B.leg-1');
    expect(h.destination.target).toBe('B.leg-1');
    expect(h.diagnostics.map((d) => d.code)).toContain('moved');
    const old = h.request('hold', {}, 'old', 'A.leg-1');
    await flush();
    expect(h.outcome(old)).toBe('FAILURE: hold: this conversation moved to another target');
    const fresh = h.request('hold', {}, 'new', 'B.leg-1');
    await flush();
    expect(h.outcome(fresh)).toBe('SUCCESS');
    expect(h.sent.filter((m) => m.header.type === 'cti.event').every((m) => m.header.target === 'A.leg-1' || m.header.target === 'B.leg-1')).toBe(true);
  });

  it('with a target option, a request on another target is answered "moved" and not remembered', async () => {
    const h = harness({ leg: scriptedLeg({ state: 'TALKING' }), target: 'T.leg-1' });
    expect(h.destination.target).toBe('T.leg-1');
    h.init();
    h.request('hold', {}, 'x', 'Other.leg-1');
    h.request('hold', {}, 'x');
    await flush();
    expect(h.outcome('x')).toBe('2 responses');
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'FAILURE hold', 'SUCCESS hold']);
  });

  it('events go to the current target', async () => {
    const leg = scriptedLeg({ state: 'TALKING' });
    const h = harness({ leg });
    h.init('A.leg-1');
    h.init('B.leg-1');
    leg.emit({ type: 'held' });
    expect(h.sent.at(-1)?.header).toEqual({ type: 'cti.event', name: 'conversation.held', target: 'B.leg-1' });
  });
});
