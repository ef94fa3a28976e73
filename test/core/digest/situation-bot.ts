import type { Bot } from '../../../src/app.js';
import { runCommand } from '../../../src/commands/dispatch.js';
import type { Reply } from '../../../src/commands/reply.js';
import type { Config } from '../../../src/config.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import type { ChannelRef } from '../../../src/core/store/store.js';
import { FakePlatform } from '../../fakes/platform-poster.js';
import { memoryBot, startTestLive, testConfig, testTime } from '../../live/harness.js';

export const TEAM: ChannelRef = { platform: 'fake', workspace: 'w1', channel: 'team' };

/** A live-listed arXiv RSS item: listed (and observed) at `at`, published that day. */
export function listed(
  arxivId: string,
  title: string,
  at: string,
  over: Partial<PaperRecord> = {},
) {
  return {
    arxivId,
    version: 1,
    title,
    abstract: `${title}. We study robot grasping in clutter.`,
    authors: ['A. Author'],
    authorCount: 1,
    publishedAt: at.slice(0, 10),
    source: 'arxiv-rss',
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: ['cs.RO'],
    comment: null,
    observedAt: at,
    announceType: 'new',
    ...over,
  } satisfies PaperRecord;
}

/**
 * The live bot in memory over a fake platform, with no sources (papers are written
 * straight into the store) and a manual clock; `tickAt` moves the clock and ticks.
 */
export async function situationBot(start: string, over: Partial<Config['digest']> = {}) {
  const time = testTime(start);
  const base = testConfig('http://127.0.0.1:9');
  const config: Config = {
    ...base,
    sources: {
      huggingface: { ...base.sources.huggingface, enabled: false },
      arxiv: { ...base.sources.arxiv, enabled: false },
    },
    digest: { ...base.digest, postWhenEmpty: false, ...over },
  };
  const bot: Bot = await memoryBot(config, time.clock);
  const platform = new FakePlatform();
  const live = startTestLive(bot, config, time, new Map([['fake' as const, platform]]));
  await live.tick();
  return {
    bot,
    time,
    platform,
    live,
    async tickAt(iso: string) {
      time.clock.set(iso);
      await live.tick();
    },
    async arrive(records: PaperRecord[], at: string) {
      time.clock.set(at);
      await bot.store.upsertPapers(records, time.clock.now());
      await bot.search.refresh();
    },
    command(
      name: string,
      options: Record<string, string | number | undefined> = {},
    ): Promise<Reply> {
      const ctx = bot.contextFor(TEAM, { id: 'U1', canManageChannel: true }, 'Manage Channel');
      return runCommand({ name, options }, ctx);
    },
    /** Paper ids of every digest message posted to the channel, message by message. */
    posted(ref: ChannelRef = TEAM): string[][] {
      return platform
        .in(ref)
        .filter((m) => m.kind === 'digest')
        .map((m) => m.paperIds);
    },
    async close() {
      await live.stop();
      await bot.close();
    },
  };
}
