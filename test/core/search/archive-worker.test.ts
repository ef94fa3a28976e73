import { afterEach, describe, expect, it } from 'vitest';
import { manualClock } from '../../../src/core/clock.js';
import { archiveSyncedSeq, ensureArchive } from '../../../src/core/search/archive.js';
import { ArchiveWorker } from '../../../src/core/search/spawn-worker.js';
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
      expect(await Promise.all([worker.run('sync'), worker.run('sync')])).toEqual([200, 0]);
      store.upsertPapers(papers.slice(200), manualClock(NOW).now());
      expect(await worker.run('sync')).toBe(100);
      await worker.close();
      expect(await worker.run('rebuild')).toBe(300);
      expect(archiveSyncedSeq(store.db)).toBe(300);
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
      await expect(worker.run('sync')).rejects.toThrow(/no such table: papers/);
      store.db.exec('ALTER TABLE papers_away RENAME TO papers');
      expect(await worker.run('sync')).toBe(0);
    } finally {
      await worker.close();
      store.close();
    }
  }, 60_000);
});
