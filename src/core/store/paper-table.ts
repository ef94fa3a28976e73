import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { Paper, PaperRecord } from '../paper.js';
import { DIGEST_WINDOW_END_KEY, firstSeenStamp } from './digest-run-shapes.js';
import {
  FIELD_COLUMNS,
  fieldValues,
  type PaperRow,
  rowToPaper,
  TITLE_PREFIX,
} from './paper-row-shapes.js';
import { mergeRecord } from './paper-rows.js';
import {
  ARXIV_ID_AT,
  ID_AT,
  type PreparedPaper,
  preparePaper,
  recordOfPrepared,
  TITLE_KEY_AT,
} from './prepared-paper.js';
import { StatementCache } from './statements.js';
import type { PapersStamp, UpsertSummary } from './store.js';

/** The sources of a row known only from a link lookup (no feed listed it: never a digest's). */
const LOOKUP_ONLY = '["arxiv-lookup"]';

/** Called inside the write transaction after a batch, with the change_seq it started after. */
export type PapersWrittenHook = (db: Database, sinceChangeSeq: number) => void;

/**
 * The change_seq ranges one bulk import wrote, a batch at a time (ascending): a row in them was
 * written by the import itself (a paper listed twice in its file), not by another writer (a
 * bot's poll) meanwhile. A range per batch: a few thousand for the whole arXiv snapshot.
 */
export class ImportWrites {
  private readonly ranges: Array<[number, number]> = [];

  add(from: number, to: number): void {
    if (to >= from) this.ranges.push([from, to]);
  }

