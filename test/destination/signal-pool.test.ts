/**
 * SignalPool (src/destination/signal-pool.ts): what it hands out again and what it lets go.
 * docs/contract.md, "The adapter contract": a signal is handed to a later operation only while
 * it is unaborted and nobody listens to it.
 */
import { describe, expect, it } from 'vitest';
import { SignalPool } from '../../src/destination/index.js';

describe('SignalPool', () => {
  it('hands out a new unaborted controller when none was given back', () => {
    const pool = new SignalPool();
    const first = pool.take();
    const second = pool.take();
    expect(first).not.toBe(second);
    expect(first.signal.aborted).toBe(false);
    expect(pool.size).toBe(0);
  });

  it('hands a controller given back with no listener to the next take, last in first out', () => {
    const pool = new SignalPool();
    const a = pool.take();
    const b = pool.take();
    pool.giveBack(a);
    pool.giveBack(b);
    expect(pool.size).toBe(2);
    expect(pool.take()).toBe(b);
    expect(pool.take()).toBe(a);
    expect(pool.size).toBe(0);
  });

  it('keeps no controller whose signal still has an abort listener', () => {
    const pool = new SignalPool();
    const heard = pool.take();
    const listener = () => undefined;
    heard.signal.addEventListener('abort', listener);
    pool.giveBack(heard);
    expect(pool.size).toBe(0);
    heard.signal.removeEventListener('abort', listener);
    pool.giveBack(heard);
    expect(pool.take()).toBe(heard);
  });

  it('keeps no aborted controller', () => {
    const pool = new SignalPool();
    const aborted = pool.take();
    aborted.abort();
    pool.giveBack(aborted);
    expect(pool.size).toBe(0);
    expect(pool.take()).not.toBe(aborted);
  });

  it('keeps at most its capacity, and none with a capacity of 0', () => {
    const pool = new SignalPool(2);
    for (const controller of [pool.take(), pool.take(), pool.take()]) pool.giveBack(controller);
    expect(pool.size).toBe(2);
    const none = new SignalPool(0);
    none.giveBack(none.take());
    expect(none.size).toBe(0);
  });

  it('keeps 64 by default', () => {
    const pool = new SignalPool();
    expect(pool.capacity).toBe(64);
    const taken = Array.from({ length: 65 }, () => pool.take());
    for (const controller of taken) pool.giveBack(controller);
    expect(pool.size).toBe(64);
  });
});
