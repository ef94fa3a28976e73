import { describe, expect, it } from 'vitest';
import { linkCard } from '../../src/commands/paper-card.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { memoryBot, record } from '../commands/bot-fixture.js';

/**
 * Review 13: a link card's "Posted here on" line reads `recentDigestRuns(ref, 400)` for every
 * channel of the workspace (plus one digest_parts query per run), all in one synchronous
 * stretch (the AsyncStore over SQLite resolves in microtasks, so the event loop never turns).
 * Slack sends `link_shared` for every arXiv link anyone posts; a Discord mention with a link
 * does the same. Probe on this machine: 300 channels × 365 posted runs (a year) in one
 * workspace = 2.2 s wall, 1.5 s CPU for one card, 0 event-loop turns meanwhile: every Discord
 * defer and Slack ack of every tenant in the process waits behind it.
 */
describe('review13: a link card costs the same whatever the workspace history', () => {
  it('reads at most one channel-history worth of digest runs, however many channels posted', async () => {
    const { bot } = await memoryBot({ sample: false });
    const db = bot.sqlite?.db;
    if (!db) throw new Error('expects the SQLite store');
    await bot.store.upsertPapers([record('2501.00001', 'Probe paper')], new Date());
    const CHANNELS = 60;
    const RUNS = 50;
    const addChannel = db.prepare(
      "INSERT INTO channels(platform, workspace, channel) VALUES ('slack', 'T1', ?)",
    );
    const addRun = db.prepare(
      `INSERT INTO digest_runs(id, platform, workspace, channel, digest_date, window_from,
         window_to, paper_ids, state, created_at)
       VALUES (?, 'slack', 'T1', ?, ?, '2025-01-01', '2025-01-01', '["2501.09999"]', 'posted', '2025-01-01')`,
    );
    db.transaction(() => {
      for (let c = 0; c < CHANNELS; c++) {
        addChannel.run(`C${c}`);
        for (let r = 0; r < RUNS; r++) addRun.run(`run-${c}-${r}`, `C${c}`, `2025-01-${r}`);
      }
    })();
    let runsRead = 0;
    const store = bot.store as unknown as Record<string, unknown>;
    const recent = bot.store.recentDigestRuns;
    store.recentDigestRuns = async (ref: ChannelRef, limit: number) => {
      const runs = await recent(ref, limit);
      runsRead += runs.length;
      return runs;
    };
    const here: ChannelRef = { platform: 'slack', workspace: 'T1', channel: 'C0' };
    const card = await linkCard(bot, here, 'https://arxiv.org/abs/2501.00001');
    expect(card.kind).toBe('card');
    // 400 = RUNS_LOOKED_AT, the bound paper-card.ts meant for one channel's year of digests.
    expect(runsRead).toBeLessThanOrEqual(400);
    await bot.close();
  });
});
