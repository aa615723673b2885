import { describe, expect, it } from 'vitest';
import { CallsFileError, parseCallsFile } from '../../src/cli/calls/calls-file.js';
import { phoneOptionsFor, playCalls } from '../../src/cli/calls/play-calls.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';
import type { PhoneEvent } from '../../src/phone/types.js';

function errorOf(value: unknown): CallsFileError {
  try {
    parseCallsFile(value);
  } catch (error) {
    if (error instanceof CallsFileError) return error;
    throw error;
  }
  throw new Error('expected a CallsFileError');
}

describe('parseCallsFile', () => {
  it('reads inbound and outbound calls, far-end actions and the plans', () => {
    const file = parseCallsFile({
      transfers: { '2098': { outcome: 'fail', reason: 'no answer' } },
      conferences: { 2001: { name: 'Supervisor' } },
      calls: [
        { leg: 'in-1', ring: { number: '+15551230001', name: 'Pat' }, far: [{ on: 'partyRemoved', do: 'hangUp' }] },
        { dial: 2002, outcome: 'busy' },
      ],
    });
    expect(file.outboundIdPrefix).toBe('out-');
    expect(file.transfers.get('2098')).toEqual({ outcome: 'fail', reason: 'no answer' });
    expect(file.conferences.get('2001')).toEqual({ outcome: 'join', name: 'Supervisor' });
    expect(file.calls[0]).toEqual({
      kind: 'inbound',
      leg: 'in-1',
      ring: { number: '+15551230001', name: 'Pat' },
      far: [{ on: 'partyRemoved', do: 'hangUp' }],
    });
    expect(file.calls[1]).toEqual({ kind: 'outbound', dial: '2002', outcome: 'busy', far: [] });
  });

  it('says where each mistake is', () => {
    expect(errorOf([]).message).toBe('(the file): must be a mapping of keys to values');
    expect(errorOf({ calls: [] }).message).toBe('calls: must be a list of at least one call');
    expect(errorOf({ calls: [{ leg: 'a' }] }).message).toMatch(/^calls\[0\]: a call needs `ring`/);
    expect(errorOf({ calls: [{ leg: 'a.b', ring: { number: '1' } }] }).message).toMatch(/^calls\[0\]\.leg: a leg id/);
    expect(errorOf({ calls: [{ leg: 'a', ring: { number: '1' }, far: [{ do: 'explode' }] }] }).message).toMatch(
      /^calls\[0\]\.far\[0\]\.do: must be one of answer, busy/,
    );
    expect(errorOf({ calls: [{ leg: 'a', ring: { number: '1' }, far: [{ do: 'join' }] }] }).message).toMatch(
      /^calls\[0\]\.far\[0\]\.party: join needs/,
    );
    expect(errorOf({ calls: [{ leg: 'a', ring: { number: '1' }, colour: 'red' }] }).message).toMatch(/^calls\[0\]\.colour: unknown key/);
    expect(
      errorOf({ calls: [{ leg: 'a', ring: { number: '1' } }, { leg: 'a', ring: { number: '2' } }] }).message,
    ).toBe('calls[1].leg: leg a is named twice');
  });
});

describe('playCalls', () => {
  it('rings, dials with the planned outcome and runs far-end actions on their triggers', async () => {
    const file = parseCallsFile({
      calls: [
        { leg: 'in-1', ring: { number: '+1' }, far: [{ on: 'talking', do: 'hangUp', reason: 'bye' }] },
        { dial: '2002', outcome: 'busy' },
      ],
    });
    const phone = new SimulatedPhone(phoneOptionsFor(file));
    const events: Record<string, PhoneEvent['type'][]> = {};
    phone.onLeg((leg) => {
      events[leg.id] = [];
      leg.subscribe((event) => events[leg.id]!.push(event.type));
    });
    const lines: string[] = [];
    const player = playCalls(phone, file, (line) => lines.push(line));
    await player.started;
    const outbound = phone.leg('out-1');
    expect(outbound).toBeDefined();
    await new Promise<void>((resolve) => {
      const off = outbound!.subscribe((event) => {
        if (event.type === 'busy') {
          off();
          resolve();
        }
      });
    });
    const inbound = phone.leg('in-1')!;
    const ended = new Promise<void>((resolve) => inbound.subscribe((event) => event.type === 'ended' && resolve()));
    await inbound.answer(new AbortController().signal);
    await ended;
    expect(events['in-1']).toEqual(['talking', 'ended']);
    expect(events['out-1']).toEqual(['busy']);
    expect(lines).toContain('leg in-1: the far end hung up');
    player.stop();
    await phone.close();
  });

  it('logs a far-end action the call no longer allows instead of throwing', async () => {
    const file = parseCallsFile({ calls: [{ leg: 'in-1', ring: { number: '+1' }, far: [{ on: 'ended', do: 'hangUp' }] }] });
    const phone = new SimulatedPhone(phoneOptionsFor(file));
    const lines: string[] = [];
    const player = playCalls(phone, file, (line) => lines.push(line));
    await player.started;
    await phone.leg('in-1')!.release(new AbortController().signal);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(lines.some((line) => line.startsWith('leg in-1: the far end could not hangUp'))).toBe(true);
    player.stop();
    await phone.close();
  });
});
