import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { PaperboyError } from '../errors.js';
import type { ChannelTable } from './channel-rows.js';
import { inWriteTransaction, StatementCache } from './statements.js';
import type { ChannelRef, Delivery, DeliveryState, SourceRun } from './store.js';

interface DeliveryRow {
  id: string;
  platform: ChannelRef['platform'];
  workspace: string;
  channel: string;
  digest_date: string;
  part: number;
  paper_ids: string;
  state: DeliveryState;
  message_id: string | null;
  created_at: string;
  error: string | null;
}

interface SourceRunRow {
  source: string;
  started_at: string;
  finished_at: string;
  ok: number;
  fetched: number;
  added: number;
  messages: string;
}

function rowToDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    channel: { platform: row.platform, workspace: row.workspace, channel: row.channel },
    digestDate: row.digest_date,
    part: row.part,
    paperIds: JSON.parse(row.paper_ids) as string[],
    state: row.state,
    messageId: row.message_id,
    createdAt: row.created_at,
    error: row.error,
  };
}

const CHANNEL_KEY = 'platform = ? AND workspace = ? AND channel = ?';

/** The delivery ledger (exactly-once digests), source runs and small keyed state. */
export class LedgerTables {
  private readonly statements: StatementCache;

  constructor(
    private readonly db: Database,
    private readonly channels: ChannelTable,
  ) {
    this.statements = new StatementCache(db);
  }

  createDelivery(d: Omit<Delivery, 'id' | 'state' | 'messageId' | 'error'>): Delivery {
    const delivery: Delivery = {
      ...d,
      id: randomUUID(),
      state: 'pending',
      messageId: null,
      error: null,
    };
    inWriteTransaction(this.db, () => {
      this.channels.ensure(d.channel);
      this.statements
        .get(
          `INSERT INTO deliveries (id, platform, workspace, channel, digest_date, part, paper_ids,
             state, message_id, created_at, error)
           VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', NULL, ?, NULL)`,
        )
        .run(
          delivery.id,
          d.channel.platform,
          d.channel.workspace,
          d.channel.channel,
          d.digestDate,
          d.part,
          JSON.stringify(d.paperIds),
          d.createdAt,
        );
    });
    return delivery;
  }

  private settle(id: string, state: DeliveryState, messageId: string | null, error: string | null) {
    const result = this.statements
      .get('UPDATE deliveries SET state = ?, message_id = ?, error = ? WHERE id = ?')
      .run(state, messageId, error, id);
    if (result.changes === 0) throw new PaperboyError('NOT_FOUND', `No delivery with id ${id}.`);
  }

  completeDelivery(id: string, messageId: string): void {
    this.settle(id, 'sent', messageId, null);
  }

  failDelivery(id: string, error: string): void {
    this.settle(id, 'failed', null, error);
  }

  pendingDeliveries(): Delivery[] {
    const rows = this.statements
      .get("SELECT * FROM deliveries WHERE state = 'pending' ORDER BY seq")
      .all() as DeliveryRow[];
    return rows.map(rowToDelivery);
  }

  listDeliveries(ref: ChannelRef, digestDate?: string): Delivery[] {
    const params = [ref.platform, ref.workspace, ref.channel];
    const sql =
      digestDate === undefined
        ? `SELECT * FROM deliveries WHERE ${CHANNEL_KEY} ORDER BY seq`
        : `SELECT * FROM deliveries WHERE ${CHANNEL_KEY} AND digest_date = ? ORDER BY seq`;
    const rows = this.statements
      .get(sql)
      .all(...(digestDate === undefined ? params : [...params, digestDate])) as DeliveryRow[];
    return rows.map(rowToDelivery);
  }

  deliveredPaperIds(ref: ChannelRef): Set<string> {
    const rows = this.statements
      .get(`SELECT paper_ids FROM deliveries WHERE ${CHANNEL_KEY} AND state IN ('pending', 'sent')`)
      .all(ref.platform, ref.workspace, ref.channel) as { paper_ids: string }[];
    const ids = new Set<string>();
    for (const row of rows) for (const id of JSON.parse(row.paper_ids) as string[]) ids.add(id);
    return ids;
  }

  digestPaperIdsForMessage(ref: ChannelRef, messageId: string): string[] | null {
    const found = this.statements
      .get(`SELECT digest_date FROM deliveries WHERE ${CHANNEL_KEY} AND message_id = ?`)
      .get(ref.platform, ref.workspace, ref.channel, messageId) as
      | { digest_date: string }
      | undefined;
    if (!found) return null;
    const ids = this.listDeliveries(ref, found.digest_date)
      .filter((d) => d.state === 'sent')
      .flatMap((d) => d.paperIds);
    return [...new Set(ids)];
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
