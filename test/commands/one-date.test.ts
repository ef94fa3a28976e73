import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderText } from '../../src/adapters/shell/render-text.js';
import { runCommand } from '../../src/commands/dispatch.js';
import { paperDateText, paperDay } from '../../src/commands/paper-view.js';
import type { Reply } from '../../src/commands/reply.js';
import { ingestFile } from '../../src/core/ingest.js';
import type { Paper } from '../../src/core/paper.js';
import { memoryBot } from './bot-fixture.js';

// One recorded file of each format Paperboy reads (two undated papers among them: a snapshot
// line without versions, and Daily Papers page entries without a date line).
const FILES: Array<[string, { referenceDate?: string }]> = [
  ['test/fixtures/hf-daily-papers.json', {}],
  ['test/fixtures/arxiv-rss.xml', {}],
  ['test/fixtures/arxiv-rdf.xml', {}],
  ['test/fixtures/arxiv-atom.xml', {}],
  ['test/fixtures/arxiv-atom-listing.xml', {}],
  ['test/fixtures/arxiv-snapshot.jsonl', {}],
  // No versions and no update_date: nothing dates it, not even the file's time.
  ['test/fixtures/arxiv-snapshot-undated.jsonl', {}],
  ['test/fixtures/corpus-sample.jsonl', {}],
  ['samples/daily-papers-page.txt', { referenceDate: '2025-12-12' }],
];

let fixture: Awaited<ReturnType<typeof memoryBot>>;
let papers: Paper[];
beforeAll(async () => {
  fixture = await memoryBot({ sample: false });
  fixture.clock.set(new Date('2026-10-01T12:00:00.000Z'));
  for (const [file, extra] of FILES) {
    await ingestFile({
      store: fixture.bot.sqlite!,
      file,
      now: () => fixture.clock.now(),
      ...extra,
    });
  }
  await fixture.bot.search.refresh();
  papers = [...fixture.bot.sqlite!.iteratePapers()].flat();
});
afterAll(() => fixture.bot.close());

const nextDay = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

async function found(query: string, since: string | undefined, id: string): Promise<boolean> {
  const options = { pageSize: 50, ...(since ? { since } : {}) };
  return (await fixture.bot.search.search(query, options)).hits.some((hit) => hit.paper.id === id);
}

function listed(reply: Reply): Paper[] {
  if (reply.kind !== 'list') throw new Error(`expected a list, got ${reply.kind}`);
  return reply.items.map((item) => item.paper);
}

describe('one date per paper, for every source format', () => {
  it('the date shown is the date since: filters on', async () => {
    expect(papers.length).toBeGreaterThan(40);
    const undated = papers.filter((paper) => paperDay(paper) === null);
    expect(undated.length).toBeGreaterThan(0);
    expect(papers.some((p) => paperDay(p) !== null && p.publishedAt === null)).toBe(true);
    for (const paper of papers) {
      expect(await found(paper.title, undefined, paper.id), paper.title).toBe(true);
      const day = paperDay(paper);
      if (day === null) {
        // Unknown is never "since" anything.
        expect(await found(paper.title, '0001-01-01', paper.id), paper.title).toBe(false);
        continue;
      }
      expect(await found(paper.title, day, paper.id), `${paper.title} since ${day}`).toBe(true);
      expect(await found(paper.title, nextDay(day), paper.id), `${paper.title} after ${day}`).toBe(
        false,
      );
    }
  });

  it('shows a paper with no date as "date unknown", never the day it was imported', async () => {
    const undated = papers.find((paper) => paper.title === 'A Line With No Versions') as Paper;
    expect(undated.firstSeenAt.slice(0, 10)).toBe('2026-10-01');
    expect(paperDateText(undated)).toBe('date unknown');
    const reply = await runCommand(
      { name: 'show', options: { paper: undated.arxivId as string } },
      fixture.context(),
    );
    const text = renderText(reply, { color: false, width: 100 });
    expect(text).toMatch(/Date:\s+date unknown/);
    expect(text).not.toContain('2026-10-01');
  });

  it('latest never puts an undated paper before a dated one', async () => {
    const reply = await runCommand({ name: 'latest', options: { count: 25 } }, fixture.context());
    const shown = listed(reply);
    expect(shown.map((paper) => paper.title)).not.toContain('An Export Without Dates');
    const days = shown.map((paper) => paperDay(paper));
    const firstUnknown = days.indexOf(null);
    expect(days[0]).not.toBeNull();
    if (firstUnknown >= 0) expect(days.slice(firstUnknown).every((d) => d === null)).toBe(true);
  });
});
