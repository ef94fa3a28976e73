import { describe, expect, it } from 'vitest';
import { createPacer } from '../../../src/adapters/slack/pacer.js';
import { RecentIds } from '../../../src/adapters/slack/recent-ids.js';
import { manualClock } from '../../../src/core/clock.js';

describe('createPacer', () => {
  it('spaces messages to one channel a second apart and leaves other channels alone', async () => {
    const clock = manualClock('2024-10-17T09:00:00Z');
    const waits: number[] = [];
    const pacer = createPacer({
      clock,
      wait: async (ms) => {
        waits.push(ms);
        clock.advance(ms);
      },
    });
    await Promise.all([pacer.turn('C1'), pacer.turn('C1'), pacer.turn('C1'), pacer.turn('C2')]);
    expect(waits).toEqual([1000, 1000]);
    clock.advance(5000);
    await pacer.turn('C1');
    expect(waits).toEqual([1000, 1000]);
  });
});

describe('RecentIds', () => {
  it('answers once per id and forgets the oldest beyond its capacity', () => {
    const ids = new RecentIds(3);
    expect(ids.firstTime('a', 't1')).toBe(true);
    expect(ids.firstTime('a')).toBe(false);
    expect(ids.firstTime('b', 't1')).toBe(false);
    expect(ids.firstTime(undefined, 't2')).toBe(true);
    ids.firstTime('c');
    ids.firstTime('d');
    expect(ids.size).toBe(3);
    expect(ids.firstTime('a')).toBe(true);
  });
});
