/**
 * A behaviour change shows up in replay: a copy of the machine with one rule changed (via XState's
 * machine.provide(), overriding the chart's `tellAnswered` action) replays the demo day's trace and
 * reports the first divergence at the first message that rule decides, with the lines before it.
 * The changed rule: on answering, the parties are no longer announced (`partyadded`).
 */
import { describe, expect, it, vi } from 'vitest';
import { formatReplay, readTraceFile, replayTrace } from '../../src/trace/index.js';
import { DEMO_TRACE } from './support.js';

vi.mock('../../machines/conversation.machine.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../machines/conversation.machine.js')>();
  const { enqueueActions } = await import('xstate');
  const { applyCell } = await import('../../machines/rules.js');
  const answered = applyCell('answered');
  type Args = { context: Parameters<typeof answered>[0]; event: Parameters<typeof answered>[1]; enqueue: { assign(a: unknown): void } };
  // The chart's `tellAnswered` (the phone-event cell `answered`), minus the partyadded messages.
  const tellAnswered = enqueueActions((({ context, event, enqueue }: Args) => {
    const change = answered(context, event);
    if (change.assign !== undefined) enqueue.assign(change.assign);
    for (const effect of change.effects) {
      if (effect.type === 'send' && effect.message.header.name === 'conversation.partyadded') continue;
      // Effects leave through the context's outbox, as the chart's own actions put them there.
      context.outbox.push(effect);
    }
  }) as never);
  return { ...original, conversationMachine: original.conversationMachine.provide({ actions: { tellAnswered } } as never) };
});

describe('replay with one rule changed in a copy of the machine', () => {
  it('reports the first divergence at the first partyadded the trace recorded, and exits as a mismatch', async () => {
    const trace = await readTraceFile(DEMO_TRACE);
    const firstPartyAdded = trace.entries.find(
      ({ entry }) => entry.kind === 'frame.out' && (entry.frame as { header: { name: string } }).header.name === 'conversation.partyadded',
    );
    expect(firstPartyAdded).toBeDefined();
    const result = await replayTrace(trace, { context: 4 });
    expect(result.ok).toBe(false);
    const divergence = result.divergence;
    expect(divergence?.expected).toBe(firstPartyAdded);
    // What the changed copy sent there instead: the talking that follows the (now missing) parties.
    expect(divergence?.actual).toMatchObject({ kind: 'frame.out', leg: (firstPartyAdded?.entry as { leg: string }).leg });
    expect((divergence?.actual as { frame: { header: { name: string } } }).frame.header.name).toBe('conversation.talking');
    // Everything recorded before it matched; the context is the four lines just before it.
    const outputsBefore = trace.entries.slice(0, firstPartyAdded?.index).filter(({ entry }) => entry.kind === 'frame.out' || entry.kind === 'operation.started');
    expect(result.matched).toBe(outputsBefore.length);
    expect(divergence?.before.map((e) => e.index)).toEqual([1, 2, 3, 4].map((n) => (firstPartyAdded?.index as number) - 5 + n));
    const report = formatReplay('demo-day.jsonl', result);
    expect(report).toContain('DIVERGES');
    expect(report).toContain(`at ${firstPartyAdded?.where} the trace has: frame.out`);
    expect(report).toContain('event conversation.talking');
  });
});
