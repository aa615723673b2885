/**
 * A re-init after a pre-init queue overflow: the re-read leg may have moved where the bridge never
 * heard it go. `started` must still come first and `ended` exactly once (docs/contract.md, invariant 4).
 * The first case is the counterexample the property tests shrank to.
 */
import { describe, expect, it } from 'vitest';
import { harness, scriptedLeg } from '../support/scripted-leg.js';

describe('a re-init after the pre-init queue overflowed', () => {
  it('sends started before anything else when the re-read call is TALKING', () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg, limits: { preInitEvents: 1 } });
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event ringing']);
    h.destination.connectionLost();
    leg.emit({ type: 'talking' }); // queued
    leg.emit({ type: 'muted' }); // overflow: the leg is re-read as TALKING and muted
    leg.emit({ type: 'unmuted' }); // queued again
    h.init();
    expect(h.sent[0].body).toMatchObject({ 'conversation-state': 'TALKING' });
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'event mute', 'event talking']);
  });

  it('ends a call the bridge saw ringing and the re-read found released: started, then ended, once', () => {
    const leg = scriptedLeg({ state: 'RINGING' });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    h.init();
    h.take();
    h.destination.connectionLost();
    leg.emit({ type: 'ended' });
    h.init();
    expect(h.sent[0].body).toMatchObject({ 'conversation-state': 'RELEASED' });
    expect(h.take()).toEqual(['SUCCESS init', 'event started', 'event ended']);
    h.init();
    expect(h.take()).toEqual(['SUCCESS init']);
  });

  it('says a kept busy word before ending a dialled call the bridge saw dialing', () => {
    const leg = scriptedLeg({ state: 'DIALING', parties: [{ number: '2001' }] });
    const h = harness({ leg, limits: { preInitEvents: 0 } });
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event dialing']);
    h.destination.connectionLost();
    leg.emit({ type: 'busy' });
    h.init();
    expect(h.take()).toEqual(['SUCCESS init', 'event busy', 'event started', 'event ended']);
  });
});
