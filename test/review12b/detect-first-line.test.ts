import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestFile } from '../../src/core/ingest.js';
import { SqliteStore } from '../../src/core/store/sqlite-store.js';

// Issue 12: format detection tells the snapshot from Paperboy's JSON Lines "by their keys, line
// by line", and one bad line is a warning naming it ("one bad line never stops a
// 2.7-million-line import"). Detection reads only the first line's keys and wants `abstract`
// there, so a file whose first line is a record without an abstract (which the reader accepts
// on any other line) is refused whole: nothing is imported.

const dir = mkdtempSync(path.join(os.tmpdir(), 'review12b-detect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const NOW = new Date('2026-10-01T12:00:00.000Z');

const good = (i: number) =>
  JSON.stringify({
    id: `2501.${String(i).padStart(5, '0')}`,
    title: `Paper ${i}`,
    authors: ['Ada Lovelace'],
    abstract: `Abstract ${i}.`,
    categories: ['cs.RO'],
    date: '2026-01-02',
  });

async function ingest(name: string, lines: string[]) {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  const store = SqliteStore.open(':memory:');
  try {
    const summary = await ingestFile({ store, file, now: () => NOW });
    return { summary, count: store.countPapers() };
  } finally {
    store.close();
  }
}

describe('review12b: JSON Lines told apart by the first line only', () => {
  it("Paperboy's JSON Lines whose first record has no abstract are imported", async () => {
    // The same record is read when it is on line 2 (checked below); on line 1 the file is refused.
    const noAbstract = JSON.stringify({
      id: '2501.00000',
      title: 'A Paper Listed Without Its Abstract',
      authors: ['Ada Lovelace'],
      categories: ['cs.RO'],
      date: '2026-01-02',
    });
    const second = await ingest('second.jsonl', [good(1), noAbstract, good(2)]);
    expect(second.count).toBe(3);
    const first = await ingest('first.jsonl', [noAbstract, good(1), good(2)]);
    expect(first.count).toBe(3);
  });
});
