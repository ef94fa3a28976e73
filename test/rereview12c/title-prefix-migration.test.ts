import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../src/core/store/migrations.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';
import { pageRecord, record } from '../core/store/records.js';

// eefd933 (migration 7): a store at schema version 6, with papers, opened by the new code
// gets the prefix index in place of the whole-key one; title-only papers still join the
// arXiv row of the same title, and the lookups use the new index.

const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-rereview12c-mig-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-02T00:00:00.000Z');

/** A version 6 file: the schema 7 file with its index as version 6 had it. */
function versionSixStore(file: string): void {
  const store = SqliteStore.open(file);
  store.upsertPapers(
    [
      record({ arxivId: '2501.00001', title: 'Deep Learning for Cats and Dogs' }),
      record({ arxivId: '2501.00002', title: 'Deep Learning for Cats and Dogz' }),
      record({ arxivId: '2501.00003', title: 'Short' }),
    ],
    T0,
  );
  store.db.exec(`DROP INDEX papers_title_prefix;
    CREATE INDEX papers_title_key ON papers(title_key); PRAGMA user_version = 6;`);
  store.close();
}

describe('migration 7 on a store with papers', () => {
  it('replaces the index, and title-only records still join their arXiv rows', () => {
    const file = path.join(dir, 'v6.db');
    versionSixStore(file);
    const store = SqliteStore.open(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const indexes = store.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'papers'")
        .all()
        .map((r) => (r as { name: string }).name);
      expect(indexes).toContain('papers_title_prefix');
      expect(indexes).not.toContain('papers_title_key');
      store.upsertPapers(
        [
          pageRecord({ title: 'deep learning for cats and DOGZ', upvotes: 9 }),
          pageRecord({ title: 'SHORT!', upvotes: 4 }),
        ],
        T1,
      );
      const rows = store.db.prepare('SELECT id, upvotes FROM papers ORDER BY id').all() as Array<{
        id: string;
        upvotes: number | null;
      }>;
      expect(rows).toEqual([
        { id: '2501.00001', upvotes: null },
        { id: '2501.00002', upvotes: 9 },
        { id: '2501.00003', upvotes: 4 },
      ]);
      const plan = store.db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM papers WHERE substr(title_key, 1, 16) = substr(?, 1, 16)
           AND title_key = ? ORDER BY arxiv_id IS NULL, rowid LIMIT 1`,
        )
        .all('short', 'short')
        .map((r) => (r as { detail: string }).detail)
        .join('\n');
      expect(plan).toContain('USING INDEX papers_title_prefix');
    } finally {
      store.close();
    }
  });
});
