import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// Detection now asks "a Hugging Face object?" before "Paperboy's JSON Lines?" (HF objects
// first): a first line with an `upvotes` (or `paper`) key is taken for Hugging Face JSON even
// when it is Paperboy's JSON Lines with one key more (papers exported with their upvotes).
// The whole file is then parsed as one JSON document and refused ("not valid JSON"), where
// before the fix it was read line by line with the key named as not understood.

const dir = mkdtempSync(path.join(os.tmpdir(), 'rereview12-upvotes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function line(i: number, upvotes: number): string {
  return JSON.stringify({
    id: `2501.0000${i}`,
    title: `Paper ${i}`,
    authors: ['Ada Lovelace'],
    abstract: `Abstract ${i}.`,
    categories: ['cs.CL'],
    date: '2025-01-02',
    upvotes,
  });
}

describe('rereview12: Paperboy JSON Lines with an upvotes key', () => {
  it('are read line by line, the extra key named, not refused as Hugging Face JSON', async () => {
    const file = path.join(dir, 'with-upvotes.jsonl');
    writeFileSync(file, `${line(1, 12)}\n${line(2, 3)}\n`);
    const store = SqliteStore.open(':memory:');
    try {
      const summary = await ingestFile({
        store,
        file,
        now: () => new Date('2026-10-01T12:00:00.000Z'),
        parseInWorker: false,
      });
      expect(summary.format).toBe('jsonl');
      expect(summary.added).toBe(2);
      expect(summary.unknownFields.join('\n')).toContain('upvotes');
    } finally {
      store.close();
    }
  });
});
