import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { manualClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/core/logger.js';
import type { PaperRecord } from '../../../src/core/paper.js';
import { type ArchivePaperSearch, openPaperSearch } from '../../../src/core/search/paper-search.js';
import { parseDailyPapersPage } from '../../../src/core/sources/parse-daily-papers-page.js';
import { SqliteStore } from '../../../src/core/store/sqlite-store.js';

export const NOW = '2025-12-12T12:00:00.000Z';

export function fixturePapers(): PaperRecord[] {
  const text = readFileSync(
    new URL('../../../samples/daily-papers-page.txt', import.meta.url),
    'utf8',
  );
  return parseDailyPapersPage(text, { referenceDate: '2025-12-12' }).papers;
}

export interface Opened {
  store: SqliteStore;
  search: ArchivePaperSearch;
  clock: ReturnType<typeof manualClock>;
  close(): Promise<void>;
}

/** An in-memory store holding `papers`, and search over it. */
export async function openWith(papers: PaperRecord[]): Promise<Opened> {
  const clock = manualClock(NOW);
  const store = SqliteStore.open(':memory:');
  store.upsertPapers(papers, clock.now());
  const search = await openPaperSearch({
    store,
    dataDir: null,
    clock,
    logger: silentLogger(),
  });
  await search.refresh();
  return {
    store,
    search,
    clock,
    async close() {
      await search.close();
      store.close();
    },
  };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'paperboy-search-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
