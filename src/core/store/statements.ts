import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements by SQL text: preparing costs more than running a small query,
 * and the store runs the same few dozen statements over and over (the SQL strings
 * are built from fixed parts, so the cache stays small).
 */
export class StatementCache {
  private readonly cache = new Map<string, Statement>();

  constructor(private readonly db: Database) {}

  get(sql: string): Statement {
    let statement = this.cache.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.cache.set(sql, statement);
    }
    return statement;
  }
}

const perConnection = new WeakMap<Database, StatementCache>();

/** The connection's own cache, for module functions that take a `db` (search's reads). */
export function statementsOf(db: Database): StatementCache {
  let cache = perConnection.get(db);
  if (!cache) {
    cache = new StatementCache(db);
    perConnection.set(db, cache);
  }
  return cache;
}

/**
 * Runs `work` in an IMMEDIATE transaction. Every read-then-write transaction uses this: a
 * deferred one that reads first cannot upgrade to a write while another process (npm run
 * ingest) writes, and fails with SQLITE_BUSY without waiting on busy_timeout.
 */
export function inWriteTransaction<T>(db: Database, work: () => T): T {
  return db.transaction(work).immediate();
}
