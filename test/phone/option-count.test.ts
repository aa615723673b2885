import { describe, expect, it } from 'vitest';
import { countOption } from '../../src/phone/option-count.js';

describe('countOption', () => {
  it('gives the default for undefined and the value for 0 or more', () => {
    expect(countOption('SomePhone', undefined, 250, 'delayMs')).toBe(250);
    expect(countOption('SomePhone', 0, 250, 'delayMs')).toBe(0);
    expect(countOption('SomePhone', 7.5, 250, 'delayMs')).toBe(7.5);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s with a RangeError naming the phone and option', (value) => {
    expect(() => countOption('SomePhone', value, 250, 'delayMs')).toThrow(
      new RangeError('SomePhone: delayMs must be a number of 0 or more'),
    );
  });
});
