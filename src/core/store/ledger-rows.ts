import type { Database } from 'better-sqlite3';
import { PaperboyError } from '../errors.js';
import { StatementCache } from './statements.js';
import type { SourceRun } from './store.js';

interface SourceRunRow {
  source: string;
  started_at: string;
  finished_at: string;
  ok: number;
  fetched: number;
  added: number;
  messages: string;
}

/** Source runs and small keyed state. */
export class LedgerTables {
  private readonly statements: StatementCache;

  constructor(db: Database) {
    this.statements = new StatementCache(db);
  }

  recordSourceRun(run: SourceRun): void {
    this.statements
      .get(
        `INSERT INTO source_runs (source, started_at, finished_at, ok, fetched, added, messages)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        run.source,
        run.startedAt,
        run.finishedAt,
        run.ok ? 1 : 0,
        run.fetched,
        run.added,
        JSON.stringify(run.messages),
      );
  }

  recentSourceRuns(source: string, limit: number): SourceRun[] {
    const rows = this.statements
      .get('SELECT * FROM source_runs WHERE source = ? ORDER BY started_at DESC, seq DESC LIMIT ?')
      .all(source, limit) as SourceRunRow[];
    return rows.map((row) => ({
      source: row.source,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      ok: row.ok === 1,
      fetched: row.fetched,
      added: row.added,
      messages: JSON.parse(row.messages) as string[],
    }));
  }

  putState(key: string, value: string, now: Date): void {
    this.statements
      .get(
        `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, value, now.toISOString());
  }

  replaceState(key: string, expected: string | null, value: string, now: Date): boolean {
    const stamp = now.toISOString();
    if (expected === null)
      return (
        this.statements
          .get('INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING')
          .run(key, value, stamp).changes > 0
      );
    return (
      this.statements
        .get('UPDATE state SET value = ?, updated_at = ? WHERE key = ? AND value = ?')
        .run(value, stamp, key, expected).changes > 0
    );
  }

  getState(key: string): string | null {
    const row = this.statements.get('SELECT value FROM state WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row?.value ?? null;
  }

  pruneState(prefix: string, before: Date): number {
    if (prefix === '') throw new PaperboyError('INTERNAL', 'pruneState needs a key prefix.');
    // A key range rather than LIKE: the primary key serves it and `_`/`%` need no escaping.
    const last = prefix.charCodeAt(prefix.length - 1);
    const end = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    return this.statements
      .get('DELETE FROM state WHERE key >= ? AND key < ? AND updated_at < ?')
      .run(prefix, end, before.toISOString()).changes;
  }
}
