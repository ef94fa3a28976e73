import { mkdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { isBusyError } from '../../../src/core/background-step.js';
import { manualClock } from '../../../src/core/clock.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import { archiveSyncedSeq, ensureArchive } from '../../../src/core/search/archive.js';
import { type ArchiveJobResult, ArchiveWorker } from '../../../src/core/search/archive-worker.js';
import { wordsOfRows } from '../../../src/core/search/known-terms.js';
import { SqliteStore, storeFile } from '../../../src/core/store/sqlite-store.js';
import { corpusSlice } from './corpus-slice.js';
import { NOW, tempDir } from './search-fixtures.js';

describe('the archive worker', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('answers one job after another on one thread, and starts again after close', async () => {
    const papers = (await corpusSlice()).slice(0, 300);
    const dir = tempDir();
    dirs.push(dir);
    const store = SqliteStore.open(storeFile(dir.dir));
    ensureArchive(store.db);
    store.upsertPapers(papers.slice(0, 200), manualClock(NOW).now());
    const worker = new ArchiveWorker(storeFile(dir.dir));
    try {
      const rows = (job: Promise<ArchiveJobResult>) => job.then((r) => r.rows);
      expect(await Promise.all([rows(worker.sync()), rows(worker.sync())])).toEqual([200, 0]);
      store.upsertPapers(
        [...papers.slice(200, 299), { ...(papers[299] as PaperRecord), title: 'Zyxquarts' }],
        manualClock(NOW).now(),
      );
      const synced = await worker.sync();
      // The words of what it indexed, for the known terms: those rows only.
      expect(synced).toMatchObject({ rows: 100, from: 200, to: 300 });
      expect(synced.words).toEqual(expect.arrayContaining(['zyxquarts']));
      expect(new Set(synced.words).size).toBe(synced.words?.length);
      expect(synced.words).toEqual(wordsOfRows(store.db, 200, 300));
      // A closed worker starts a new thread for the next job.
      await worker.close();
      store.upsertPapers(
        [{ ...(papers[0] as PaperRecord), arxivId: '2999.00001', title: 'Qwertyuiop' }],
        manualClock(NOW).now(),
      );
      expect(await worker.sync()).toMatchObject({
        rows: 1,
        words: expect.arrayContaining(['qwertyuiop']),
      });
      expect(archiveSyncedSeq(store.db)).toBe(301);
    } finally {
      await worker.close();
      store.close();
    }
  }, 60_000);

  it('a job that fails rejects with its reason; the next job is answered', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const store = SqliteStore.open(storeFile(dir.dir));
    ensureArchive(store.db);
    const worker = new ArchiveWorker(storeFile(dir.dir));
    try {
      store.db.exec('ALTER TABLE papers RENAME TO papers_away');
      await expect(worker.sync()).rejects.toThrow(/no such table: papers/);
      await expect(worker.sync()).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
      store.db.exec('ALTER TABLE papers_away RENAME TO papers');
      expect((await worker.sync()).rows).toBe(0);
    } finally {
      await worker.close();
      store.close();
    }
  }, 60_000);

  it('another writer holding the lock past the wait: the job rejects as busy, retried next tick', async () => {
    const papers = (await corpusSlice()).slice(0, 20);
    const dir = tempDir();
    dirs.push(dir);
    const store = SqliteStore.open(storeFile(dir.dir));
    ensureArchive(store.db);
    store.upsertPapers(papers, manualClock(NOW).now());
    const worker = new ArchiveWorker(storeFile(dir.dir), 50);
    try {
      store.db.exec('BEGIN IMMEDIATE');
      const failure = await worker.sync().catch((error: unknown) => error);
      store.db.exec('COMMIT');
      expect(failure).toMatchObject({ code: expect.stringMatching(/^SQLITE_BUSY/) });
      expect(isBusyError(failure)).toBe(true);
      expect((await worker.sync()).rows).toBe(20);
    } finally {
      await worker.close();
      store.close();
    }
  }, 60_000);

  it('fails each job on a file it cannot open, saying why (SQLite errors lose it when cloned)', async () => {
    const dir = tempDir();
    dirs.push(dir);
    // A folder where the store file should be.
    const file = storeFile(dir.dir);
    mkdirSync(file, { recursive: true });
    const worker = new ArchiveWorker(file);
    try {
      for (let job = 0; job < 2; job++) {
        const error = await worker.sync().then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(Error);
        expect(error).toMatchObject({
          message: 'unable to open database file',
          code: 'SQLITE_CANTOPEN',
        });
      }
    } finally {
      await worker.close();
    }
  });
});
