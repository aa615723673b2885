/**
 * The whole of the contract's example call (kept in the repo as
 * test/destination/fixtures/inbound-call.jsonl): the bridge's frames and the phone's events are
 * played in, and everything the destination sends and calls must match the example line by line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flush, harness, scriptedLeg } from '../support/scripted-leg.js';

interface Line {
  dir: string;
  msg?: { header: { type: string; name: string; target: string }; body: Record<string, unknown> };
  op?: string;
  args?: string[];
  event?: Parameters<ReturnType<typeof scriptedLeg>['emit']>[0];
}

const lines: Line[] = readFileSync(new URL('./fixtures/inbound-call.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Line);

describe('the inbound-call example', () => {
  it('sends exactly the example messages and calls exactly the example operations, in order', async () => {
    const target = lines[0].msg!.header.target;
    const leg = scriptedLeg({ id: target.split('.').pop()!, state: 'RINGING', parties: [{ number: '+15551230001', name: 'Pat Caller' }] });
    const h = harness({ leg });
    const expected: unknown[] = [];
    const actual: unknown[] = [];
    let seenOrder = 0;
    let seenSent = 0;
    const collect = () => {
      // The harness interleaves sends and leg calls in h.order; rebuild the same shape as the example.
      for (; seenOrder < h.order.length; seenOrder += 1) {
        const entry = h.order[seenOrder];
        if (entry.startsWith('leg.')) {
          const op = entry.slice(4);
          const call = leg.calls.filter((c) => c.operation === op)[h.order.slice(0, seenOrder).filter((e) => e === entry).length];
          actual.push(call.args.length > 0 ? { dir: 'client→phone', op, args: call.args } : { dir: 'client→phone', op });
        } else actual.push({ dir: 'client→bridge', msg: h.sent[seenSent++] });
      }
    };
    for (const line of lines) {
      if (line.dir === 'bridge→client') {
        h.destination.receive(line.msg);
        await flush();
      } else if (line.dir === 'phone→client') {
        leg.emit(line.event!);
        await flush();
      } else expected.push(line);
      collect();
    }
    expect(actual).toEqual(expected);
    expect(h.disposedCallbacks).toBe(1);
  });

  it('accepts the same frames as JSON text', async () => {
    const leg = scriptedLeg({ id: '7f3a9c0e12ab44d1' });
    const h = harness({ leg });
    for (const line of lines.filter((l) => l.dir === 'bridge→client').slice(0, 2)) {
      h.destination.receive(JSON.stringify(line.msg));
      await flush();
    }
    expect(h.take()).toEqual(['SUCCESS init', 'event ringing', 'SUCCESS answer']);
  });
});
