import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// A cut-off gzip download's warning is "said where the cut is: among the line warnings"
// (ingest.ts). For a small file the whole download is read while the format is detected, and
// the cut is then said first, before the warnings of the lines that came before it.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-small-gz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

describe('review12b: a small cut-off gzip download', () => {
  it('says the cut after the warnings of the lines before it', async () => {
    const lines = Array.from({ length: 30 }, (_, i) =>
      i === 2
        ? JSON.stringify({ id: 'not-an-id', title: 'No id here', abstract: 'x' })
        : JSON.stringify({
            id: `2501.${String(i).padStart(5, '0')}`,
            title: `Paper ${i}`,
            abstract: `Abstract ${i} ${'words '.repeat(i)}`,
            date: '2026-01-02',
          }),
    );
    const whole = gzipSync(`${lines.join('\n')}\n`);
    const file = path.join(dir, 'small.jsonl.gz');
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * 0.7)));
    const store = SqliteStore.open(':memory:');
    try {
      const summary = await ingestFile({ store, file, now: () => NOW });
      expect(summary.warnings).toHaveLength(3);
      expect(summary.warnings[0]).toMatch(/^line 3 "No id here": skipped/);
      expect(summary.warnings[1]).toBe(
        'the gzip data ends early (the download was cut off?): what came before was read',
      );
      expect(summary.warnings[2]).toMatch(/: skipped, the file ends in the middle of this line/);
    } finally {
      store.close();
    }
  });
});
