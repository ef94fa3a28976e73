import {
  isReplacement,
  normaliseTitle,
  type Paper,
  type PaperRecord,
  paperIdOf,
} from '../../paper.js';
import { DIGEST_WINDOW_END_KEY, firstSeenStamp } from '../digest-run-shapes.js';
import { FIELD_COLUMNS, type PaperFields, type PaperRow, rowToPaper } from '../paper-row-shapes.js';
import { fieldsOfRecord, mergeRecord } from '../paper-rows.js';
import { feedDateOf } from '../prepared-paper.js';
import type { PapersStamp, UpsertSummary } from '../store.js';
import type { Db, Param } from './db.js';

/** The sources of a row known only from a link lookup (as in the SQLite store). */
const LOOKUP_ONLY = '["arxiv-lookup"]';

/**
 * Transaction advisory lock taken by every paper write: writers queue, as SQLite's single
 * writer does, so `change_seq` grows in commit order (a reader polling it never skips a
 * write) and two instances merging the same paper cannot both insert it.
 */
const PAPER_WRITE_LOCK = 7_305_118_460_218;

/** A `papers` row as node-postgres returns it (BIGINT as text, sample as boolean). */
export type PgPaperRow = Omit<PaperRow, 'rowid' | 'change_seq' | 'sample'> & {
  rowid: string | number;
  change_seq: string | number;
  sample: boolean;
};

/** The shared row shape, so the SQLite store's merge rules and row mapping apply unchanged. */
export function toRow(row: PgPaperRow): PaperRow {
  return {
    ...row,
    rowid: Number(row.rowid),
    change_seq: Number(row.change_seq),
    sample: row.sample ? 1 : 0,
  };
}

function fieldParams(fields: PaperFields): Param[] {
  return FIELD_COLUMNS.map((column) =>
    column === 'sample' ? fields.sample === 1 : (fields[column] as Param),
  );
}

const NAMES = FIELD_COLUMNS.join(', ');
const INSERT = `INSERT INTO papers (${NAMES}, first_seen_at, updated_at, change_seq, feed_date)
  VALUES (${FIELD_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, $${FIELD_COLUMNS.length + 1},
    $${FIELD_COLUMNS.length + 2}, $${FIELD_COLUMNS.length + 3}, $${FIELD_COLUMNS.length + 4})
  ON CONFLICT (id) DO NOTHING`;
const UPDATE = `UPDATE papers SET ${FIELD_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')},
  updated_at = $${FIELD_COLUMNS.length + 1}, change_seq = $${FIELD_COLUMNS.length + 2}
  WHERE rowid = $${FIELD_COLUMNS.length + 3}`;

/** The papers table on PostgreSQL: the SQLite PaperTable's merge-on-write, statement for statement. */
export class PgPaperTable {
  constructor(private readonly db: Db) {}

  private async one(db: Db, sql: string, params: Param[]): Promise<PaperRow | undefined> {
    const [row] = await db.rows<PgPaperRow>(sql, params);
    return row ? toRow(row) : undefined;
  }

  private byId(db: Db, id: string): Promise<PaperRow | undefined> {
    return this.one(db, 'SELECT * FROM papers WHERE id = $1', [id]);
  }

  async upsert(records: PaperRecord[], now: Date): Promise<UpsertSummary> {
    if (records.length === 0)
      return { added: [], updated: [], unchanged: 0, skippedReplacements: [] };
    return this.db.atomic(async (db) => {
      await db.rows('SELECT pg_advisory_xact_lock($1)', [PAPER_WRITE_LOCK]);
      // Under the write lock, and holding the closed digest window's row until commit (a
      // planner closing a window waits for this write): stamped after any window read
      // without it (see Store.closeDigestWindow).
      const [closed] = await db.rows<{ value: string }>(
        `INSERT INTO state (key, value, updated_at) VALUES ($1, '', '')
         ON CONFLICT (key) DO UPDATE SET value = state.value RETURNING value`,
        [DIGEST_WINDOW_END_KEY],
      );
      return this.write(db, records, firstSeenStamp(now.toISOString(), closed?.value));
    });
  }

