import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { paperDay } from '../../src/commands/paper-view.js';
import type { Reply } from '../../src/commands/reply.js';
import { ingestFile } from '../../src/core/ingest.js';
import { memoryBot } from '../commands/bot-fixture.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-ingest-feeds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => {
  const file = path.join(dir, name);
  copyFileSync(new URL(`../fixtures/${name}`, import.meta.url), file);
  return file;
};

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function bot() {
  const made = await memoryBot({ sample: false });
  close = () => made.bot.close();
  const ingest = (name: string) =>
    ingestFile({ store: made.bot.sqlite!, file: fixture(name), now: () => made.clock.now() });
  const run = async (name: string, options: Record<string, string | number>) =>
    runCommand({ name, options }, made.context());
  return { ...made, ingest, run };
}

function titles(reply: Reply): string[] {
  if (reply.kind !== 'list') throw new Error(`expected a list, got ${reply.kind}`);
  return reply.items.map((item) => item.paper.title);
}

describe('replacements through file ingest (Atom listing, RSS 1.0)', () => {
  it('updates a known paper in place, skips an unknown one, and announces neither', async () => {
    const b = await bot();
    const snapshot = await b.ingest('arxiv-snapshot.jsonl');
    expect(snapshot).toMatchObject({ format: 'arxiv-snapshot', added: 5, skipped: 2 });
    const before = await b.bot.store.getPaper('2003.01234');
    expect(before).toMatchObject({ publishedAt: '2020-03-03', version: 3 });

    // Known for weeks: no longer new when its replacement arrives.
    b.clock.advance(30 * 24 * 3_600_000);
    const listing = await b.ingest('arxiv-atom-listing.xml');
    expect(listing).toMatchObject({
      format: 'arxiv-atom',
      added: 2,
      updated: 1,
      skipped: 1,
      skippedReplacements: 1,
    });
    expect(listing.warnings).toEqual([
      '1911.00042: skipped, a replacement (new version) of a paper not stored',
    ]);
    expect(await b.bot.store.getPaper('1911.00042')).toBeNull();
    const after = await b.bot.store.getPaper('2003.01234');
    expect(after).toMatchObject({
      version: 4,
      abstract: 'A revised abstract of a 2020 paper.',
      // The listing day (2026-09-24) never becomes a replaced paper's date.
      publishedAt: '2020-03-03',
      firstSeenAt: before?.firstSeenAt,
    });

    await b.bot.search.refresh();
    const latest = titles(await b.run('latest', {}));
    // Newest first by date: the replaced paper keeps its 2020 place, below a 2024 paper.
    expect(latest.slice(0, 4)).toEqual([
      'On the Rényi Entropy of β-OPSD Channels',
      'Random Walks on Expanding Graphs',
      'Agent Skill Acquisition for Large Language Models via CycleQD',
      'Concentration Inequalities for Martingales, Revisited',
    ]);
    const fresh = await b.bot.store.papersSeenSince(new Date(b.clock.now().getTime() - 60_000), {
      includeSample: true,
    });
    expect(fresh.map((p) => p.id).sort()).toEqual(['2609.28553', '2609.28601']);
  });

  it('RSS 1.0: an UPDATED item of an unknown paper is not stored', async () => {
    const b = await bot();
    const summary = await b.ingest('arxiv-rdf.xml');
    expect(summary).toMatchObject({ format: 'arxiv-rss', added: 2, skippedReplacements: 1 });
    expect(await b.bot.store.getPaper('2104.05555')).toBeNull();
  });
});

describe('cleaned text and unknown dates, end to end', () => {
  it('search finds both Renyi and Rényi; since: never matches an unknown date', async () => {
    const b = await bot();
    await b.ingest('arxiv-snapshot.jsonl');
    await b.bot.search.refresh();
    const renyi = 'On the Rényi dimension of β-expansions';
    expect(titles(await b.run('search', { query: 'Renyi' }))).toContain(renyi);
    expect(titles(await b.run('search', { query: 'Rényi' }))).toContain(renyi);
    // The text as the snapshot wrote it stays available beside the cleaned text.
    expect((await b.bot.store.getPaper('math/0604473'))?.original).toEqual({
      title: "On the R\\'{e}nyi dimension of $\\beta$-expansions",
      abstract:
        "We compute the R\\'enyi dimension of $\\beta$-expansions for $\\beta > 1$ and show it equals $\\ln\\ln \\beta$ in the \\emph{generic} case.",
    });
    expect(await b.bot.store.getPaper('0704.0001')).not.toHaveProperty('original');

    const undated = await b.bot.store.getPaper('1501.00002');
    expect(undated?.publishedAt).toBeNull();
    expect(undated && paperDay(undated)).toBeNull();
    const since = await b.run('search', { query: 'versions missing', since: '2007-01-01' });
    expect(since.kind === 'list' ? since.items : []).toEqual([]);
    expect(titles(await b.run('search', { query: 'versions missing' }))).toEqual([
      'A Line With No Versions',
    ]);
  });
});
