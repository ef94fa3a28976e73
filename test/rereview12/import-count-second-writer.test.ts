import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import type { PaperRecord } from '../../src/core/paper.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// `npm run ingest` counts a row changed after the import started as written by the import
// itself (`importFrom`, the change_seq when it began), so it is never counted as updated. But
// the bots poll the same SQLite file while an import runs: a paper a poll stores meanwhile,
// then changed by the import, is counted nowhere (not new, not updated, not unchanged).

const dir = mkdtempSync(path.join(os.tmpdir(), 'rereview12-count-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

function line(i: number): string {
  return JSON.stringify({
    id: `2501.0000${i}`,
    title: `Paper ${i}`,
    authors: ['Ada Lovelace'],
    abstract: `The full abstract of paper ${i}, as the snapshot has it.`,
    categories: ['cs.RO'],
    date: '2026-01-02',
  });
}

/** Paper 2 as the live RSS poll stores it: listed today, its authors not given. */
const polled: PaperRecord = {
  arxivId: '2501.00002',
  version: 1,
  title: 'Paper 2',
  abstract: 'Short.',
  authors: [],
  authorCount: null,
  publishedAt: '2026-10-01',
  source: 'arxiv-rss',
  links: { arxivAbs: 'https://arxiv.org/abs/2501.00002' },
  upvotes: null,
  comments: null,
  keywords: [],
  categories: ['cs.RO'],
  comment: null,
  observedAt: NOW.toISOString(),
  announceType: 'new',
};

describe('rereview12: an import while a bot polls the same store', () => {
  it('every line of the file is counted (new, updated or unchanged)', async () => {
    const file = path.join(dir, 'three.jsonl');
    writeFileSync(file, `${[1, 2, 3].map(line).join('\n')}\n`);
    const dbFile = path.join(dir, 'papers.db');
    const store = SqliteStore.open(dbFile);
    const bot = SqliteStore.open(dbFile);
    try {
      let polledOnce = false;
      const summary = await ingestFile({
        store,
        file,
        now: () => NOW,
        batchSize: 1,
        parseInWorker: false,
        onBatch: () => {
          // The bot's poll lands between the import's first and second batch.
          if (!polledOnce) bot.upsertPapers([polled], NOW);
          polledOnce = true;
        },
      });
      // The import changed paper 2: it gave the authors the poll did not have.
      expect(store.getPaper('2501.00002')?.authors).toEqual(['Ada Lovelace']);
      expect(summary.warningCount).toBe(0);
      expect(summary.added + summary.updated + summary.unchanged).toBe(3);
    } finally {
      bot.close();
      store.close();
    }
  });
});
