import { describe, expect, it } from 'vitest';
import { memoryBot, startTestLive, testConfig, testTime } from '../live/harness.js';

// Several instances on PostgreSQL: the polling lock is asked once, at the start of a tick.
// When it is lost while this instance polls (its lock connection missed a 5 s deadline during
// a stall, a network blip, a server restart), another instance takes it on its next tick and
// polls; this one still polls every source left in its tick, so both fetch the same feeds at
// once (twice the requests to arXiv, which asks for one at a time).
describe('a tick that loses the polling lock half-way', () => {
  it('polls no further source once the lock is gone', async () => {
    const time = testTime('2026-03-02T06:00:00Z');
    const config = testConfig('http://127.0.0.1:9');
    const bot = await memoryBot(config, time.clock);
    let held = true;
    const record = bot.store.recordSourceRun.bind(bot.store);
    // The lock is lost while the first source is polled (its run is recorded at the end).
    bot.store.recordSourceRun = async (run) => {
      held = false;
      return record(run);
    };
    const polled: string[][] = [];
    const live = startTestLive(bot, config, time, new Map(), {
      pollLock: async () => held,
      onTickDone: (summary) => polled.push(summary.polled),
    });
    try {
      await live.tick();
      // Both sources were due; the lock was this instance's for the first one only.
      expect(polled[0]).toHaveLength(1);
    } finally {
      await live.stop();
      await bot.close();
    }
  });
});
