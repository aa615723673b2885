import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/phone/bounded-map.js';

describe('BoundedMap', () => {
  it('lists its entries oldest first, a key set again moving to the end, and forgets the oldest past the count', () => {
    const map = new BoundedMap<number, string>(3);
    for (const [key, value] of [[1, 'a'], [2, 'b'], [3, 'c'], [1, 'a2'], [4, 'd']] as const) map.set(key, value);
    expect([...map.entries()]).toEqual([[3, 'c'], [1, 'a2'], [4, 'd']]);
    expect(map.evicted).toBe(1);
  });

  it('forgets past the byte total, and clear empties it and its bytes', () => {
    const map = new BoundedMap<string, number>(10, 100);
    map.set('a', 1, 60);
    map.set('b', 2, 60);
    expect([...map.entries()]).toEqual([['b', 2]]);
    expect(map.bytes).toBe(60);
    map.clear();
    expect([map.size, map.bytes, [...map.entries()]]).toEqual([0, 0, []]);
  });
});
