import { describe, expect, it } from 'vitest';
import { BoundedSet } from '../../src/phone/bounded-set.js';

describe('BoundedSet', () => {
  it('forgets the oldest value once it holds more than max', () => {
    const set = new BoundedSet<number>(3);
    for (const value of [1, 2, 3, 4]) set.add(value);
    expect(set.size).toBe(3);
    expect(set.has(1)).toBe(false);
    expect([2, 3, 4].every((value) => set.has(value))).toBe(true);
  });

  it('keeps the first place of a value added again', () => {
    const set = new BoundedSet<string>(2);
    set.add('a');
    set.add('b');
    set.add('a'); // still the oldest
    set.add('c');
    expect(set.has('a')).toBe(false);
    expect(set.has('b')).toBe(true);
    expect(set.has('c')).toBe(true);
  });

  it('clear empties it', () => {
    const set = new BoundedSet<number>(2);
    set.add(1);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.has(1)).toBe(false);
  });
});