  has(seq: number): boolean {
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [from, to] = this.ranges[mid] as [number, number];
      if (seq < from) hi = mid - 1;
      else if (seq > to) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

/** The papers table: reads, and the merge-on-write that keeps one row per paper. */
export class PaperTable {
  private readonly statements: StatementCache;
  hook: PapersWrittenHook | null;
  private readonly byId: Statement<[string], PaperRow>;
  private readonly titleOnlyByKey: Statement<[string], PaperRow>;
  private readonly anyByKey: Statement<[{ key: string }], PaperRow>;
  private readonly anyTitleOnly: Statement<[], { one: number }>;
  /** Whether a title-only row may exist in this write (else an arXiv record skips the lookup). */
  private titleOnlyRows = true;
  private readonly insert: Statement;
  private readonly update: Statement;
  private readonly firstListed: Statement;
  private readonly maxSeq: Statement<[], { seq: number }>;
  private readonly upsertAll: Transaction<
    (papers: PreparedPaper[], now: string, own: ImportWrites | null) => UpsertSummary
  >;

  constructor(
    private readonly db: Database,
    hook: PapersWrittenHook | null,
  ) {
    this.hook = hook;
    this.statements = new StatementCache(db);
    this.byId = db.prepare('SELECT * FROM papers WHERE id = ?');
    this.titleOnlyByKey = db.prepare(
      'SELECT * FROM papers WHERE title_key = ? AND arxiv_id IS NULL ORDER BY rowid LIMIT 1',
    );
    // A title-only record joins the arXiv row of the same title first, else a title-hash row.
    this.anyByKey = db.prepare(
      `SELECT * FROM papers WHERE ${TITLE_PREFIX} = substr(@key, 1, 16) AND title_key = @key
       ORDER BY arxiv_id IS NULL, rowid LIMIT 1`,
    );
    this.anyTitleOnly = db.prepare('SELECT 1 AS one FROM papers WHERE arxiv_id IS NULL LIMIT 1');
    const names = FIELD_COLUMNS.join(', ');
    const marks = FIELD_COLUMNS.map(() => '?').join(', ');
    // A new paper costs one statement: the id conflict tells an existing one apart.
    this.insert = db.prepare(
      `INSERT INTO papers (${names}, first_seen_at, updated_at, change_seq, feed_date)
       VALUES (${marks}, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
    );
    this.update = db.prepare(
      `UPDATE papers SET ${FIELD_COLUMNS.map((c) => `${c} = ?`).join(', ')},
       updated_at = ?, change_seq = ? WHERE rowid = ?`,
    );
    this.firstListed = db.prepare(
      'UPDATE papers SET first_seen_at = ?, feed_date = coalesce(feed_date, ?) WHERE rowid = ?',
    );
    this.maxSeq = db.prepare('SELECT coalesce(max(change_seq), 0) AS seq FROM papers');
    // In the write transaction: stamped after any digest window read without this write
    // (see Store.closeDigestWindow; SQLite's write lock orders the two).
    const closedWindow = db.prepare<[string], { value: string }>(
      'SELECT value FROM state WHERE key = ?',
    );
    this.upsertAll = db.transaction((papers, now, own) =>
      this.write(papers, firstSeenStamp(now, closedWindow.get(DIGEST_WINDOW_END_KEY)?.value), own),
    );
  }

  upsert(records: PaperRecord[], now: Date): UpsertSummary {
    return this.upsertPrepared(records.map(preparePaper), now);
  }

  /**
   * `upsert` of records already mapped to their columns (`preparePaper`). `own`: what a bulk
   * import wrote so far (this write is added); a row it wrote changed again is not counted as
   * updated (it is already new or updated), so the counts do not depend on where batches end.
   */
  upsertPrepared(
    papers: PreparedPaper[],
    now: Date,
    own: ImportWrites | null = null,
  ): UpsertSummary {
    if (papers.length === 0)
      return { added: [], updated: [], unchanged: 0, skippedReplacements: [] };
    // IMMEDIATE: a read-then-write transaction takes the write lock up front, so a second
    // writer (npm run ingest) makes it wait on busy_timeout instead of failing with SQLITE_BUSY.
    return this.upsertAll.immediate(papers, now.toISOString(), own);
  }

  private write(papers: PreparedPaper[], now: string, own: ImportWrites | null): UpsertSummary {
    const startSeq = this.maxSeq.get()?.seq ?? 0;
    let seq = startSeq;
    const added = new Set<string>();
    const updated = new Set<string>();
    let unchanged = 0;
    const skippedReplacements: string[] = [];
    // A bulk import of arXiv papers into a store without title-only papers (the usual case)
    // then costs one statement per paper, the insert.
    this.titleOnlyRows = this.anyTitleOnly.get() !== undefined;
    for (const paper of papers) {
      const id = paper.values[ID_AT] as string;
      const arxivId = paper.values[ARXIV_ID_AT] as string | null;
      const titleKey = paper.values[TITLE_KEY_AT] as string;
      let row = this.titleMatch(arxivId, titleKey);
      if (!row && paper.replacement) {
        row = this.byId.get(id);
        if (!row) {
          skippedReplacements.push(id);
          continue;
        }
      }
      if (!row) {
        if (this.insert.run(paper.values.concat(now, now, seq + 1, paper.feedDate)).changes === 1) {
          seq++;
          if (!arxivId) this.titleOnlyRows = true;
          added.add(id);
          continue;
        }
        row = this.byId.get(id) as PaperRow;
      }
      // Only a paper already stored needs the record back (most of a first import never does).
      const record = recordOfPrepared(paper);
      const merged = mergeRecord(row, record, titleKey);
      if (row.sources === LOOKUP_ONLY && paper.feedDate !== null && !paper.replacement) {
        // Known so far only because someone linked it: news from the first feed listing it
        // (a listing's new paper; not a replacement, an archive or a search).
        this.firstListed.run(now, paper.feedDate, row.rowid);
      }
      if (!merged) {
        unchanged++;
        continue;
      }
      const values = fieldValues(merged);
      values.push(now, ++seq, row.rowid);
      this.update.run(values);
      if (added.has(row.id)) {
        // Changed again within the batch (e.g. its arXiv id arrived): still one new paper.
        added.delete(row.id);
        added.add(merged.id);
      } else if (!own?.has(row.change_seq) || updated.has(row.id)) {
        // (A row this import wrote in an earlier batch was counted then.)
        updated.delete(row.id);
        updated.add(merged.id);
      }
    }
    own?.add(startSeq + 1, seq);
    if (seq > startSeq) this.hook?.(this.db, startSeq);
    return { added: [...added], updated: [...updated], unchanged, skippedReplacements };
  }

  /**
   * The row a record joins by title: for an arXiv record, a title-hash row of the same title
   * (otherwise the insert's id conflict finds its row); for a title-only record, any row of
   * the same title, arXiv rows first.
   */
  private titleMatch(arxivId: string | null, titleKey: string): PaperRow | undefined {
    if (arxivId) {
      if (!this.titleOnlyRows) return undefined;
      const titleOnly = this.titleOnlyByKey.get(titleKey);
      // Its own arXiv row, when one exists, still comes first.
      return titleOnly && (this.byId.get(arxivId) ?? titleOnly);
    }
    return this.anyByKey.get({ key: titleKey });
  }

  get(id: string): Paper | null {
    const row = this.byId.get(id);
    return row ? rowToPaper(row) : null;
  }

  getMany(ids: string[]): Paper[] {
    const out: Paper[] = [];
    for (const id of ids) {
      const row = this.byId.get(id);
      if (row) out.push(rowToPaper(row));
    }
    return out;
  }

  count(): number {
    return (this.statements.get('SELECT count(*) AS n FROM papers').get() as { n: number }).n;
  }

  stamp(): PapersStamp {
    return { count: this.count(), lastChange: this.maxSeq.get()?.seq ?? 0 };
  }

  seenSince(since: Date, includeSample: boolean, limit: number | undefined): Paper[] {
    const rows = this.statements
      .get(
        `SELECT * FROM papers WHERE first_seen_at >= ? ${includeSample ? '' : 'AND sample = 0'}
         ORDER BY first_seen_at DESC, rowid DESC LIMIT ?`,
      )
      .all(since.toISOString(), limit ?? -1) as PaperRow[];
    return rows.map(rowToPaper);
  }

  /** By listing day, on its partial index (migration 6). */
  newestListed(limit: number): Paper[] {
    const rows = this.statements
      .get(
        'SELECT * FROM papers WHERE feed_date IS NOT NULL ORDER BY feed_date DESC, rowid DESC LIMIT ?',
      )
      .all(limit) as PaperRow[];
    return rows.map(rowToPaper);
  }

  *iterate(batchSize: number): Iterable<Paper[]> {
    const page = this.statements.get('SELECT * FROM papers WHERE rowid > ? ORDER BY rowid LIMIT ?');
    let after = 0;
    for (;;) {
      const rows = page.all(after, batchSize) as PaperRow[];
      if (rows.length === 0) return;
      after = (rows[rows.length - 1] as PaperRow).rowid;
      yield rows.map(rowToPaper);
    }
  }
}
