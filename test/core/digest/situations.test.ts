import { copyFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ingestFile } from '../../../src/core/ingest.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import { parseCorpusLine } from '../../../src/core/sources/parse-corpus-jsonl.js';
import { ROOT } from '../../live/harness.js';
import { listed, situationBot, TEAM } from './situation-bot.js';

// The four ways issue 11 found papers lost, each as a user meets it: a fake platform,
// a fixed clock, the live bot ticking. Each failed on main before the digest module.

type SituationBot = Awaited<ReturnType<typeof situationBot>>;
let bot: SituationBot | undefined;
afterEach(async () => {
  await bot?.close();
  bot = undefined;
});

async function teamAt(time: string, start = '2026-03-02T06:00:00Z') {
  bot = await situationBot(start);
  await bot.command('schedule', { time, timezone: 'UTC' });
  await bot.command('subscribe', { topic: 'robot grasping' });
  return bot;
}

const label = `${TEAM.platform}:${TEAM.workspace}:${TEAM.channel}`;

describe('digest situations (issue 11)', () => {
  it('one refusal stops a channel for good: a refused day is retried at the next due time', async () => {
    const b = await teamAt('09:00');
    await b.arrive(
      [listed('2603.00001', 'Grasping one', '2026-03-02T08:00:00Z')],
      '2026-03-02T08:00:00Z',
    );
    b.platform.refusing.set(
      label,
      'Cannot post in this channel: missing permission Send Messages.',
    );
    await b.tickAt('2026-03-02T09:00:00Z');
    expect(b.posted()).toEqual([]);
    expect((await b.bot.store.getChannel(TEAM))?.failure?.reason).toContain('Send Messages');

    // The permission comes back; nothing is posted between due times, and the next day's
    // digest carries the refused day's paper.
    b.platform.refusing.delete(label);
    await b.tickAt('2026-03-02T12:00:00Z');
    expect(b.posted()).toEqual([]);
    await b.arrive(
      [listed('2603.00002', 'Grasping two', '2026-03-03T08:00:00Z')],
      '2026-03-03T08:00:00Z',
    );
    await b.tickAt('2026-03-03T09:00:00Z');
    expect(b.posted().flat().sort()).toEqual(['2603.00001', '2603.00002']);
    expect((await b.bot.store.getChannel(TEAM))?.failure).toBeNull();
  });

  it('one refusal stops a channel for good: /papers schedule in the channel clears the mark at once', async () => {
    const b = await teamAt('09:00');
    await b.arrive(
      [listed('2603.00001', 'Grasping one', '2026-03-02T08:00:00Z')],
      '2026-03-02T08:00:00Z',
    );
    b.platform.refusing.set(
      label,
      'Cannot post in this channel: missing permission Send Messages.',
    );
    await b.tickAt('2026-03-02T09:00:00Z');
    const shown = await b.command('subscriptions');
    expect(JSON.stringify(shown)).toContain('missing permission Send Messages');
    expect(JSON.stringify(shown)).toContain('/papers schedule');

    b.platform.refusing.delete(label);
    b.time.clock.set('2026-03-02T10:00:00Z');
    await b.command('schedule', { time: '09:00', timezone: 'UTC' });
    expect((await b.bot.store.getChannel(TEAM))?.failure).toBeNull();
    await b.tickAt('2026-03-02T10:01:00Z');
    expect(b.posted()).toEqual([['2603.00001']]);
  });

  it('a one-minute outage loses the day: a 5xx burst is retried until the digest posts', async () => {
    const b = await teamAt('09:00');
    await b.arrive(
      [listed('2603.00001', 'Grasping one', '2026-03-02T08:00:00Z')],
      '2026-03-02T08:00:00Z',
    );
    b.platform.flaky.set(label, 1_000);
    await b.tickAt('2026-03-02T09:00:00Z');
    await b.tickAt('2026-03-02T09:01:00Z');
    b.platform.flaky.delete(label);
    for (let minute = 2; minute <= 59; minute++)
      await b.tickAt(`2026-03-02T09:${String(minute).padStart(2, '0')}:00Z`);
    expect(b.posted()).toEqual([['2603.00001']]);

    // Posted once: the next day starts after it and repeats nothing.
    await b.arrive(
      [listed('2603.00002', 'Grasping two', '2026-03-03T08:00:00Z')],
      '2026-03-03T08:00:00Z',
    );
    await b.tickAt('2026-03-03T09:00:00Z');
    expect(b.posted()).toEqual([['2603.00001'], ['2603.00002']]);
  });

  it('moving the digest later the same day drops papers: the later run starts where the first ended', async () => {
    const b = await teamAt('07:00');
    await b.arrive(
      [listed('2603.00001', 'Grasping one', '2026-03-02T06:30:00Z')],
      '2026-03-02T06:30:00Z',
    );
    await b.tickAt('2026-03-02T07:00:00Z');
    expect(b.posted()).toEqual([['2603.00001']]);
    await b.arrive(
      [listed('2603.00002', 'Grasping two', '2026-03-02T09:00:00Z')],
      '2026-03-02T09:00:00Z',
    );
    b.time.clock.set('2026-03-02T10:00:00Z');
    await b.command('schedule', { time: '18:00', timezone: 'UTC' });
    await b.tickAt('2026-03-02T18:00:00Z');
    expect(b.posted()).toEqual([['2603.00001'], ['2603.00002']]);
    await b.tickAt('2026-03-03T18:00:00Z');
    expect(b.posted()).toHaveLength(2);
  });

  it('imports are announced as new: old imports and replace items never reach a digest', async () => {
    const b = await teamAt('09:00');
    const corpus = [
      '{"id":"1901.00001","title":"Robot grasping in 2019","authors":["B"],"abstract":"Robot grasping.","categories":["cs.RO"],"date":"2019-01-05","comment":null}',
      '{"id":"1901.00002","title":"More robot grasping in 2019","authors":["C"],"abstract":"Robot grasping again.","categories":["cs.RO"],"date":"2019-02-05","comment":null}',
    ].map((line, i) => parseCorpusLine(line, i + 1) as PaperRecord);
    const backfill = listed('1903.00003', 'Robot grasping backfill', '2026-03-02T08:10:00Z', {
      source: 'arxiv-api',
      publishedAt: '2019-03-01',
    });
    // An old paper stored long ago, then a replace item for it through file ingest.
    await b.arrive(
      [listed('2502.00009', 'Robot grasping of last year', '2025-02-01T00:00:00Z')],
      '2025-02-01T00:00:00Z',
    );
    await b.arrive([...corpus, backfill], '2026-03-02T08:00:00Z');
    await b.arrive(
      [
        listed('2502.00009', 'Robot grasping of last year', '2026-03-02T08:20:00Z', {
          version: 2,
          announceType: 'replace',
        }),
        listed('2501.00010', 'Robot grasping replaced, never seen', '2026-03-02T08:20:00Z', {
          announceType: 'replace-cross',
        }),
        listed('2603.00001', 'Grasping one', '2026-03-02T08:20:00Z'),
      ],
      '2026-03-02T08:20:00Z',
    );
    await b.tickAt('2026-03-02T09:00:00Z');
    expect(b.posted()).toEqual([['2603.00001']]);
  });

  it('imports are announced as new: an old HF daily_papers file ingested today is dated by its listing', async () => {
    bot = await situationBot('2026-06-10T06:00:00Z');
    const b = bot;
    await b.command('schedule', { time: '09:00', timezone: 'UTC' });
    // Copies made today (modified now): only the items' own listing dates tell old from new.
    const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-hf-'));
    try {
      for (const name of ['hf-daily-papers.json', 'live/hf-day1.json']) {
        const file = path.join(dir, path.basename(name));
        copyFileSync(path.join(ROOT, 'test', 'fixtures', name), file);
        utimesSync(file, b.time.clock.now(), b.time.clock.now());
        await ingestFile({ store: b.bot.sqlite!, file, now: () => b.time.clock.now() });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await b.bot.search.refresh();
    await b.tickAt('2026-06-10T09:00:00Z');
    // Only the papers HF listed this week (2026-06-09); the 2024 file's four stay out.
    expect(b.posted().flat().sort()).toEqual([
      '2606.01001',
      '2606.01002',
      '2606.01003',
      '2606.01004',
    ]);
  });

  it('a permanent rejection is retried forever: the run ends, the reason shows in /papers subscriptions', async () => {
    const b = await teamAt('09:00');
    await b.arrive(
      [listed('2603.00001', 'Grasping one', '2026-03-02T08:00:00Z')],
      '2026-03-02T08:00:00Z',
    );
    b.platform.rejecting.set(label, 'the message is too long for Slack (msg_too_long)');
    await b.tickAt('2026-03-02T09:00:00Z');
    for (const at of ['09:01', '09:03', '09:10', '12:00', '23:00'])
      await b.tickAt(`2026-03-02T${at}:00Z`);
    // One attempt, no retry until the horizon.
    expect(b.platform.posts).toBe(1);
    const [run] = await b.bot.store.recentDigestRuns(TEAM, 1);
    expect(run).toMatchObject({
      state: 'abandoned',
      nextAttemptAt: null,
      paperIds: ['2603.00001'],
    });
    expect(run?.lastError).toBe(
      'skipped: the platform rejected the digest: the message is too long for Slack (msg_too_long)',
    );
    expect(JSON.stringify(await b.command('subscriptions'))).toContain('msg_too_long');

    // The next day's digest is planned and posted as usual, and clears the mark.
    b.platform.rejecting.delete(label);
    await b.arrive(
      [listed('2603.00002', 'Grasping two', '2026-03-03T08:00:00Z')],
      '2026-03-03T08:00:00Z',
    );
    await b.tickAt('2026-03-03T09:00:00Z');
    expect(b.posted()).toEqual([['2603.00002']]);
    expect((await b.bot.store.getChannel(TEAM))?.failure).toBeNull();
  });
});
