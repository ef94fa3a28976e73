import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { renderText } from '../../src/adapters/shell/render-text.js';
import { runCommand } from '../../src/commands/dispatch.js';
import type { Reply } from '../../src/commands/reply.js';
import { ingestFile } from '../../src/core/ingest.js';
import { silentLogger } from '../../src/core/logger.js';
import { arxivRssFetcher } from '../../src/core/sources/fetch-arxiv-rss.js';
import { pollSource } from '../../src/core/sources/fetch-source.js';
import { RequestGate } from '../../src/core/sources/http.js';
import { memoryLogger } from '../adapters/slack/harness.js';
import { memoryBot, record } from '../commands/bot-fixture.js';
import { FeedServer } from '../live/feed-server.js';
import { fixture, testConfig, testHttp } from '../live/harness.js';

// A `replace` / `replace-cross` item is a new version of an old paper, whichever way it
// arrives (a listing file, the live RSS fetcher, an Atom listing file): an unknown paper is
// not stored as new, a known one is updated in place, and neither is news.

const DAY = 24 * 3_600_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-replacements-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A bot whose store already holds `known` (version 1, first seen 30 days before `at`). */
async function botKnowing(known: { id: string; title: string; publishedAt: string }, at: string) {
  const made = await memoryBot({ sample: false });
  close = () => made.bot.close();
  const firstSeen = new Date(new Date(at).getTime() - 30 * DAY);
  made.clock.set(firstSeen);
  await made.bot.store.upsertPapers(
    [
      record(known.id, known.title, {
        publishedAt: known.publishedAt,
        source: 'arxiv-api',
        observedAt: firstSeen.toISOString(),
      }),
    ],
    firstSeen,
  );
  made.clock.set(at);
  const run = (name: string) => runCommand({ name, options: {} }, made.context());
  return { ...made, run, firstSeenAt: firstSeen.toISOString() };
}

function ingest(b: Awaited<ReturnType<typeof botKnowing>>, name: string) {
  const file = path.join(dir, name);
  copyFileSync(new URL(`../fixtures/${name}`, import.meta.url), file);
  return ingestFile({ store: b.bot.sqlite!, file, now: () => b.clock.now() });
}

function ids(reply: Reply): string[] {
  if (reply.kind === 'list') return reply.items.map((item) => item.paper.id);
  if (reply.kind === 'digest') return reply.sections.flatMap((s) => s.items.map((i) => i.paper.id));
  throw new Error(`expected a list or a digest, got ${reply.kind}`);
}

/** The rule, checked the same way for every path a replacement can take. */
async function expectReplacementsAreNotNews(
  b: Awaited<ReturnType<typeof botKnowing>>,
  ids_: { known: string; version: number; publishedAt: string; unknown: string; fresh: string[] },
) {
  const store = b.bot.store;
  expect(await store.getPaper(ids_.unknown)).toBeNull();
  expect(await store.getPaper(ids_.known)).toMatchObject({
    version: ids_.version,
    publishedAt: ids_.publishedAt,
    firstSeenAt: b.firstSeenAt,
  });
  const seenNow = await store.papersSeenSince(new Date(b.clock.now().getTime() - DAY), {
    includeSample: true,
  });
  expect(seenNow.map((p) => p.id).sort()).toEqual([...ids_.fresh].sort());

  await b.bot.search.refresh();
  const latest = ids(await b.run('latest'));
  // The listing's new papers come first; the replaced paper keeps its old place below them.
  expect(latest.slice(0, ids_.fresh.length).sort()).toEqual([...ids_.fresh].sort());
  expect(latest.indexOf(ids_.known)).toBeGreaterThanOrEqual(ids_.fresh.length);
  expect(latest).not.toContain(ids_.unknown);

  const digest = ids(await b.run('digest'));
  // The digest holds the new papers (so this check can fail), never a replacement.
  expect(digest.length).toBeGreaterThan(0);
  expect(digest.every((id) => ids_.fresh.includes(id))).toBe(true);
  expect(digest).not.toContain(ids_.known);
  expect(digest).not.toContain(ids_.unknown);
}

