import { describe, expect, it } from 'vitest';
import { tellListeners } from '../../src/phone/tell-listeners.js';

describe('tellListeners', () => {
  it('calls every listener in order, even after one throws, and hands each error on', () => {
    const heard: string[] = [];
    const errors: unknown[] = [];
    const boom = new Error('boom');
    tellListeners<string>(
      [
        (value) => heard.push(`a:${value}`),
        () => {
          throw boom;
        },
        (value) => heard.push(`c:${value}`),
      ],
      'x',
      (error) => errors.push(error),
    );
    expect(heard).toEqual(['a:x', 'c:x']);
    expect(errors).toEqual([boom]);
  });

  it('does not call onThrow when no listener throws', () => {
    let thrown = 0;
    tellListeners([() => undefined, () => undefined], 1, () => (thrown += 1));
    expect(thrown).toBe(0);
  });

  it('walks what it is given: a copy keeps a listener added meanwhile out of this round', () => {
    const listeners = new Set<(value: number) => void>();
    const heard: string[] = [];
    listeners.add(() => {
      heard.push('first');
      listeners.add(() => heard.push('late'));
    });
    tellListeners([...listeners], 1, () => undefined);
    expect(heard).toEqual(['first']);
  });
});
