import { type Bot, createBot } from '../../src/app.js';
import type { CommandContext } from '../../src/commands/context.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { PaperRecord } from '../../src/core/paper.js';
import type { ChannelRef } from '../../src/core/store/store.js';

export const NOW = '2025-12-12T12:00:00.000Z';

/** A whole bot in memory on the bundled sample, clock fixed at NOW. */
export async function memoryBot(options: { sample?: boolean } = {}) {
  const clock = manualClock(NOW);
  const bot: Bot = await createBot({
    config: loadConfig({ env: {} }),
    clock,
    logger: silentLogger(),
    dataDir: ':memory:',
    sampleFile: options.sample === false ? null : undefined,
  });
  let next = 0;
  const context = (over: Partial<CommandContext> = {}, canManage = true): CommandContext => {
    const channel: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${next++}` };
    return {
      ...bot.contextFor(channel, { id: 'U1', canManageChannel: canManage }, 'Manage Channel'),
      ...over,
    };
  };
  return { bot, clock, context };
}

/** A plain Hugging Face observation, undated unless `over` says otherwise. */
export function record(
  arxivId: string,
  title: string,
  over: Partial<PaperRecord> = {},
): PaperRecord {
  return {
    arxivId,
    version: 1,
    title,
    abstract: `${title}. A study.`,
    authors: ['A. Author'],
    authorCount: 1,
    publishedAt: null,
    source: 'huggingface',
    links: {},
    upvotes: null,
    comments: null,
    keywords: [],
    categories: [],
    comment: null,
    observedAt: '2025-12-12T10:00:00.000Z',
    ...over,
  };
}
