import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { PaperboyError } from '../core/errors.js';

export interface BackupOptions {
  /** The live store file (the bot may be running and writing). */
  source: string;
  /** A new file; an existing one is never overwritten. */
  target: string;
  /** Pages copied per step; between steps the event loop (and other writers) run. */
  pagesPerStep?: number;
  /** A write by another connection restarts the copy; after this many restarts, copy the rest in one step. */
  maxRestarts?: number;
}

export interface BackupResult {
  file: string;
  pages: number;
  restarts: number;
  papers: number;
}

/**
 * Copies the store with SQLite's online backup API, safe while the bot runs: each step reads
 * a consistent snapshot, a write elsewhere restarts the copy, and a busy writer cannot starve
 * it (after `maxRestarts` the remainder goes in one step). The copy is written beside the
 * target under a unique temporary name, checked with `integrity_check`, then published
 * atomically without replacing anything: a half-made backup never has its name, and a failed
 * one leaves no file behind.
 */
export async function backupStore(options: BackupOptions): Promise<BackupResult> {
  const { source, target } = options;
  if (!existsSync(source)) {
    throw new PaperboyError('STORE_FAILED', `There is no database at ${source} to back up.`);
  }
  if (existsSync(target)) {
    throw new PaperboyError(
      'STORE_FAILED',
      `${target} already exists: give a new file name (backups never overwrite a file).`,
    );
  }
  if (!existsSync(path.dirname(path.resolve(target)))) {
    throw new PaperboyError('STORE_FAILED', `The folder of ${target} does not exist.`);
  }
  // Beside the target (same file system, so publishing it is one atomic step) and unique,
  // so two backups at once never delete or publish each other's copy.
  const partial = path.join(
    path.dirname(path.resolve(target)),
    `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.partial`,
  );
  const db = new BetterSqlite3(source, { fileMustExist: true });
  let restarts = 0;
  try {
    db.pragma('busy_timeout = 5000');
    const perStep = options.pagesPerStep ?? 1000;
    const maxRestarts = options.maxRestarts ?? 10;
    let lastRemaining = Number.POSITIVE_INFINITY;
    const done = await db.backup(partial, {
      progress({ totalPages, remainingPages }) {
        if (remainingPages >= lastRemaining) restarts++; // no progress: another writer restarted it
        lastRemaining = remainingPages;
        return restarts >= maxRestarts ? totalPages : perStep;
      },
    });
    const papers = verify(partial);
    publish(partial, target);
    return { file: target, pages: done.totalPages, restarts, papers };
  } finally {
    db.close();
    removeCopy(partial);
  }
}

/**
 * Gives the finished copy its name in one atomic step that fails if the name is taken
 * (a hard link, unlike rename, never replaces a file): a backup that appeared meanwhile,
 * perhaps the only good one, is kept.
 */
function publish(partial: string, target: string): void {
  try {
    linkSync(partial, target);
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
    throw new PaperboyError(
      'STORE_FAILED',
      `${target} appeared while the backup ran; it was left as it is: give a new file name.`,
      { cause: error },
    );
  }
}

/** The temporary copy and any journal SQLite left beside it; the published name stays. */
function removeCopy(partial: string): void {
  for (const file of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`]) {
    try {
      unlinkSync(file);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') throw error;
    }
  }
}

/** The copy must pass SQLite's full integrity check; returns its paper count. */
function verify(file: string): number {
  const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  try {
    const result = copy.pragma('integrity_check', { simple: true }) as string;
    if (result !== 'ok') {
      throw new PaperboyError('STORE_CORRUPT', `The backup copy fails integrity_check: ${result}`);
    }
    return (copy.prepare('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  } finally {
    copy.close();
  }
}
