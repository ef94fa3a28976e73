import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// A second process replaces the file being imported (a fresh snapshot download renamed over
// the old one, as rsync, browsers and most download scripts do) just after `npm run ingest`
// started. The main thread reads the file it opened; the parsing thread, which takes the
// reading over a few hundred milliseconds in, opens the file again *by name* and reads on at
// the main thread's byte offset: from the other file. The import then mixes two files and
// starts the second mid-line. (The hand-over point is fixed here with `handOverAfter`; in a
// real run it is whenever the thread is ready.)

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-replaced-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

const lines = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      id: `${prefix}.${String(i).padStart(5, '0')}`,
      title: `Paper ${prefix} ${i}`,
      abstract: `Abstract ${i} of the file with prefix ${prefix}.`,
      date: '2026-01-02',
    }),
  ).join('\n');

describe('review12b: the file replaced while it is imported', () => {
  it('the import reads the file it started on, whole, and nothing of the other', async () => {
    const file = path.join(dir, 'arxiv.jsonl');
    writeFileSync(file, `${lines('2501', 6000)}\n`);
    const store = SqliteStore.open(':memory:');
    let replaced = false;
    try {
      const summary = await ingestFile({
        store,
        file,
        now: () => NOW,
        batchSize: 500,
        parseInWorker: true,
        // The first 256 KB chunk is read here, the rest by the thread.
        handOverAfter: 256 * 1024 + 1,
        handOff: 'never',
        onBatch: () => {
          if (replaced) return;
          replaced = true;
          const next = path.join(dir, 'arxiv.jsonl.part');
          writeFileSync(next, `${lines('2502', 6000)}\n`);
          renameSync(next, file);
        },
      });
      expect(replaced).toBe(true);
      const ids = [...store.iteratePapers()].flat().map((p) => p.id);
      expect(ids.filter((id) => id.startsWith('2502.'))).toEqual([]);
      expect(ids).toHaveLength(6000);
      expect(summary.warnings).toEqual([]);
    } finally {
      store.close();
    }
  });
});
