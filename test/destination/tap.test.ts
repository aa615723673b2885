/**
 * The destination's tap (src/destination/tap.ts): what a recorder sees. Every frame as given
 * (even one that is dropped), every phone event as the leg delivered it, each operation started
 * and settled, and every message sent after validation; a tap that throws costs a diagnostic only.
 */
import { describe, expect, it } from 'vitest';
import type { DestinationTap } from '../../src/destination/tap.js';
import { flush, harness, scriptedLeg } from '../support/scripted-leg.js';

function recordingTap(): { tap: DestinationTap; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    tap: {
      inbound: (frame) => seen.push(`in ${typeof frame === 'string' ? frame : JSON.stringify((frame as { header?: { name?: string } }).header?.name)}`),
      phoneEvent: (event) => seen.push(`phone ${event.type}`),
      operationStarted: (opId, operation, args) => seen.push(`start #${opId} ${operation}(${args.join(',')})`),
      operationSettled: (opId, outcome) => seen.push(`settled #${opId} ${outcome.ok ? 'ok' : `failed: ${outcome.error}`}`),
      outbound: (message) => seen.push(`out ${message.header.name}${'result' in message.header ? ` ${message.header.result}` : ''}`),
    },
  };
}

describe('the destination tap', () => {
  it('sees inputs before any check and outputs in the order they leave', async () => {
    const { tap, seen } = recordingTap();
    const leg = scriptedLeg({ state: 'RINGING' });
    leg.modes.hold = 'reject';
    const h = harness({ leg, tap });
    h.destination.receive('not json');
    h.init();
    h.request('answer');
    await flush();
    leg.emit({ type: 'talking' });
    h.request('hold');
    await flush();
    expect(seen).toEqual([
      'in not json',
      'in "conversation.query.init"',
      'out conversation.query.init SUCCESS',
      'out conversation.ringing',
      'in "conversation.request.answer"',
      'start #1 answer()',
      'settled #1 ok',
      'out conversation.request.answer SUCCESS',
      'phone talking',
      'out conversation.started',
      'out conversation.partyadded',
      'out conversation.talking',
      'in "conversation.request.hold"',
      'start #2 hold()',
      'settled #2 failed: hold refused by the scripted phone',
      'out conversation.request.hold FAILURE',
    ]);
    expect(h.take().length).toBe(seen.filter((line) => line.startsWith('out ')).length);
  });

  it('a tap that throws is a diagnostic; the destination answers as before', async () => {
    const throwing: DestinationTap = {
      inbound: () => {
        throw new Error('disk full');
      },
      outbound: () => {
        throw new Error('disk full');
      },
    };
    const h = harness({ leg: scriptedLeg({ state: 'RINGING' }), tap: throwing });
    const id = h.init();
    await flush();
    expect(h.outcome(id)).toBe('SUCCESS');
    expect(h.diagnostics.map((d) => d.code)).toContain('tap-failed');
    expect(h.diagnostics.find((d) => d.code === 'tap-failed')?.message).toBe("the tap's inbound threw: disk full");
  });
});
