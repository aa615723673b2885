import { describe, expect, it } from 'vitest';
import { abortError, pause, raceAbort } from '../../src/phone/abort.js';

describe('abort helpers', () => {
  it('abortError keeps an Error reason, words a string one, and has a default', () => {
    const reason = new Error('why');
    const aborted = (value?: unknown) => {
      const controller = new AbortController();
      controller.abort(value);
      return controller.signal;
    };
    expect(abortError(aborted(reason))).toBe(reason);
    expect(abortError(aborted('cut short')).message).toBe('cut short');
    expect(abortError(aborted('')).message).toBe('the operation was aborted');
  });

  it('raceAbort settles with the work, or rejects when the signal fires first', async () => {
    await expect(raceAbort(Promise.resolve(3), new AbortController().signal)).resolves.toBe(3);
    const controller = new AbortController();
    const raced = raceAbort(new Promise(() => undefined), controller.signal);
    controller.abort(new Error('stop'));
    await expect(raced).rejects.toThrow('stop');
  });

  it('pause rejects early with the reason `stop` resolves with', async () => {
    await expect(pause(60_000, new AbortController().signal, Promise.resolve('the call has ended'))).rejects.toThrow(
      'the call has ended',
    );
  });
});
