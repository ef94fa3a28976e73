import { PaperboyError } from '../../errors.js';
import {
  type CandidateRow,
  CHANGE_COLUMNS,
  candidateFromRow,
  DIGEST_WINDOW_END_KEY,
  OPEN,
  type PartRow,
  type PostingRow,
  postingFromRow,
  type RunRow,
  runFromRow,
  runInsertValues,
} from '../digest-run-shapes.js';
import type {
  ChannelRef,
  DigestCandidate,
  DigestPosting,
  DigestRun,
  DigestRunChange,
  NewDigestRun,
} from '../store.js';
import type { PgChannelTable } from './channel-table.js';
import type { Db, Param } from './db.js';

/** The server's time, as the ISO text the claim columns hold. */
const SERVER_NOW = `to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The server's time plus a lease of `$n` milliseconds, as ISO text. */
function leaseEnd(param: string): string {
  return `to_char((clock_timestamp() + ${param}::int * interval '1 millisecond') AT TIME ZONE 'UTC',
    'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** Digest runs and their parts on PostgreSQL (as the SQLite DigestRunTable), plus claims. */
export class PgDigestRunTable {
  constructor(
    private readonly db: Db,
    private readonly channels: PgChannelTable,
  ) {}

  async candidates(
    window: { from: Date; to: Date; minDate: string },
    page?: { offset: number; limit: number },
  ): Promise<DigestCandidate[]> {
    // NULLS LAST on published_at: SQLite sorts a null below every value, so last when descending.
    const rows = await this.db.rows<CandidateRow>(
      `SELECT id, upvotes, first_seen_at, published_at FROM papers
       WHERE first_seen_at > $1 AND first_seen_at <= $2 AND NOT sample
         AND sources <> '["arxiv-lookup"]'
         AND greatest(coalesce(feed_date, ''), coalesce(published_at, '')) >= $3
       ORDER BY upvotes IS NULL, upvotes DESC, first_seen_at DESC, published_at DESC NULLS LAST, id
       LIMIT $4 OFFSET $5`,
      [
        window.from.toISOString(),
        window.to.toISOString(),
        window.minDate,
        page ? page.limit : null,
        page ? page.offset : 0,
      ],
    );
    return rows.map(candidateFromRow);
  }

  async create(run: NewDigestRun): Promise<void> {
    await this.db.atomic(async (db) => {
      await this.channels.ensure(db, run.channel);
      await db.run(
        `INSERT INTO digest_runs (id, platform, workspace, channel, digest_date, window_from,
           window_to, paper_ids, note, state, attempts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11)`,
        runInsertValues(run),
      );
      for (const part of run.parts)
        await db.run(
          'INSERT INTO digest_parts (delivery_id, run_id, part, plan, message_id) VALUES ($1, $2, $3, $4, $5)',
          [part.deliveryId, run.id, part.part, part.plan, part.messageId],
        );
    });
  }

  async update(id: string, change: DigestRunChange, owner?: string): Promise<boolean> {
    const sets: string[] = [];
    const values: Param[] = [];
    for (const [key, column] of Object.entries(CHANGE_COLUMNS)) {
      const value = change[key as keyof DigestRunChange];
      if (value === undefined) continue;
      values.push(Array.isArray(value) ? JSON.stringify(value) : (value as Param));
      sets.push(`${column} = $${values.length}`);
    }
    if (sets.length === 0) return true;
    values.push(id, owner ?? null);
    const at = values.length;
    const changed = await this.db.run(
      `UPDATE digest_runs SET ${sets.join(', ')} WHERE id = $${at - 1} AND ${OPEN}
         AND ($${at}::text IS NULL OR claimed_by = $${at})`,
      values,
    );
    if (changed > 0) return true;
    const exists = await this.db.rows('SELECT 1 FROM digest_runs WHERE id = $1', [id]);
    if (exists.length === 0) throw new PaperboyError('NOT_FOUND', `No digest run with id ${id}.`);
    return false;
  }

  async completePart(deliveryId: string, messageId: string): Promise<boolean> {
    const changed = await this.db.run(
      'UPDATE digest_parts SET message_id = $1 WHERE delivery_id = $2 AND message_id IS NULL',
      [messageId, deliveryId],
    );
    if (changed > 0) return true;
    const exists = await this.db.rows('SELECT 1 FROM digest_parts WHERE delivery_id = $1', [
      deliveryId,
    ]);
    if (exists.length === 0)
      throw new PaperboyError('NOT_FOUND', `No digest part with delivery id ${deliveryId}.`);
    return false;
  }

  async open(ref?: ChannelRef): Promise<DigestRun[]> {
    const rows = ref
      ? await this.db.rows<RunRow>(
          `SELECT * FROM digest_runs WHERE ${OPEN}
             AND platform = $1 AND workspace = $2 AND channel = $3 ORDER BY seq`,
          [ref.platform, ref.workspace, ref.channel],
        )
      : await this.db.rows<RunRow>(`SELECT * FROM digest_runs WHERE ${OPEN} ORDER BY seq`);
    return this.toRuns(rows);
  }

  async recent(ref: ChannelRef, limit: number): Promise<DigestRun[]> {
    const rows = await this.db.rows<RunRow>(
      `SELECT * FROM digest_runs WHERE platform = $1 AND workspace = $2 AND channel = $3
       ORDER BY seq DESC LIMIT $4`,
      [ref.platform, ref.workspace, ref.channel, limit],
    );
    return this.toRuns(rows);
  }

  async postings(
    paperId: string,
    scope: Pick<ChannelRef, 'platform' | 'workspace'> & { channel?: string },
    limit: number,
  ): Promise<DigestPosting[]> {
    const rows = await this.db.rows<PostingRow>(
      `SELECT platform, workspace, channel, min(digest_date) AS digest_date
       FROM digest_posted_papers
       WHERE paper_id = $1 AND platform = $2 AND workspace = $3
         AND ($4::text IS NULL OR channel = $4)
       GROUP BY platform, workspace, channel ORDER BY digest_date, channel LIMIT $5`,
      [paperId, scope.platform, scope.workspace, scope.channel ?? null, limit],
    );
    return rows.map(postingFromRow);
  }

  async paperIdsForMessage(ref: ChannelRef, messageId: string): Promise<string[] | null> {
    const [row] = await this.db.rows<{ paper_ids: string }>(
      `SELECT r.paper_ids FROM digest_parts p JOIN digest_runs r ON r.id = p.run_id
       WHERE p.message_id = $1 AND r.platform = $2 AND r.workspace = $3 AND r.channel = $4
       LIMIT 1`,
      [messageId, ref.platform, ref.workspace, ref.channel],
    );
    return row ? [...new Set(JSON.parse(row.paper_ids) as string[])] : null;
  }

  async countByState(): Promise<Record<string, number>> {
    const rows = await this.db.rows<{ state: string; n: number }>(
      'SELECT state, count(*)::int AS n FROM digest_runs GROUP BY state',
    );
    return Object.fromEntries(rows.map((row) => [row.state, row.n]));
  }

  /**
   * Takes the run for `owner` for `leaseMs` when nobody holds it, its lease has run out, or
   * `owner` already holds it. One UPDATE: of two instances claiming at once, the second waits
   * on the row lock, re-reads the row and finds it taken. The lease is measured on the
   * server's clock (`now` is not used): instances on several hosts may disagree about the
   * time, and one whose clock runs ahead must not read a live lease as expired.
   */
  async claim(id: string, owner: string, _now: Date, leaseMs: number): Promise<boolean> {
    const taken = await this.db.run(
      `UPDATE digest_runs SET claimed_by = $2, claim_until = ${leaseEnd('$3')}
       WHERE id = $1 AND (claimed_by IS NULL OR claim_until IS NULL
         OR claim_until <= ${SERVER_NOW} OR claimed_by = $2)`,
      [id, owner, leaseMs],
    );
    if (taken === 1) return true;
    const exists = await this.db.rows('SELECT 1 FROM digest_runs WHERE id = $1', [id]);
    if (exists.length === 0) throw new PaperboyError('NOT_FOUND', `No digest run with id ${id}.`);
    return false;
  }

  /** Extends `owner`'s own claim on an open run (see Store.renewDigestRun); never takes one. */
  async renew(
    id: string,
    owner: string,
    _now: Date,
    leaseMs: number,
    unpostedPart?: string,
  ): Promise<boolean> {
    const renewed = await this.db.run(
      `UPDATE digest_runs r SET claim_until = ${leaseEnd('$3')}
       WHERE r.id = $1 AND r.claimed_by = $2 AND ${OPEN}
         AND NOT EXISTS (SELECT 1 FROM digest_parts p
           WHERE p.delivery_id = $4 AND p.run_id = r.id AND p.message_id IS NOT NULL)`,
      [id, owner, leaseMs, unpostedPart ?? null],
    );
    return renewed === 1;
  }

  /**
   * Raises the closed window end to `to`. Its row lock waits for a paper write in progress
   * (which holds the row from before it stamps until it commits), so the papers read after
   * this returns include that write, and later writes read `to` and stamp past it.
   */
  async closeWindow(to: Date): Promise<void> {
    await this.db.run(
      `INSERT INTO state (key, value, updated_at) VALUES ($1, $2, $2)
       ON CONFLICT (key) DO UPDATE SET value = greatest(state.value COLLATE "C", excluded.value),
         updated_at = excluded.updated_at`,
      [DIGEST_WINDOW_END_KEY, to.toISOString()],
    );
  }

  /** Gives up `owner`'s claim; a claim another owner holds is left alone. */
  async release(id: string, owner: string): Promise<void> {
    await this.db.run(
      `UPDATE digest_runs SET claimed_by = NULL, claim_until = NULL
       WHERE id = $1 AND claimed_by = $2`,
      [id, owner],
    );
  }

  /** Runs with their parts: one query for all the parts. */
  private async toRuns(rows: RunRow[]): Promise<DigestRun[]> {
    if (rows.length === 0) return [];
    const parts = await this.db.rows<PartRow>(
      'SELECT * FROM digest_parts WHERE run_id = ANY($1) ORDER BY run_id, part',
      [rows.map((row) => row.id)],
    );
    const byRun = new Map<string, PartRow[]>();
    for (const p of parts) byRun.set(p.run_id, [...(byRun.get(p.run_id) ?? []), p]);
    return rows.map((row) => runFromRow(row, byRun.get(row.id) ?? []));
  }
}
