import { describe, expect, it } from 'vitest';
import { StateWaits } from '../../src/phone/state-waits.js';

const never = new AbortController().signal;

describe('StateWaits', () => {
  it('resolves at once when the test already passes, without beforeWait', async () => {
    const waits = new StateWaits();
    let before = 0;
    await waits.until(() => true, never, () => (before += 1));
    expect(before).toBe(0);
  });

  it('resolves at the first notify after the test passes, and runs beforeWait once', async () => {
    const waits = new StateWaits();
    let ready = false;
    let before = 0;
    let settled = false;
    const wait = waits.until(() => ready, never, () => (before += 1)).then(() => (settled = true));
    waits.notify();
    await Promise.resolve();
    expect(settled).toBe(false);
    ready = true;
    waits.notify();
    await wait;
    expect(settled).toBe(true);
    expect(before).toBe(1);
  });

  it('rejects with the abort reason when the signal fires', async () => {
    const waits = new StateWaits();
    const controller = new AbortController();
    const wait = waits.until(() => false, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(wait).rejects.toThrow('deadline');
  });

  it('after stop, waits under way reject at the next notify and new ones at once', async () => {
    const waits = new StateWaits();
    const wait = waits.until(() => false, never);
    waits.stop('the phone was closed');
    waits.notify();
    await expect(wait).rejects.toThrow('the phone was closed');
    await expect(waits.until(() => false, never)).rejects.toThrow('the phone was closed');
  });
});
