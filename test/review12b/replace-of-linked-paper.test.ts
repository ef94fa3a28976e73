import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import type { Reply } from '../../src/commands/reply.js';
import { ingestFile } from '../../src/core/ingest.js';
import { memoryBot, record } from '../commands/bot-fixture.js';

// Issue 12: "`replace*` update a stored paper and are never new". A paper the store knows only
// because someone posted its link (a link lookup: source `arxiv-lookup`) is stored; when a
// listing later announces its new version (`replace`), it must be updated in place and not
// become news. The store's "first feed listing makes a linked paper news" rule does not tell a
// replacement from a new listing, so the old paper shows as new in `latest` and the digest.

const DAY = 24 * 3_600_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-replace-linked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

function ids(reply: Reply): string[] {
  if (reply.kind === 'list') return reply.items.map((item) => item.paper.id);
  if (reply.kind === 'digest') return reply.sections.flatMap((s) => s.items.map((i) => i.paper.id));
  throw new Error(`expected a list or a digest, got ${reply.kind}`);
}

describe('review12b: a replace item of a paper known only from a link lookup', () => {
  it('updates it in place and never makes it news (file ingest of an RSS listing)', async () => {
    const made = await memoryBot({ sample: false });
    close = () => made.bot.close();
    const at = new Date('2024-10-18T12:00:00Z');
    const linkedAt = new Date(at.getTime() - 30 * DAY);
    made.clock.set(linkedAt);
    // Someone posted https://arxiv.org/abs/2306.08647 a month ago: the lookup stored it.
    await made.bot.store.upsertPapers(
      [
        record('2306.08647', 'Language to Rewards for Robotic Skill Synthesis', {
          publishedAt: '2023-06-14',
          source: 'arxiv-lookup',
          observedAt: linkedAt.toISOString(),
        }),
      ],
      linkedAt,
    );
    made.clock.set(at);
    // The day's listing: three new papers and `replace` of 2306.08647 (v2).
    const file = path.join(dir, 'arxiv-rss.xml');
    copyFileSync(new URL('../fixtures/arxiv-rss.xml', import.meta.url), file);
    const summary = await ingestFile({
      store: made.bot.sqlite!,
      file,
      now: () => made.clock.now(),
    });
    expect(summary).toMatchObject({ added: 3, updated: 1 });

    const paper = await made.bot.store.getPaper('2306.08647');
    expect(paper).toMatchObject({ version: 2, publishedAt: '2023-06-14' });

    await made.bot.search.refresh();
    const run = (name: string) => runCommand({ name, options: {} }, made.context());
    const fresh = ['2410.14735', '2410.14002', '2410.13002'];
    const digest = ids(await run('digest'));
    expect(digest.length).toBeGreaterThan(0);
    expect(digest).not.toContain('2306.08647');
    const latest = ids(await run('latest'));
    expect(latest.slice(0, fresh.length).sort()).toEqual([...fresh].sort());
    // Updated in place: not first seen today.
    expect(paper?.firstSeenAt).toBe(linkedAt.toISOString());
  });
});
