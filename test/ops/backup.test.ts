import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, storeFile } from '../../src/core/store/sqlite-store.js';
import { backupStore } from '../../src/ops/backup.js';
import { record } from '../core/store/records.js';
import { childEnv } from './fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const NOW = new Date('2025-12-12T12:00:00.000Z');

function papers(from: number, n: number) {
  return Array.from({ length: n }, (_, i) =>
    record({
      arxivId: `2501.${String(from + i).padStart(5, '0')}`,
      title: `Paper number ${from + i} about robots and ${'long words '.repeat(10)}`,
      abstract: `An abstract ${from + i}. ${'Filler text to take up pages. '.repeat(40)}`,
    }),
  );
}

function integrity(file: string): { check: string; papers: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return {
      check: db.pragma('integrity_check', { simple: true }) as string,
      papers: (db.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

describe('npm run backup', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'paperboy-backup-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the store while another connection keeps writing; the copy passes integrity_check', async () => {
    const file = storeFile(dir);
    const bot = SqliteStore.open(file);
    bot.upsertPapers(papers(0, 1500), NOW);
    const before = bot.countPapers();

    // The "bot": another connection writing a paper on every turn of the event loop.
    let written = 0;
    let writing = true;
    const writer = () => {
      if (!writing) return;
      bot.upsertPapers(papers(10_000 + written, 1), NOW);
      written++;
      setImmediate(writer);
    };
    setImmediate(writer);
    const target = path.join(dir, 'copy.db');
    const result = await backupStore({ source: file, target, pagesPerStep: 20, maxRestarts: 5 });
    writing = false;
    const after = bot.countPapers();
    bot.close();

    expect(written).toBeGreaterThan(0);
    expect(result.restarts).toBeGreaterThan(0);
    const copy = integrity(target);
    expect(copy.check).toBe('ok');
    expect(copy.papers).toBe(result.papers);
    expect(copy.papers).toBeGreaterThanOrEqual(before);
    expect(copy.papers).toBeLessThanOrEqual(after);
    expect(existsSync(`${target}.partial`)).toBe(false);
    // The copy is a working store.
    const restored = SqliteStore.open(target);
    expect(restored.countPapers()).toBe(copy.papers);
    restored.close();
  });

  it('never overwrites a file and names what is missing', async () => {
    const file = storeFile(dir);
    SqliteStore.open(file).close();
    const taken = path.join(dir, 'taken.db');
    writeFileSync(taken, 'keep me');
    await expect(backupStore({ source: file, target: taken })).rejects.toThrow(
      'already exists: give a new file name',
    );
    await expect(
      backupStore({ source: path.join(dir, 'none.db'), target: path.join(dir, 'x.db') }),
    ).rejects.toThrow('There is no database at');
    await expect(
      backupStore({ source: file, target: path.join(dir, 'no', 'such', 'x.db') }),
    ).rejects.toThrow('does not exist');
  });

  it('runs as a command against PAPERBOY_DATA_DIR', () => {
    const store = SqliteStore.open(storeFile(dir));
    store.upsertPapers(papers(0, 30), NOW);
    store.close();
    const target = path.join(dir, 'cli.db');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/backup.ts', ...args], {
        cwd: ROOT,
        env: childEnv({ PAPERBOY_DATA_DIR: dir }),
        encoding: 'utf8',
      });
    const ok = run([target]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(
      `Backed up 30 papers (${ok.stdout.match(/\((\d+) pages\)/)?.[1]} pages) to ${target}; integrity_check ok.\n`,
    );
    expect(ok.status).toBe(0);
    expect(integrity(target)).toEqual({ check: 'ok', papers: 30 });

    const again = run([target]);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already exists');
    expect(run([]).stderr).toContain('Usage: npm run backup -- <file>');
  });

  it('a failed backup leaves no temporary file behind', async () => {
    const source = path.join(dir, 'not-a-database.db');
    writeFileSync(source, 'this is not SQLite '.repeat(500));
    await expect(backupStore({ source, target: path.join(dir, 'copy.db') })).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['not-a-database.db']);
  });

  it("writes a unique temporary file beside the target and never touches another backup's", async () => {
    const file = storeFile(dir);
    const store = SqliteStore.open(file);
    store.upsertPapers(papers(0, 300), NOW);
    store.close();
    const target = path.join(dir, 'copy.db');
    // What an older or concurrent backup of the same name would have in progress.
    writeFileSync(`${target}.partial`, 'another backup in progress');
    const seen = new Set<string>();
    let watching = true;
    const watch = () => {
      if (!watching) return;
      for (const name of readdirSync(dir)) seen.add(name);
      setImmediate(watch);
    };
    setImmediate(watch);
    await backupStore({ source: file, target, pagesPerStep: 5 });
    watching = false;
    const temporary = [...seen].filter((n) => n.endsWith('.partial') && n !== 'copy.db.partial');
    expect(temporary).toHaveLength(1);
    expect(temporary[0]).toMatch(/^\.copy\.db\.\d+\.[0-9a-f]{12}\.partial$/);
    expect(readFileSync(`${target}.partial`, 'utf8')).toBe('another backup in progress');
    expect(readdirSync(dir).sort()).toEqual(
      ['copy.db', 'copy.db.partial', path.basename(file)].sort(),
    );
    expect(integrity(target)).toEqual({ check: 'ok', papers: 300 });
  });

  it('a good backup that appears under the name meanwhile is not overwritten', async () => {
    const file = storeFile(dir);
    const store = SqliteStore.open(file);
    store.upsertPapers(papers(0, 300), NOW);
    store.close();
    const target = path.join(dir, 'copy.db');
    // Another backup finishes first, between this one's steps.
    setImmediate(() => writeFileSync(target, 'the good backup'));
    await expect(backupStore({ source: file, target, pagesPerStep: 5 })).rejects.toThrow(
      'appeared while the backup ran',
    );
    expect(readFileSync(target, 'utf8')).toBe('the good backup');
    expect(readdirSync(dir).sort()).toEqual(['copy.db', path.basename(file)].sort());
  });
});
