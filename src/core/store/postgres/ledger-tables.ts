import { PaperboyError } from '../../errors.js';
import type { SourceRun } from '../store.js';
import type { Db } from './db.js';

interface SourceRunRow {
  source: string;
  started_at: string;
  finished_at: string;
  ok: boolean;
  fetched: number;
  added: number;
  messages: string;
}

/** Source runs and small keyed state on PostgreSQL (as the SQLite LedgerTables). */
export class PgLedgerTables {
  constructor(private readonly db: Db) {}

  async recordSourceRun(run: SourceRun): Promise<void> {
    await this.db.run(
      `INSERT INTO source_runs (source, started_at, finished_at, ok, fetched, added, messages)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        run.source,
        run.startedAt,
        run.finishedAt,
        run.ok,
        run.fetched,
        run.added,
        JSON.stringify(run.messages),
      ],
    );
  }

  async recentSourceRuns(source: string, limit: number): Promise<SourceRun[]> {
    const rows = await this.db.rows<SourceRunRow>(
      'SELECT * FROM source_runs WHERE source = $1 ORDER BY started_at DESC, seq DESC LIMIT $2',
      [source, limit],
    );
    return rows.map((row) => ({
      source: row.source,
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      ok: row.ok,
      fetched: row.fetched,
      added: row.added,
      messages: JSON.parse(row.messages) as string[],
    }));
  }

  async putState(key: string, value: string, now: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO state (key, value, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      [key, value, now.toISOString()],
    );
  }

  async replaceState(
    key: string,
    expected: string | null,
    value: string,
    now: Date,
  ): Promise<boolean> {
    // A concurrent writer of the key makes this wait, then re-check `expected` on its version.
    const written =
      expected === null
        ? await this.db.run(
            `INSERT INTO state (key, value, updated_at) VALUES ($1, $2, $3)
             ON CONFLICT (key) DO NOTHING`,
            [key, value, now.toISOString()],
          )
        : await this.db.run(
            'UPDATE state SET value = $2, updated_at = $3 WHERE key = $1 AND value = $4',
            [key, value, now.toISOString(), expected],
          );
    return written > 0;
  }

  async getState(key: string): Promise<string | null> {
    const [row] = await this.db.rows<{ value: string }>('SELECT value FROM state WHERE key = $1', [
      key,
    ]);
    return row?.value ?? null;
  }

  async pruneState(prefix: string, before: Date): Promise<number> {
    if (prefix === '') throw new PaperboyError('INTERNAL', 'pruneState needs a key prefix.');
    // A key range, as the SQLite store: the primary key (collation "C") serves it.
    const last = prefix.charCodeAt(prefix.length - 1);
    const end = prefix.slice(0, -1) + String.fromCharCode(last + 1);
    return this.db.run('DELETE FROM state WHERE key >= $1 AND key < $2 AND updated_at < $3', [
      prefix,
      end,
      before.toISOString(),
    ]);
  }
}
