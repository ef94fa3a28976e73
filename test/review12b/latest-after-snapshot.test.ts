import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { ingestFile } from '../../src/core/ingest.js';
import { memoryBot } from '../commands/bot-fixture.js';

// Issue 12 makes the arXiv metadata snapshot "how a team imports the whole of arXiv". A team
// running the bot on the daily listing imports the snapshot (older papers) afterwards: `latest`
// must still list the newest papers, not whichever old papers the import wrote last.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-latest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** A snapshot line of a 2008 paper, as the Kaggle file writes it. */
function snapshotLine(i: number): string {
  return JSON.stringify({
    id: `0805.${String(i).padStart(4, '0')}`,
    submitter: 'Jane Doe',
    authors: 'Jane Doe and John Roe',
    title: `An Older Study, Part ${i}`,
    comments: '10 pages',
    'journal-ref': null,
    doi: null,
    'report-no': null,
    categories: 'cs.RO',
    license: null,
    abstract: `  An abstract of an older study, part ${i}.\n`,
    versions: [{ version: 'v1', created: 'Thu, 1 May 2008 12:00:00 GMT' }],
    update_date: '2008-05-02',
    authors_parsed: [
      ['Doe', 'Jane', ''],
      ['Roe', 'John', ''],
    ],
  });
}

describe('review12b: latest after importing the arXiv metadata snapshot', () => {
  it("still lists the day's new papers first", async () => {
    const made = await memoryBot({ sample: false });
    close = () => made.bot.close();
    made.clock.set(new Date('2024-10-18T06:00:00Z'));
    const rss = path.join(dir, 'arxiv-rss.xml');
    copyFileSync(new URL('../fixtures/arxiv-rss.xml', import.meta.url), rss);
    const listing = await ingestFile({
      store: made.bot.sqlite!,
      file: rss,
      now: () => made.clock.now(),
    });
    expect(listing.added).toBe(3);

    // Later that day the team imports the snapshot (here 600 lines of 2008 papers).
    made.clock.set(new Date('2024-10-18T09:00:00Z'));
    const snapshot = path.join(dir, 'arxiv-metadata-oai-snapshot.json');
    writeFileSync(
      snapshot,
      `${Array.from({ length: 600 }, (_, i) => snapshotLine(i + 1)).join('\n')}\n`,
    );
    const imported = await ingestFile({
      store: made.bot.sqlite!,
      file: snapshot,
      now: () => made.clock.now(),
    });
    expect(imported).toMatchObject({ format: 'arxiv-snapshot', added: 600, warningCount: 0 });

    await made.bot.search.refresh();
    const reply = await runCommand({ name: 'latest', options: {} }, made.context());
    if (reply.kind !== 'list') throw new Error(`expected a list, got ${reply.kind}`);
    const newest = reply.items.slice(0, 3).map((item) => item.paper.id);
    expect(newest.sort()).toEqual(['2410.13002', '2410.14002', '2410.14735']);
  });
});