  private async write(db: Db, records: PaperRecord[], now: string): Promise<UpsertSummary> {
    let seq = await this.lastChange(db);
    const added = new Set<string>();
    const updated = new Set<string>();
    let unchanged = 0;
    const skippedReplacements: string[] = [];
    let titleOnlyRows =
      (await db.rows('SELECT 1 FROM papers WHERE arxiv_id IS NULL LIMIT 1')).length > 0;
    // The batch's stored rows, read at once; a row written below is read again when needed.
    const current = await this.storedRows(db, records);
    const stored = new Set(current.keys());
    // New arXiv papers go in together, one INSERT for the lot (its word count is one
    // statement too); anything that must read the table first flushes them.
    const fresh = new Map<string, Param[]>();
    const flush = async () => {
      if (fresh.size === 0) return;
      await this.insertMany(db, [...fresh.values()]);
      for (const id of fresh.keys()) stored.add(id);
      fresh.clear();
    };
    for (const record of records) {
      const titleKey = normaliseTitle(record.title);
      if (record.arxivId && !titleOnlyRows) {
        const id = paperIdOf(record);
        if (!stored.has(id) && !fresh.has(id)) {
          if (isReplacement(record)) skippedReplacements.push(id);
          else {
            const fields = fieldsOfRecord(record, titleKey);
            fresh.set(fields.id, [...fieldParams(fields), now, now, ++seq, feedDateOf(record)]);
            added.add(fields.id);
          }
          continue;
        }
      }
      await flush();
      // A stored arXiv paper (no title-only rows to join): read it, no insert to try.
      let row =
        record.arxivId && !titleOnlyRows
          ? (current.get(paperIdOf(record)) ?? (await this.byId(db, paperIdOf(record))))
          : await this.titleMatch(db, record, titleKey, titleOnlyRows);
      if (!row && isReplacement(record)) {
        const id = paperIdOf(record);
        row = await this.byId(db, id);
        if (!row) {
          skippedReplacements.push(id);
          continue;
        }
      }
      if (!row) {
        const fields = fieldsOfRecord(record, titleKey);
        const params = [...fieldParams(fields), now, now, seq + 1, feedDateOf(record)];
        if ((await db.run(INSERT, params)) === 1) {
          seq++;
          stored.add(fields.id);
          if (!record.arxivId) titleOnlyRows = true;
          added.add(fields.id);
          continue;
        }
        row = (await this.byId(db, fields.id)) as PaperRow;
      }
      const merged = mergeRecord(row, record, titleKey);
      current.delete(row.id);
      const listed = feedDateOf(record) !== null && !isReplacement(record);
      if (row.sources === LOOKUP_ONLY && listed) {
        // Known so far only because someone linked it: news from the first feed listing it
        // (a listing's new paper; not a replacement, an archive or a search).
        await db.run(
          'UPDATE papers SET first_seen_at = $1, feed_date = coalesce(feed_date, $2) WHERE rowid = $3',
          [now, feedDateOf(record), row.rowid],
        );
      }
      if (!merged) {
        unchanged++;
        continue;
      }
      await db.run(UPDATE, [...fieldParams(merged), now, ++seq, row.rowid]);
      stored.add(merged.id);
      if (added.has(row.id)) {
        added.delete(row.id);
        added.add(merged.id);
      } else {
        updated.delete(row.id);
        updated.add(merged.id);
      }
    }
    await flush();
    return { added: [...added], updated: [...updated], unchanged, skippedReplacements };
  }

  /** The stored rows of the records' arXiv ids, by id: one query for the batch. */
  private async storedRows(db: Db, records: PaperRecord[]): Promise<Map<string, PaperRow>> {
    const ids = records.flatMap((r) => (r.arxivId ? [paperIdOf(r)] : []));
    if (ids.length === 0) return new Map();
    const rows = await db.rows<PgPaperRow>('SELECT * FROM papers WHERE id = ANY($1)', [ids]);
    return new Map(rows.map((row) => [row.id, toRow(row)]));
  }

