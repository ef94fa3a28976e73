import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/dispatch.js';
import type { Config } from '../src/config.js';
import { listed, TEAM } from './core/digest/situation-bot.js';
import { FakePlatform } from './fakes/platform-poster.js';
import { memoryBot, startTestLive, testConfig, testTime } from './live/harness.js';

// The polling lock (several instances on PostgreSQL) is asked at the start of every tick:
// when asking fails, this instance does not poll, and its digests still go out.

describe('a tick whose polling-lock check fails', () => {
  it('skips polling and still posts the due digest', async () => {
    const time = testTime('2026-03-02T06:00:00Z');
    const base = testConfig('http://127.0.0.1:9');
    const config: Config = { ...base, digest: { ...base.digest, postWhenEmpty: false } };
    const bot = await memoryBot(config, time.clock);
    const platform = new FakePlatform();
    let asked = 0;
    const polled: string[][] = [];
    const live = startTestLive(bot, config, time, new Map([['fake' as const, platform]]), {
      pollLock: async () => {
        asked++;
        throw new Error('Connection terminated unexpectedly');
      },
      onTickDone: (summary) => polled.push(summary.polled),
    });
    try {
      await live.tick();
      const ctx = bot.contextFor(TEAM, { id: 'U1', canManageChannel: true }, 'Manage Channel');
      await runCommand({ name: 'schedule', options: { time: '09:00', timezone: 'UTC' } }, ctx);
      await runCommand({ name: 'subscribe', options: { topic: 'robot grasping' } }, ctx);
      time.clock.set('2026-03-02T08:00:00Z');
      await bot.store.upsertPapers(
        [listed('2603.00001', 'Grasping with soft hands', '2026-03-02T08:00:00Z')],
        time.clock.now(),
      );
      await bot.search.refresh();
      time.clock.set('2026-03-02T09:00:00Z');
      await live.tick();
      expect(asked).toBeGreaterThanOrEqual(2);
      // The sources were due (never polled) but this instance did not hold the lock.
      expect(polled.every((p) => p.length === 0)).toBe(true);
      expect(platform.in(TEAM).filter((m) => m.kind === 'digest')).toHaveLength(1);
    } finally {
      await live.stop();
      await bot.close();
    }
  });
});
