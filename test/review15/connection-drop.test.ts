import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/core/store/postgres/postgres-store.js';
import type { ChannelRef } from '../../src/core/store/store.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Review 15: the PostgreSQL server drops a connection (restart, failover, an idle-session
// killer, pg_terminate_backend) while the store is inside a transaction.

const TEAM: ChannelRef = { platform: 'fake', workspace: 'w1', channel: 'team' };

let server: TestPostgres;
let url = '';
beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('drops');
}, 60_000);
afterAll(async () => {
  await server?.stop();
});

/** Uncaught exceptions while `fn` runs: what would take the bot's process down. */
async function uncaughtDuring(fn: () => Promise<void>): Promise<unknown[]> {
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);
  // Vitest's own listener would report it as an unhandled error of the run: take its place.
  const theirs = process.listeners('uncaughtException');
  process.removeAllListeners('uncaughtException');
  process.on('uncaughtException', onUncaught);
  try {
    await fn();
    // Let the connection's 'end' and 'error' events run.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('uncaughtException', onUncaught);
    for (const listener of theirs) process.on('uncaughtException', listener);
  }
  return uncaught;
}

describe('a connection dropped inside a store transaction', () => {
  it('fails the transaction (STORE_FAILED or a rejection), never the process', async () => {
    const store = await PostgresStore.open(url);
    try {
      await store.setSchedule(TEAM, null, new Date('2026-03-02T06:00:00Z'));
      let outcome: unknown = null;
      const uncaught = await uncaughtDuring(async () => {
        outcome = await store
          .transaction(async (tx) => {
            const [row] = await (tx as PostgresStore).db.rows<{ pid: number }>(
              'SELECT pg_backend_pid() AS pid',
            );
            // The server ends this transaction's connection (as a restart or failover does).
            await server.admin(url, 'SELECT pg_terminate_backend($1)', [row?.pid]);
            await tx.getChannel(TEAM);
          })
          .then(
            () => 'committed',
            (error: unknown) => error,
          );
      });
      expect(uncaught).toEqual([]);
      expect(outcome).toBeInstanceOf(Error);
      // The store still serves on a new connection.
      expect((await store.getChannel(TEAM))?.ref).toEqual(TEAM);
    } finally {
      await store.close();
    }
  });
});