  /**
   * Inserts rows known to be new (their ids were looked up under the write lock), in chunks
   * that keep under PostgreSQL's 65,535 parameters a statement.
   */
  private async insertMany(db: Db, rows: Param[][]): Promise<void> {
    const width = FIELD_COLUMNS.length + 4;
    const perStatement = Math.floor(60_000 / width);
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      const values = chunk
        .map(
          (_, r) =>
            `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`,
        )
        .join(', ');
      const inserted = await db.run(
        `INSERT INTO papers (${NAMES}, first_seen_at, updated_at, change_seq, feed_date) VALUES ${values}`,
        chunk.flat(),
      );
      if (inserted !== chunk.length)
        throw new Error(`inserted ${inserted} of ${chunk.length} new papers`);
    }
  }

  /** As the SQLite store: an arXiv record joins a title-hash row; a title-only record any row. */
  private async titleMatch(
    db: Db,
    record: PaperRecord,
    titleKey: string,
    titleOnlyRows: boolean,
  ): Promise<PaperRow | undefined> {
    if (record.arxivId) {
      if (!titleOnlyRows) return undefined;
      const titleOnly = await this.one(
        db,
        'SELECT * FROM papers WHERE title_key = $1 AND arxiv_id IS NULL ORDER BY rowid LIMIT 1',
        [titleKey],
      );
      return titleOnly && ((await this.byId(db, record.arxivId)) ?? titleOnly);
    }
    return this.one(
      db,
      'SELECT * FROM papers WHERE title_key = $1 ORDER BY arxiv_id IS NULL, rowid LIMIT 1',
      [titleKey],
    );
  }

  private async lastChange(db: Db): Promise<number> {
    const [row] = await db.rows<{ seq: string }>(
      'SELECT coalesce(max(change_seq), 0) AS seq FROM papers',
    );
    return Number(row?.seq ?? 0);
  }

  async get(id: string): Promise<Paper | null> {
    const row = await this.byId(this.db, id);
    return row ? rowToPaper(row) : null;
  }

  async getMany(ids: string[]): Promise<Paper[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.rows<PgPaperRow>('SELECT * FROM papers WHERE id = ANY($1)', [ids]);
    const byId = new Map(rows.map((row) => [row.id, rowToPaper(toRow(row))]));
    // In the order asked for, as the SQLite store reads them one by one.
    return ids.flatMap((id) => {
      const paper = byId.get(id);
      return paper ? [paper] : [];
    });
  }

  async count(): Promise<number> {
    const [row] = await this.db.rows<{ n: number }>('SELECT count(*)::int AS n FROM papers');
    return row?.n ?? 0;
  }

  async stamp(): Promise<PapersStamp> {
    const [row] = await this.db.rows<{ n: number; seq: string }>(
      'SELECT count(*)::int AS n, coalesce(max(change_seq), 0) AS seq FROM papers',
    );
    return { count: row?.n ?? 0, lastChange: Number(row?.seq ?? 0) };
  }

  async seenSince(
    since: Date,
    includeSample: boolean,
    limit: number | undefined,
  ): Promise<Paper[]> {
    const rows = await this.db.rows<PgPaperRow>(
      `SELECT * FROM papers WHERE first_seen_at >= $1 ${includeSample ? '' : 'AND NOT sample'}
       ORDER BY first_seen_at DESC, rowid DESC LIMIT $2`,
      [since.toISOString(), limit ?? null],
    );
    return rows.map((row) => rowToPaper(toRow(row)));
  }

  /** By listing day, on its partial index (migration 6). */
  async newestListed(limit: number): Promise<Paper[]> {
    const rows = await this.db.rows<PgPaperRow>(
      'SELECT * FROM papers WHERE feed_date IS NOT NULL ORDER BY feed_date DESC, rowid DESC LIMIT $1',
      [limit],
    );
    return rows.map((row) => rowToPaper(toRow(row)));
  }

  async *iterate(batchSize: number): AsyncIterable<Paper[]> {
    let after = 0;
    for (;;) {
      const rows = await this.db.rows<PgPaperRow>(
        'SELECT * FROM papers WHERE rowid > $1 ORDER BY rowid LIMIT $2',
        [after, batchSize],
      );
      if (rows.length === 0) return;
      after = Number((rows[rows.length - 1] as PgPaperRow).rowid);
      yield rows.map((row) => rowToPaper(toRow(row)));
    }
  }
}