describe('a replace item is never news', () => {
  it('through file ingest of an arXiv RSS 2.0 listing', async () => {
    const b = await botKnowing(
      {
        id: '2306.08647',
        title: 'Language to Rewards for Robotic Skill Synthesis',
        publishedAt: '2023-06-14',
      },
      '2024-10-18T12:00:00Z',
    );
    const summary = await ingest(b, 'arxiv-rss.xml');
    expect(summary).toMatchObject({
      format: 'arxiv-rss',
      added: 3,
      updated: 1,
      skippedReplacements: 1,
    });
    expect(summary.warnings).toContain(
      'cs/0112017: skipped, a replacement (new version) of a paper not stored',
    );
    await expectReplacementsAreNotNews(b, {
      known: '2306.08647',
      version: 2,
      publishedAt: '2023-06-14',
      unknown: 'cs/0112017',
      fresh: ['2410.14735', '2410.14002', '2410.13002'],
    });
  });

  it('through file ingest of an arXiv Atom listing', async () => {
    const b = await botKnowing(
      {
        id: '2003.01234',
        title: 'Concentration Inequalities for Martingales, Revisited',
        publishedAt: '2020-03-03',
      },
      '2026-09-24T12:00:00Z',
    );
    const summary = await ingest(b, 'arxiv-atom-listing.xml');
    expect(summary).toMatchObject({
      format: 'arxiv-atom',
      added: 2,
      updated: 1,
      skippedReplacements: 1,
    });
    await expectReplacementsAreNotNews(b, {
      known: '2003.01234',
      version: 4,
      publishedAt: '2020-03-03',
      unknown: '1911.00042',
      fresh: ['2609.28553', '2609.28601'],
    });
  });

  it('through the live arXiv RSS fetcher', async () => {
    const b = await botKnowing(
      {
        id: '2501.00077',
        title: 'An Old Study of Grasping Robots, Revised',
        publishedAt: '2025-01-05',
      },
      '2026-06-10T06:00:00Z',
    );
    const time = {
      clock: b.clock,
      sleeps: [] as number[],
      sleep: async (ms: number) => b.clock.advance(ms),
    };
    const server = await new FeedServer(() => b.clock.now().getTime()).start();
    const closeBot = close;
    close = async () => {
      await server.close();
      await closeBot?.();
    };
    server.answer(
      '/rss/cs.RO+cs.CL',
      { body: fixture('arxiv-rss-wed.xml') },
      { body: fixture('arxiv-rss-thu-replace.xml') },
    );
    const gate = new RequestGate(3_000, b.clock, time.sleep);
    const poll = () =>
      pollSource('arxiv-rss', arxivRssFetcher(testConfig(server.baseUrl), gate), {
        http: testHttp(time),
        store: b.bot.store,
        clock: b.clock,
        logger: silentLogger(),
      });
    // Wednesday: the known 2501.00077 is replaced; Thursday: 2606.01001, never stored, is.
    const wed = await poll();
    expect(wed.run).toMatchObject({ ok: true, added: 3 });
    expect(wed.updated).toEqual(['2501.00077']);
    b.clock.advance(DAY);
    const thu = await poll();
    expect(thu.run).toMatchObject({ ok: true, added: 1 });
    // Dropped, and the run says why (as file ingest does).
    expect(thu.run.messages).toContain(
      '2606.01001: skipped, a replacement (new version) of a paper not stored',
    );
    await expectReplacementsAreNotNews(b, {
      known: '2501.00077',
      version: 2,
      publishedAt: '2025-01-05',
      unknown: '2606.01001',
      fresh: ['2606.01003', '2606.02005', '2606.02006', '2606.03001'],
    });
  });
});

describe('review 12 F11: one replacement rule for file ingest and live polling', () => {
  it('the live fetcher updates a paper known by title only, as file ingest does', async () => {
    const made = await memoryBot({ sample: false });
    const at = new Date('2026-06-11T06:00:00Z');
    made.clock.set(new Date(at.getTime() - 3 * DAY));
    // A Daily Papers page listed it without an arXiv id.
    const title = 'Dexterous Robot Grasping with Tactile Diffusion Policies';
    await made.bot.store.upsertPapers(
      [record(null as unknown as string, title, { source: 'huggingface', links: {} })],
      made.clock.now(),
    );
    made.clock.set(at);
    const time = {
      clock: made.clock,
      sleeps: [] as number[],
      sleep: async (ms: number) => made.clock.advance(ms),
    };
    const server = await new FeedServer(() => made.clock.now().getTime()).start();
    close = async () => {
      await server.close();
      await made.bot.close();
    };
    server.answer('/rss/cs.RO+cs.CL', { body: fixture('arxiv-rss-thu-replace.xml') });
    const gate = new RequestGate(3_000, made.clock, time.sleep);
    const result = await pollSource(
      'arxiv-rss',
      arxivRssFetcher(testConfig(server.baseUrl), gate),
      {
        http: testHttp(time),
        store: made.bot.store,
        clock: made.clock,
        logger: silentLogger(),
      },
    );
    expect(result.run.ok).toBe(true);
    expect(result.run.messages.join('\n')).not.toContain('2606.01001');
    expect(await made.bot.store.getPaper('2606.01001')).toMatchObject({
      title,
      version: 2,
      authors: ['Zoë Martín', 'Kenji Watanabe', 'Priya Raman'],
    });
  });
});

describe("review 12 F7: a live poll's warnings are logged and shown by status", () => {
  it('logs the count and first warnings at warn level, and status shows the count', async () => {
    const made = await memoryBot({ sample: false });
    made.clock.set(new Date('2026-06-11T06:00:00Z'));
    const time = {
      clock: made.clock,
      sleeps: [] as number[],
      sleep: async (ms: number) => made.clock.advance(ms),
    };
    const server = await new FeedServer(() => made.clock.now().getTime()).start();
    close = async () => {
      await server.close();
      await made.bot.close();
    };
    server.answer('/rss/cs.RO+cs.CL', { body: fixture('arxiv-rss-thu-replace.xml') });
    const log = memoryLogger();
    const gate = new RequestGate(3_000, made.clock, time.sleep);
    const poll = await pollSource('arxiv-rss', arxivRssFetcher(testConfig(server.baseUrl), gate), {
      http: testHttp(time),
      store: made.bot.store,
      clock: made.clock,
      logger: log.logger,
    });
    const skipped = '2606.01001: skipped, a replacement (new version) of a paper not stored';
    expect(poll.run.messages).toEqual([skipped]);
    const warned = log.lines().filter((l) => l.msg === 'source poll warnings');
    expect(warned).toEqual([
      expect.objectContaining({ source: 'arxiv-rss', warnings: 1, first: [skipped] }),
    ]);
    const reply = await runCommand({ name: 'status', options: {} }, made.context());
    if (reply.kind !== 'status') throw new Error(`expected status, got ${reply.kind}`);
    expect(reply.sources.find((s) => s.name === 'arxiv-rss')?.lastRunWarnings).toBe(1);
    // The test bot's config has the source off; the line is what an enabled source shows.
    const enabled = { ...reply, sources: reply.sources.map((s) => ({ ...s, enabled: true })) };
    expect(renderText(enabled, { color: false })).toMatch(
      /Source arxiv-rss: last success \S+, 1 warning$/m,
    );
  });
});
