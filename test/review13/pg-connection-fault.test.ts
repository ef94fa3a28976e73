import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/commands/dispatch.js';
import { PoolDb } from '../../src/core/store/postgres/db.js';
import { memoryBot } from '../commands/bot-fixture.js';

/**
 * Review 13 (issue point 5): `asStoreFault` knows a database error only as a SqliteError or a
 * pg.DatabaseError (an error the server reported). When the PostgreSQL server is down,
 * restarting or dropped the connection, node-postgres rejects with plain Errors
 * ("Connection terminated unexpectedly", ECONNREFUSED, "timeout exceeded when trying to
 * connect"), and every store-backed command answers INTERNAL "Something went wrong inside
 * Paperboy" as for a bug, while `/papers search` at the same moment says STORE_FAILED
 * (PostgresPaperSearch wraps every error). A database outage is a store fault.
 */
let server: Server;
let connectionError: unknown;

beforeAll(async () => {
  // A "database" that accepts the connection and drops it at once (a restart, a failover).
  server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const pool = new pg.Pool({
    connectionString: `postgres://paperboy:pw@127.0.0.1:${port}/paperboy`,
  });
  // Through the PostgreSQL store's query layer, where every store method's queries run.
  connectionError = await new PoolDb(pool).rows('SELECT 1').then(
    () => null,
    (error: unknown) => error,
  );
  await pool.end().catch(() => undefined);
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('review13: a PostgreSQL connection failure during a command', () => {
  it('answers STORE_FAILED, as a store fault, not INTERNAL', async () => {
    // What node-postgres rejects with is a plain Error, not a server (DatabaseError) one.
    expect(connectionError).not.toBeInstanceOf(pg.DatabaseError);
    expect(connectionError).toBeInstanceOf(Error);
    const { bot, context } = await memoryBot();
    const ctx = context();
    const store = ctx.store as unknown as Record<string, unknown>;
    store.listSubscriptions = async () => {
      throw connectionError;
    };
    const reply = await runCommand({ name: 'subscriptions', options: {} }, ctx);
    expect(reply).toMatchObject({ kind: 'error', code: 'STORE_FAILED' });
    await bot.close();
  });
});
