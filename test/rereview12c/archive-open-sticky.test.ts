import { mkdirSync, rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureArchive } from '../../src/core/search/archive.js';
import { ArchiveWorker } from '../../src/core/search/archive-worker.js';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { tempDir } from '../core/search/search-fixtures.js';

// af6e12f: the archive thread keeps the failure of opening the store file and answers every
// later job with it, for as long as the thread lives (it is let go only after 5 s without
// jobs). Before, a file it could not open ended the thread, and the next job started a new
// one that opened the file again. Now a cause that passes (a full file table: EMFILE; a data
// folder being restored or remounted) keeps failing every sync of a busy bot until its jobs
// pause for 5 s, though the file opens fine by the next job.

describe('the archive thread after a store file it could not open', () => {
  const dirs: Array<{ remove(): void }> = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) d.remove();
  });

  it('opens the file again for the next job once it can be opened', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const file = storeFile(dir.dir);
    // A folder where the store file should be: SQLITE_CANTOPEN.
    mkdirSync(file, { recursive: true });
    const worker = new ArchiveWorker(file);
    try {
      await expect(worker.sync()).rejects.toMatchObject({ code: 'SQLITE_CANTOPEN' });
      // The cause goes away: the store file is there now.
      rmSync(file, { recursive: true });
      const store = SqliteStore.open(file);
      ensureArchive(store.db);
      store.close();
      await expect(worker.sync()).resolves.toMatchObject({ rows: 0 });
    } finally {
      await worker.close();
    }
  });
});
