import type { Database } from 'better-sqlite3';
import { PaperboyError } from '../errors.js';
import type { ChannelTable } from './channel-rows.js';
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
} from './digest-run-shapes.js';
import { inWriteTransaction, StatementCache } from './statements.js';
import type {
  ChannelRef,
  DigestCandidate,
  DigestPosting,
  DigestRun,
  DigestRunChange,
  NewDigestRun,
} from './store.js';

const CHANNEL_KEY = 'platform = ? AND workspace = ? AND channel = ?';

/** Digest runs and their message parts: what each channel has been (or is being) sent. */
export class DigestRunTable {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database,
    private readonly channels: ChannelTable,
  ) {
    this.statements = new StatementCache(db);
  }

  candidates(
    window: { from: Date; to: Date; minDate: string },
    page: { offset: number; limit: number } = { offset: 0, limit: -1 },
  ): DigestCandidate[] {
    const rows = this.statements
      .get(
        `SELECT id, upvotes, first_seen_at, published_at FROM papers
         WHERE first_seen_at > ? AND first_seen_at <= ? AND sample = 0
           AND sources <> '["arxiv-lookup"]'
           AND max(coalesce(feed_date, ''), coalesce(published_at, '')) >= ?
         ORDER BY upvotes IS NULL, upvotes DESC, first_seen_at DESC, published_at DESC, id
         LIMIT ? OFFSET ?`,
      )
      .all(
        window.from.toISOString(),
        window.to.toISOString(),
        window.minDate,
        page.limit,
        page.offset,
      ) as CandidateRow[];
    return rows.map(candidateFromRow);
  }

  create(run: NewDigestRun): void {
    inWriteTransaction(this.db, () => {
      this.channels.ensure(run.channel);
      this.statements
        .get(
          `INSERT INTO digest_runs (id, platform, workspace, channel, digest_date, window_from,
             window_to, paper_ids, note, state, attempts, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
        )
        .run(...runInsertValues(run));
      const insertPart = this.statements.get(
        'INSERT INTO digest_parts (delivery_id, run_id, part, plan, message_id) VALUES (?, ?, ?, ?, ?)',
      );
      for (const part of run.parts)
        insertPart.run(part.deliveryId, run.id, part.part, part.plan, part.messageId);
    });
  }

  update(id: string, change: DigestRunChange, owner?: string): boolean {
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, column] of Object.entries(CHANGE_COLUMNS)) {
      const value = change[key as keyof DigestRunChange];
      if (value === undefined) continue;
      sets.push(`${column} = ?`);
      values.push(Array.isArray(value) ? JSON.stringify(value) : value);
    }
    if (sets.length === 0) return true;
    const result = this.statements
      .get(
        `UPDATE digest_runs SET ${sets.join(', ')} WHERE id = ? AND ${OPEN}
           AND (? IS NULL OR claimed_by = ?)`,
      )
      .run(...values, id, owner ?? null, owner ?? null);
    if (result.changes > 0) return true;
    if (!this.statements.get('SELECT 1 FROM digest_runs WHERE id = ?').get(id))
      throw new PaperboyError('NOT_FOUND', `No digest run with id ${id}.`);
    return false;
  }

  completePart(deliveryId: string, messageId: string): boolean {
    const result = this.statements
      .get('UPDATE digest_parts SET message_id = ? WHERE delivery_id = ? AND message_id IS NULL')
      .run(messageId, deliveryId);
    if (result.changes > 0) return true;
    if (!this.statements.get('SELECT 1 FROM digest_parts WHERE delivery_id = ?').get(deliveryId))
      throw new PaperboyError('NOT_FOUND', `No digest part with delivery id ${deliveryId}.`);
    return false;
  }

  claim(id: string, owner: string, now: Date, leaseMs: number): boolean {
    // One statement: SQLite runs it atomically, so two processes never both take a run.
    const result = this.statements
      .get(
        `UPDATE digest_runs SET claimed_by = ?, claim_until = ?
         WHERE id = ? AND (claimed_by IS NULL OR claimed_by = ? OR claim_until IS NULL
           OR claim_until <= ?)`,
      )
      .run(owner, new Date(now.getTime() + leaseMs).toISOString(), id, owner, now.toISOString());
    if (result.changes > 0) return true;
    if (!this.statements.get('SELECT 1 FROM digest_runs WHERE id = ?').get(id))
      throw new PaperboyError('NOT_FOUND', `No digest run with id ${id}.`);
    return false;
  }

  renew(id: string, owner: string, now: Date, leaseMs: number, unpostedPart?: string): boolean {
    const result = this.statements
      .get(
        `UPDATE digest_runs SET claim_until = ? WHERE id = ? AND claimed_by = ? AND ${OPEN}
           AND NOT EXISTS (SELECT 1 FROM digest_parts
             WHERE delivery_id = ? AND run_id = digest_runs.id AND message_id IS NOT NULL)`,
      )
      .run(new Date(now.getTime() + leaseMs).toISOString(), id, owner, unpostedPart ?? null);
    return result.changes > 0;
  }

  closeWindow(to: Date): void {
    this.statements
      .get(
        `INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = max(value, excluded.value),
           updated_at = excluded.updated_at`,
      )
      .run(DIGEST_WINDOW_END_KEY, to.toISOString(), to.toISOString());
  }

  release(id: string, owner: string): void {
    this.statements
      .get(
        'UPDATE digest_runs SET claimed_by = NULL, claim_until = NULL WHERE id = ? AND claimed_by = ?',
      )
      .run(id, owner);
  }

  open(ref?: ChannelRef): DigestRun[] {
    const rows = ref
      ? (this.statements
          .get(`SELECT * FROM digest_runs WHERE ${OPEN} AND ${CHANNEL_KEY} ORDER BY seq`)
          .all(ref.platform, ref.workspace, ref.channel) as RunRow[])
      : (this.statements
          .get(`SELECT * FROM digest_runs WHERE ${OPEN} ORDER BY seq`)
          .all() as RunRow[]);
    return rows.map((row) => this.toRun(row));
  }

  recent(ref: ChannelRef, limit: number): DigestRun[] {
    const rows = this.statements
      .get(`SELECT * FROM digest_runs WHERE ${CHANNEL_KEY} ORDER BY seq DESC LIMIT ?`)
      .all(ref.platform, ref.workspace, ref.channel, limit) as RunRow[];
    return rows.map((row) => this.toRun(row));
  }

  postings(
    paperId: string,
    scope: Pick<ChannelRef, 'platform' | 'workspace'> & { channel?: string },
    limit: number,
  ): DigestPosting[] {
    const rows = this.statements
      .get(
        `SELECT platform, workspace, channel, min(digest_date) AS digest_date
         FROM digest_posted_papers
         WHERE paper_id = ? AND platform = ? AND workspace = ? AND (? IS NULL OR channel = ?)
         GROUP BY platform, workspace, channel ORDER BY digest_date, channel LIMIT ?`,
      )
      .all(
        paperId,
        scope.platform,
        scope.workspace,
        scope.channel ?? null,
        scope.channel ?? null,
        limit,
      ) as PostingRow[];
    return rows.map(postingFromRow);
  }

  paperIdsForMessage(ref: ChannelRef, messageId: string): string[] | null {
    const row = this.statements
      .get(
        `SELECT r.paper_ids FROM digest_parts p JOIN digest_runs r ON r.id = p.run_id
         WHERE p.message_id = ? AND r.platform = ? AND r.workspace = ? AND r.channel = ?`,
      )
      .get(messageId, ref.platform, ref.workspace, ref.channel) as
      | { paper_ids: string }
      | undefined;
    return row ? [...new Set(JSON.parse(row.paper_ids) as string[])] : null;
  }

  private toRun(row: RunRow): DigestRun {
    const parts = this.statements
      .get('SELECT * FROM digest_parts WHERE run_id = ? ORDER BY part')
      .all(row.id) as PartRow[];
    return runFromRow(row, parts);
  }
}
