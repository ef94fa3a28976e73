import { mkdirSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { isPaperboyError, PaperboyError } from '../errors.js';
import { assertKnownVersion, migrate } from './migrations.js';

// Opening the store's SQLite file: its pragmas, its migrations, and what a failure means.

/** The store file inside a data folder. */
export function storeFile(dataDir: string): string {
  return path.join(dataDir, 'paperboy.db');
}

export const CORRUPT_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT']);

export function openError(file: string, error: unknown): PaperboyError {
  if (isPaperboyError(error)) return error;
  const code = (error as { code?: string }).code ?? '';
  const detail = (error as Error).message;
  if (CORRUPT_CODES.has(code)) {
    return new PaperboyError(
      'STORE_CORRUPT',
      `The database ${file} is damaged or is not a Paperboy database (SQLite: ${detail}). ` +
        'It was left untouched: restore a backup, or move it aside to start with an empty store.',
      { cause: error },
    );
  }
  return new PaperboyError('STORE_FAILED', `Cannot open the database ${file}: ${detail}`, {
    cause: error,
  });
}

export function openDatabase(file: string, cacheMb: number): Database {
  if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  let db: Database | undefined;
  try {
    db = new BetterSqlite3(file);
    // Read the version before anything writes: a newer file must stay exactly as it is.
    assertKnownVersion(db, file);
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // A blocking wait for another writer's lock: right for the CLI tools (ingest), whose
    // thread has nothing else to do; the bot lowers it once open (setBusyTimeout).
    db.pragma('busy_timeout = 5000');
    // The id and title indexes of a large archive outgrow SQLite's 2 MB default cache; merging
    // looks both up for every record, so keep them in memory.
    db.pragma(`cache_size = -${Math.round(cacheMb * 1024)}`);
    db.pragma('temp_store = MEMORY');
    migrate(db, file);
    return db;
  } catch (error) {
    db?.close();
    throw openError(file, error);
  }
}
