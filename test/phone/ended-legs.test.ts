import { describe, expect, it } from 'vitest';
import { dropOldEndedLegs } from '../../src/phone/ended-legs.js';

interface FakeLeg {
  readonly id: string;
  readonly ended: boolean;
}

function legsOf(spec: string): Map<string, FakeLeg> {
  // 'E' is an ended leg, 'L' a live one; ids are their positions.
  return new Map([...spec].map((kind, index) => [String(index), { id: String(index), ended: kind === 'E' }]));
}

describe('dropOldEndedLegs', () => {
  it('forgets the oldest ended legs until max are left, never a live one', () => {
    const legs = legsOf('ELELE');
    const forgotten: string[] = [];
    dropOldEndedLegs(legs, 1, (leg) => {
      forgotten.push(leg.id);
      legs.delete(leg.id);
    });
    expect(forgotten).toEqual(['0', '2']);
    expect([...legs.keys()]).toEqual(['1', '3', '4']);
  });

  it('forgets nothing while the ended legs are within max', () => {
    const legs = legsOf('EEL');
    const forgotten: string[] = [];
    dropOldEndedLegs(legs, 2, (leg) => forgotten.push(leg.id));
    expect(forgotten).toEqual([]);
  });
});
