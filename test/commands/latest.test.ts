import { afterEach, describe, expect, it } from 'vitest';
import { type Bot, createBot } from '../../src/app.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { feedDay } from '../../src/commands/latest.js';
import { paperDay } from '../../src/commands/paper-view.js';
import type { Reply } from '../../src/commands/reply.js';
import { loadConfig } from '../../src/config.js';
import { manualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { record } from './bot-fixture.js';

let bot: Bot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function startBot(now: string, sample: boolean): Promise<Bot> {
  bot = await createBot({
    config: loadConfig({ env: {} }),
    clock: manualClock(now),
    logger: silentLogger(),
    dataDir: ':memory:',
    sampleFile: sample ? undefined : null,
  });
  return bot;
}

let channels = 0;
async function run(b: Bot, text: string[], name: string, options: Record<string, string | number>) {
  const channel: ChannelRef = { platform: 'fake', workspace: 'w', channel: `c${channels++}` };
  const ctx = b.contextFor(channel, { id: 'U1', canManageChannel: true }, 'Manage Channel');
  for (const [time, timezone] of text.map((t) => t.split(' '))) {
    const reply = await runCommand({ name: 'schedule', options: { time, timezone } }, ctx);
    if (reply.kind === 'error') throw new Error(reply.message);
  }
  return runCommand({ name, options }, ctx);
}

function titlesOf(reply: Reply): string[] {
  if (reply.kind !== 'list') throw new Error(`expected a list, got ${reply.kind}`);
  return reply.items.map((i) => i.paper.title);
}

describe('latest: undated papers', () => {
  it('dates an undated paper by its feed date, not by when it was stored', async () => {
    const b = await startBot('2025-12-12T12:00:00.000Z', false);
    await b.store.upsertPapers(
      [
        record('2512.00001', 'Dated paper from two days ago', { publishedAt: '2025-12-10' }),
        // From a feed dated Dec 1, stored today.
        record('2512.00002', 'Undated paper from an older feed', {
          observedAt: '2025-12-01T00:00:00.000Z',
        }),
      ],
      new Date('2025-12-12T11:00:00.000Z'),
    );
    expect(titlesOf(await run(b, [], 'latest', {}))).toEqual([
      'Dated paper from two days ago',
      'Undated paper from an older feed',
    ]);
  });

  it('never dates the undated sample papers by the day they were loaded', async () => {
    // The sample page is from 2025-12-12; load it almost a year later.
    const b = await startBot('2026-11-25T12:00:00.000Z', true);
    const reply = await run(b, [], 'latest', { count: 25 });
    if (reply.kind !== 'list') throw new Error(reply.kind);
    const undated = reply.items.map((i) => i.paper).filter((p) => p.publishedAt === null);
    expect(undated.length).toBeGreaterThan(0);
    for (const paper of undated) {
      expect(paper.firstSeenAt.slice(0, 10)).toBe('2026-11-25');
      expect(paperDay(paper)).toBe('2025-12-12');
      expect(feedDay(paper, 'UTC')).toBe('2025-12-12');
    }
  });
});

describe('latest: the feed day is the channel time zone’s day', () => {
  const late = '2025-12-11T20:00:00.000Z'; // Dec 12, 05:00 in Tokyo
  const early = '2025-12-12T03:00:00.000Z'; // Dec 11, 19:00 in Los Angeles

  async function seeded(): Promise<Bot> {
    const b = await startBot('2025-12-12T12:00:00.000Z', false);
    await b.store.upsertPapers(
      [record('2512.00010', 'Listed Dec 11', { publishedAt: '2025-12-11', upvotes: 5 })],
      new Date(late),
    );
    await b.store.upsertPapers(
      [record('2512.00011', 'Seen late evening UTC', { observedAt: late })],
      new Date(late),
    );
    await b.store.upsertPapers(
      [record('2512.00012', 'Seen early morning UTC', { observedAt: early })],
      new Date(early),
    );
    return b;
  }

  it('in UTC: late evening is still Dec 11, early morning is Dec 12', async () => {
    const b = await seeded();
    expect(titlesOf(await run(b, [], 'latest', {}))).toEqual([
      'Seen early morning UTC',
      'Listed Dec 11',
      'Seen late evening UTC',
    ]);
  });

  it('in Asia/Tokyo: a paper seen late evening UTC lands on the next day', async () => {
    const b = await seeded();
    expect(titlesOf(await run(b, ['09:00 Asia/Tokyo'], 'latest', {}))).toEqual([
      'Seen early morning UTC',
      'Seen late evening UTC',
      'Listed Dec 11',
    ]);
  });

  it('in America/Los_Angeles: a paper seen early morning UTC lands on the previous day', async () => {
    const b = await seeded();
    expect(titlesOf(await run(b, ['09:00 America/Los_Angeles'], 'latest', {}))).toEqual([
      'Listed Dec 11',
      'Seen early morning UTC',
      'Seen late evening UTC',
    ]);
  });
});
