import type pg from 'pg';
import { PaperboyError } from '../../errors.js';
import { asConnectionFault } from '../store-fault.js';

/** A parameter value as node-postgres sends it. */
export type Param = string | number | boolean | null | readonly string[];

/**
 * Where the PostgreSQL store's queries run: the pool, or one client inside a transaction.
 * `atomic` opens a transaction on the pool, or a savepoint inside one (so a failing inner
 * step undoes only its own writes and leaves the outer transaction usable).
 */
export interface Db {
  rows<R>(sql: string, params?: readonly Param[]): Promise<R[]>;
  /** Runs a write; returns the number of rows it touched. */
  run(sql: string, params?: readonly Param[]): Promise<number>;
  atomic<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  readonly inTransaction: boolean;
}

/**
 * PostgreSQL text cannot hold NUL (SQLite's can): one stray NUL in a feed item would fail
 * its whole batch, so it becomes U+FFFD, the replacement character.
 */
function storable(param: Param): Param {
  if (typeof param === 'string')
    return param.includes('\0') ? param.replaceAll('\0', '\uFFFD') : param;
  if (Array.isArray(param)) return param.map((item: string) => storable(item) as string);
  return param;
}

async function query<R>(
  target: pg.Pool | pg.PoolClient,
  sql: string,
  params: readonly Param[] | undefined,
): Promise<pg.QueryResult<R & pg.QueryResultRow>> {
  try {
    return await target.query<R & pg.QueryResultRow>(sql, params?.map(storable));
  } catch (error) {
    throw asConnectionFault(error);
  }
}

export class PoolDb implements Db {
  readonly inTransaction = false;

  constructor(readonly pool: pg.Pool) {}

  async rows<R>(sql: string, params?: readonly Param[]): Promise<R[]> {
    return (await query<R>(this.pool, sql, params)).rows;
  }

  async run(sql: string, params?: readonly Param[]): Promise<number> {
    return (await query(this.pool, sql, params)).rowCount ?? 0;
  }

  async atomic<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    return withClient(this.pool, async (client, spoil) => {
      const db = new ClientDb(client);
      try {
        await query(client, 'BEGIN', undefined);
        try {
          const result = await fn(db);
          await query(client, 'COMMIT', undefined);
          return result;
        } catch (error) {
          // A client whose rollback failed is in an unknown state: the pool drops it.
          await query(client, 'ROLLBACK', undefined).catch(spoil);
          throw error;
        }
      } finally {
        db.ended = true;
      }
    });
  }
}

/**
 * Runs `fn` on a client checked out of the pool. pg-pool takes its own 'error' listener off
 * a checked-out client, so a connection the server ends meanwhile (restart, failover,
 * pg_terminate_backend) would emit 'error' with no listener: an uncaught exception that
 * ends the process. Here it is remembered (the pending or next query rejects) and the client
 * goes back with it, so the pool destroys it instead of handing it on; `spoil` does the same
 * for a failure `fn` sees itself.
 */
export async function withClient<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient, spoil: (error: unknown) => void) => Promise<T>,
): Promise<T> {
  const client = await pool.connect().catch((error: unknown) => {
    throw asConnectionFault(error);
  });
  let failure: Error | undefined;
  const spoil = (error: unknown) => {
    failure ??= error instanceof Error ? error : new Error(String(error));
  };
  client.on('error', spoil);
  try {
    return await fn(client, spoil);
  } finally {
    client.off('error', spoil);
    client.release(failure);
  }
}

export class ClientDb implements Db {
  readonly inTransaction = true;
  ended = false;
  private savepoints = 0;

  constructor(private readonly client: pg.PoolClient) {}

  private check(): void {
    // A query after the transaction ended would run on a client the pool has handed on.
    if (this.ended)
      throw new PaperboyError('INTERNAL', 'A store transaction was used after it ended.');
  }

  async rows<R>(sql: string, params?: readonly Param[]): Promise<R[]> {
    this.check();
    return (await query<R>(this.client, sql, params)).rows;
  }

  async run(sql: string, params?: readonly Param[]): Promise<number> {
    this.check();
    return (await query(this.client, sql, params)).rowCount ?? 0;
  }

  async atomic<T>(fn: (db: Db) => Promise<T>): Promise<T> {
    this.check();
    const name = `sp_${++this.savepoints}`;
    await query(this.client, `SAVEPOINT ${name}`, undefined);
    try {
      const result = await fn(this);
      await query(this.client, `RELEASE SAVEPOINT ${name}`, undefined);
      return result;
    } catch (error) {
      await query(this.client, `ROLLBACK TO SAVEPOINT ${name}`, undefined);
      await query(this.client, `RELEASE SAVEPOINT ${name}`, undefined);
      throw error;
    }
  }
}
