import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPaperboyError, type PaperboyError } from '../../../src/core/errors.js';
import { isReplacement } from '../../../src/core/paper.js';
import { parseArxivRss } from '../../../src/core/sources/parse-arxiv-rss.js';
import { parseHfDailyPapers } from '../../../src/core/sources/parse-hf-daily-papers.js';
import { asyncStore } from '../../../src/core/store/async-store.js';
import { SCHEMA_VERSION } from '../../../src/core/store/migrations.js';
import { SqliteStore, storeFile } from '../../../src/core/store/sqlite-store.js';
import { describeDigestRunClaims } from './digest-run-claims.js';
import { record } from './records.js';
import { describeStore } from './store-conformance.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-store-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describeStore('SqliteStore (memory)', () => SqliteStore.open(':memory:'));
describeStore('SqliteStore (file)', () => SqliteStore.open(storeFile(tempDir())));
describeDigestRunClaims('SqliteStore', () => asyncStore(SqliteStore.open(':memory:')));

function openError(file: string): PaperboyError {
  try {
    SqliteStore.open(file).close();
  } catch (error) {
    if (isPaperboyError(error)) return error;
    throw error;
  }
  throw new Error('expected the store to refuse the file');
}

describe('SqliteStore file handling', () => {
  let file: string;
  beforeEach(() => {
    file = storeFile(tempDir());
  });

  it('creates a WAL file at the current schema version with foreign keys on', () => {
    const store = SqliteStore.open(file);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    store.upsertPapers([record()], new Date('2025-01-01T00:00:00Z'));
    store.close();
    const again = SqliteStore.open(file);
    expect(again.getPaper('2410.14735')?.title).toContain('CycleQD');
    again.close();
  });

  it('refuses a database from a newer Paperboy and leaves it untouched', () => {
    const db = new BetterSqlite3(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    db.close();
    const before = readFileSync(file);
    const error = openError(file);
    expect(error.code).toBe('STORE_TOO_NEW');
    expect(error.message).toContain(file);
    expect(error.message).toContain(`schema version ${SCHEMA_VERSION + 5}`);
    expect(error.message).toContain(`up to ${SCHEMA_VERSION}`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses a file that is not a database and leaves it untouched', () => {
    const junk = 'this is not a database, just some text someone saved here\n'.repeat(100);
    writeFileSync(file, junk);
    const error = openError(file);
    expect(error.code).toBe('STORE_CORRUPT');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/damaged or is not a Paperboy database/);
    expect(readFileSync(file, 'utf8')).toBe(junk);
  });

  it('refuses a database whose header is damaged', () => {
    SqliteStore.open(file).close();
    const bytes = readFileSync(file);
    bytes.fill(0xab, 0, 100);
    writeFileSync(file, bytes);
    expect(openError(file).code).toBe('STORE_CORRUPT');
  });

  it('reports damage past the header as STORE_CORRUPT when a write reaches it', () => {
    const store = SqliteStore.open(file);
    const records = Array.from({ length: 200 }, (_, i) =>
      record({ arxivId: `2401.${String(i).padStart(5, '0')}`, title: `Paper ${i}` }),
    );
    store.upsertPapers(records, new Date('2025-01-01T00:00:00Z'));
    store.close();
    const bytes = readFileSync(file);
    const pageSize = bytes.readUInt16BE(16);
    bytes.fill(0xab, pageSize);
    writeFileSync(file, bytes);
    let error: unknown;
    try {
      const damaged = SqliteStore.open(file);
      try {
        damaged.upsertPapers([record({ upvotes: 1 })], new Date());
      } finally {
        damaged.close();
      }
    } catch (caught) {
      error = caught;
    }
    expect(isPaperboyError(error, 'STORE_CORRUPT')).toBe(true);
    expect((error as Error).message).toContain(file);
  });

  it('calls the papers-written hook inside the transaction with the starting change_seq', () => {
    const calls: { since: number; rows: number; inTransaction: boolean }[] = [];
    const store = SqliteStore.open(':memory:', {
      onPapersWritten: (db, since) => {
        const rows = db
          .prepare('SELECT count(*) AS n FROM papers WHERE change_seq > ?')
          .get(since) as {
          n: number;
        };
        calls.push({ since, rows: rows.n, inTransaction: db.inTransaction });
      },
    });
    const now = new Date('2025-01-01T00:00:00Z');
    store.upsertPapers([record(), record({ arxivId: '2401.00001', title: 'Other' })], now);
    store.upsertPapers([record()], now);
    store.upsertPapers([record({ upvotes: 4 })], now);
    store.setPapersWrittenHook(null);
    store.upsertPapers([record({ upvotes: 5 })], now);
    expect(calls).toEqual([
      { since: 0, rows: 2, inTransaction: true },
      { since: 2, rows: 1, inTransaction: true },
    ]);
    store.close();
  });

  it('rolls the whole batch back when the hook throws', () => {
    const store = SqliteStore.open(':memory:', {
      onPapersWritten: () => {
        throw new Error('index broke');
      },
    });
    expect(() => store.upsertPapers([record()], new Date())).toThrow('index broke');
    expect(store.countPapers()).toBe(0);
    store.close();
  });
});

it('checkpoints seldom during a bulk write, then copies the WAL in and restores the default', async () => {
  const dir = tempDir();
  const store = SqliteStore.open(storeFile(dir));
  const checkpointEvery = () => store.db.pragma('wal_autocheckpoint', { simple: true });
  expect(checkpointEvery()).toBe(1000);
  const during = await store.bulkWrite(async () => {
    store.upsertPapers([record()], new Date('2025-01-01T00:00:00Z'));
    return checkpointEvery();
  });
  expect(during).toBeGreaterThan(1000);
  expect(checkpointEvery()).toBe(1000);
  // The database file alone (no WAL beside it) holds what the bulk write wrote.
  const copy = path.join(dir, 'file-alone.db');
  copyFileSync(storeFile(dir), copy);
  const alone = new BetterSqlite3(copy);
  expect(alone.prepare('SELECT count(*) AS n FROM papers').get()).toEqual({ n: 1 });
  alone.close();
  await expect(
    store.bulkWrite(async () => {
      throw new Error('read failed');
    }),
  ).rejects.toThrow('read failed');
  expect(checkpointEvery()).toBe(1000);
  store.close();
});

describe('SqliteStore with real feed samples', () => {
  let store: SqliteStore;
  beforeEach(() => {
    store = SqliteStore.open(':memory:');
  });
  afterEach(() => store.close());

  it('keeps the same paper from HF JSON and arXiv RSS as one row with both sources', () => {
    const hf = parseHfDailyPapers(readFileSync('test/fixtures/hf-daily-papers.json', 'utf8'), {
      fetchedAt: '2024-10-18T08:00:00.000Z',
    });
    const rss = parseArxivRss(readFileSync('test/fixtures/arxiv-rss.xml', 'utf8'), {
      fetchedAt: '2024-10-18T06:00:00.000Z',
    });
    const shared = hf.papers
      .map((p) => p.arxivId)
      .filter((id) => rss.papers.some((r) => r.arxivId === id));
    expect(shared).toContain('2410.14735');

    store.upsertPapers(hf.papers, new Date('2024-10-18T08:00:00Z'));
    const summary = store.upsertPapers(rss.papers, new Date('2024-10-18T09:00:00Z'));
    expect(summary.updated).toEqual(expect.arrayContaining(shared as string[]));
    // Replacements of papers the store never had are not stored: they are not news.
    const hfIds = new Set(hf.papers.map((p) => p.arxivId));
    const unknownReplacements = rss.papers.filter((p) => isReplacement(p) && !hfIds.has(p.arxivId));
    expect(unknownReplacements.length).toBeGreaterThan(0);
    expect(summary.skippedReplacements.sort()).toEqual(
      unknownReplacements.map((p) => p.arxivId).sort(),
    );
    const ids = new Set([...hf.papers, ...rss.papers].map((p) => p.arxivId));
    expect(store.countPapers()).toBe(ids.size - unknownReplacements.length);

    const cycle = store.getPaper('2410.14735');
    expect(cycle?.sources).toEqual(['huggingface', 'arxiv-rss']);
    expect(cycle?.upvotes).toBe(12);
    expect(cycle?.title).toBe('Agent Skill Acquisition for Large Language Models via CycleQD');
    expect(cycle?.links.code).toBe('https://github.com/SakanaAI/CycleQD');
    expect(cycle?.categories.length).toBeGreaterThan(0);

    // Ingesting either file again changes nothing.
    const stamp = store.papersStamp();
    expect(store.upsertPapers(rss.papers, new Date()).unchanged).toBe(
      rss.papers.length - unknownReplacements.length,
    );
    expect(store.upsertPapers(hf.papers, new Date()).unchanged).toBe(hf.papers.length);
    expect(store.papersStamp()).toEqual(stamp);
  });
});
